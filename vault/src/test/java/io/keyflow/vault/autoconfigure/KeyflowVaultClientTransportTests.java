package io.keyflow.vault.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.keyflow.api.KeyflowConfigurationException;
import io.keyflow.plugin.LogCapture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How Keyflow's Vault client reaches Vault: plain http is refused at start-up unless it stays on the loopback
 * interface or {@code keyflow.vault.allow-insecure-http} is set (then a loud warning); a custom CA (PEM file or trust
 * store) is used for https. The https stand-in is the JDK's {@link HttpsServer} with a certificate keytool makes for
 * 127.0.0.1 at the start of the class (no CA the JVM trusts signed it).
 */
class KeyflowVaultClientTransportTests {

	private static final String STORE_PASSWORD = "keystore-pass-for-this-test";

	private static final String TRUST_PASSWORD = "truststore-pass-for-this-test";

	@TempDir
	static Path dir;

	private static Path serverKeyStore;

	private static Path caCertificate;

	private static Path trustStore;

	private static HttpsServer server;

	private static final AtomicInteger healthRequests = new AtomicInteger();

	private final List<KeyflowVaultClient> clients = new ArrayList<>();

	@BeforeAll
	static void startHttpsStandIn() throws Exception {
		serverKeyStore = dir.resolve("server.p12");
		caCertificate = dir.resolve("ca.pem");
		trustStore = dir.resolve("trust.p12");
		keytool("-genkeypair", "-alias", "vault", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
				"-ext", "san=ip:127.0.0.1", "-validity", "2", "-keystore", serverKeyStore.toString(), "-storetype",
				"PKCS12", "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
		keytool("-exportcert", "-rfc", "-alias", "vault", "-keystore", serverKeyStore.toString(), "-storepass",
				STORE_PASSWORD, "-file", caCertificate.toString());
		keytool("-importcert", "-noprompt", "-alias", "vault-ca", "-file", caCertificate.toString(), "-keystore",
				trustStore.toString(), "-storetype", "PKCS12", "-storepass", TRUST_PASSWORD);

		KeyStore keys = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(serverKeyStore)) {
			keys.load(in, STORE_PASSWORD.toCharArray());
		}
		KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		keyManagers.init(keys, STORE_PASSWORD.toCharArray());
		SSLContext tls = SSLContext.getInstance("TLS");
		tls.init(keyManagers.getKeyManagers(), null, null);
		server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		server.setHttpsConfigurator(new HttpsConfigurator(tls));
		server.createContext("/v1/sys/health", (exchange) -> {
			healthRequests.incrementAndGet();
			byte[] body = "{\"initialized\":true,\"sealed\":false,\"standby\":false,\"version\":\"1.17.0\"}"
				.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		server.start();
	}

	@AfterAll
	static void stopHttpsStandIn() {
		if (server != null) {
			server.stop(0);
		}
	}

	@AfterEach
	void closeClients() {
		this.clients.forEach(KeyflowVaultClient::destroy);
	}

	@Test
	void clientWhenPlainHttpToAnotherHostThenRefusedNamingThePropertyAndTheFix() {
		assertThatExceptionOfType(KeyflowConfigurationException.class)
			.isThrownBy(() -> client(properties("http://vault.example.com:8200")))
			.withMessageContaining("keyflow.vault.address")
			.withMessageContaining("https://")
			.withMessageContaining("keyflow.vault.allow-insecure-http=true");
	}

	@Test
	void clientWhenPlainHttpToAPrivateAddressThenRefusedToo() {
		assertThatExceptionOfType(KeyflowConfigurationException.class)
			.isThrownBy(() -> client(properties("http://10.0.0.7:8200")))
			.withMessageContaining("keyflow.vault.address");
	}

	@Test
	void clientWhenSchemeIsNeitherHttpsNorHttpThenRefused() {
		assertThatExceptionOfType(KeyflowConfigurationException.class)
			.isThrownBy(() -> client(properties("ftp://vault.example.com:8200")))
			.withMessageContaining("keyflow.vault.address must be an https:// address");
	}

	@Test
	void clientWhenPlainHttpAndAllowInsecureHttpThenBuiltWithALoudWarning() {
		LogCapture log = LogCapture.attach();
		try {
			KeyflowVaultProperties properties = properties("http://vault.example.com:8200");
			properties.setAllowInsecureHttp(true);

			assertThat(client(properties)).isNotNull();

			assertThat(log.text()).contains("WARN io.keyflow.vault KEYFLOW-V008")
				.contains("keyflow.vault.allow-insecure-http=true")
				.contains("http://vault.example.com:8200");
		}
		finally {
			log.detach();
		}
	}

	@Test
	void clientWhenPlainHttpToLoopbackThenAllowedWithoutTheFlag() {
		for (String address : new String[] { "http://127.0.0.1:8200", "http://localhost:8200", "http://[::1]:8200" }) {
			assertThat(client(properties(address))).as(address).isNotNull();
		}
	}

	@Test
	void clientWhenHttpsWithoutTheCustomCaThenTheServerIsNotTrusted() {
		KeyflowVaultClient client = client(properties(httpsAddress()));

		assertThatThrownBy(() -> client.operations().opsForSys().health()).hasRootCauseInstanceOf(
				java.security.cert.CertPathBuilderException.class);
	}

	@Test
	void clientWhenCaCertificatePemConfiguredThenItTrustsTheServerThatCertificateSigned() {
		KeyflowVaultProperties properties = properties(httpsAddress());
		properties.getSsl().setCaCertificate(caCertificate.toString());
		int before = healthRequests.get();

		assertThat(client(properties).operations().opsForSys().health().isInitialized()).isTrue();
		assertThat(healthRequests.get()).isEqualTo(before + 1);
	}

	@Test
	void clientWhenTrustStoreConfiguredThenItTrustsTheServer() {
		KeyflowVaultProperties properties = properties(httpsAddress());
		properties.getSsl().setTrustStore("file:" + trustStore);
		properties.getSsl().setTrustStorePassword(TRUST_PASSWORD);
		properties.getSsl().setTrustStoreType("PKCS12");

		assertThat(client(properties).operations().opsForSys().health().isSealed()).isFalse();
	}

	@Test
	void clientWhenCaFileMissingThenRefusedNamingTheProperty() {
		KeyflowVaultProperties properties = properties(httpsAddress());
		properties.getSsl().setCaCertificate(dir.resolve("missing.pem").toString());

		assertThatExceptionOfType(KeyflowConfigurationException.class).isThrownBy(() -> client(properties))
			.withMessageContaining("keyflow.vault.ssl.ca-certificate");
	}

	@Test
	void clientWhenTrustStoreAndCaCertificateBothSetThenRefused() {
		KeyflowVaultProperties properties = properties(httpsAddress());
		properties.getSsl().setCaCertificate(caCertificate.toString());
		properties.getSsl().setTrustStore(trustStore.toString());

		assertThatExceptionOfType(KeyflowConfigurationException.class).isThrownBy(() -> client(properties))
			.withMessageContaining("keyflow.vault.ssl.trust-store")
			.withMessageContaining("keyflow.vault.ssl.ca-certificate");
	}

	@Test
	void propertiesWhenPrintedThenTrustStorePasswordIsRedacted() {
		KeyflowVaultProperties properties = properties(httpsAddress());
		properties.getSsl().setTrustStorePassword(TRUST_PASSWORD);

		assertThat(properties.toString()).doesNotContain(TRUST_PASSWORD);
	}

	private KeyflowVaultClient client(KeyflowVaultProperties properties) {
		KeyflowVaultClient client = new KeyflowVaultClient(properties);
		this.clients.add(client);
		return client;
	}

	private static KeyflowVaultProperties properties(String address) {
		KeyflowVaultProperties properties = new KeyflowVaultProperties();
		properties.setAddress(URI.create(address));
		properties.getAuthentication().setToken("hvs.transport-test-token");
		return properties;
	}

	private static String httpsAddress() {
		return "https://127.0.0.1:" + server.getAddress().getPort();
	}

	private static void keytool(String... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (process.waitFor() != 0) {
			throw new IllegalStateException("keytool failed: " + output);
		}
	}

}
