package io.keyflow.example;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import io.keyflow.client.KeyflowClient;
import io.keyflow.plugin.LogCapture;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The example application as the Java client and the CLI meet it: the {@code demo} profile on a free port (its demo
 * OAuth2 provider on another), an H2 database in a new temporary folder, a known admin API key, and
 * {@code demo-open} off, so that a key-less call is refused as in a real deployment. The client and CLI test classes
 * share this one application (Spring's context cache); each test uses keys of its own.
 */
@SpringBootTest(classes = ExampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
		properties = { "logging.level.io.keyflow=DEBUG", "keyflow.rest.demo-open=false" })
@ContextConfiguration(initializers = LogCapture.Initializer.class)
@ActiveProfiles("demo")
abstract class ClientTestApplication {

	/** A test key (never use it anywhere else). */
	static final String TEST_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

	static final String ADMIN_KEY = "client-admin-" + UUID.randomUUID();

	static int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		// the demo's redirect URI and allowed URLs name both ports, so they are chosen before the application starts
		port = freePort();
		int oauth2Port = freePort();
		Path dataDir;
		try {
			dataDir = Files.createTempDirectory("keyflow-client-tests");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		registry.add("server.port", () -> port);
		registry.add("keyflow.demo.oauth2-port", () -> oauth2Port);
		registry.add("keyflow.encryption.key", () -> TEST_KEY);
		registry.add("keyflow.rest.admin-api-key", () -> ADMIN_KEY);
		registry.add("spring.datasource.url", () -> "jdbc:h2:file:" + dataDir.resolve("keyflow") + ";AUTO_SERVER=FALSE");
	}

	static URI baseUrl() {
		return URI.create("http://localhost:" + port);
	}

	static KeyflowClient client(String apiKey) {
		return KeyflowClient.builder(baseUrl()).apiKey(apiKey).build();
	}

	/** @return a new API key of the role, issued by the admin */
	static String issue(String role) {
		return client(ADMIN_KEY).apiKeys().create(role + "-" + UUID.randomUUID(), role, null).key();
	}

	/** @return a unique credential key with the prefix */
	static String unique(String prefix) {
		return prefix + "_" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
