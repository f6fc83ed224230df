package io.keyflow.vault;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.Health;
import org.springframework.vault.authentication.event.LoginTokenExpiredEvent;
import org.springframework.boot.actuate.health.Status;

import io.keyflow.api.KeyflowConfigurationException;
import io.keyflow.plugin.internal.store.TestDatabase;
import io.keyflow.vault.actuate.KeyflowVaultHealthIndicator;
import io.keyflow.vault.autoconfigure.KeyflowVaultClient;
import io.keyflow.vault.autoconfigure.KeyflowVaultProperties;
import io.keyflow.vault.autoconfigure.KeyflowVaultProperties.Method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Login methods, session renewal and re-login, and the health indicator against {@link VaultContractServer}.
 */
class VaultAuthenticationContractTests {

	private final VaultContractServer vault = VaultContractServer.start();

	private KeyflowVaultClient client;

	@AfterEach
	void tearDown() {
		if (this.client != null) {
			this.client.destroy();
		}
		this.vault.close();
	}

	private KeyflowVaultProperties properties(Method method, String namespace) {
		KeyflowVaultProperties properties = new KeyflowVaultProperties();
		properties.setAddress(this.vault.address());
		properties.setNamespace(namespace);
		properties.getAuthentication().setMethod(method);
		return properties;
	}

	private VaultKvCredentialStore store() {
		return VaultKvCredentialStore.builder(this.client.operations()).build();
	}

	@Test
	void appRoleWhenFirstReadThenLoginWithRoleAndSecretIdAndReadUsesIssuedToken() {
		this.vault.appRole("role-123", "secret-456").kv("secret", "keyflow/default/API", Map.of("apiKey", "k-1"));
		KeyflowVaultProperties properties = properties(Method.APPROLE, "team-a");
		properties.getAuthentication().getAppRole().setRoleId("role-123");
		properties.getAuthentication().getAppRole().setSecretId("secret-456");
		this.client = new KeyflowVaultClient(properties);

		assertThat(store().findByKey(null, "API").orElseThrow().apiKey()).isEqualTo("k-1");

		assertThat(this.vault.lines()).containsExactly("POST /v1/auth/approle/login",
				"GET /v1/secret/data/keyflow/default/API");
		VaultContractServer.Request login = this.vault.requests().get(0);
		assertThat(login.json()).isEqualTo(Map.of("role_id", "role-123", "secret_id", "secret-456"));
		assertThat(login.header("X-Vault-Namespace")).isEqualTo("team-a");
		assertThat(login.header("X-Vault-Token")).isNull();
		VaultContractServer.Request read = this.vault.requests().get(1);
		assertThat(read.header("X-Vault-Token")).startsWith("hvs.");
		assertThat(this.client.toString()).doesNotContain("secret-456");
		assertThat(properties.toString()).doesNotContain("secret-456");
	}

	@Test
	void appRoleWhenTokenRenewalReachesMaxTtlThenTokenDroppedAndNextReadLogsInAgain() throws Exception {
		// login lease 6 s: renewal is due 5 s before expiry; the renewal grants 2 s, below the 7 s threshold
		this.vault.appRole("role-123", "secret-456").leases(6, 2)
			.kv("secret", "keyflow/default/API", Map.of("apiKey", "k-1"));
		KeyflowVaultProperties properties = properties(Method.APPROLE, null);
		properties.getAuthentication().getAppRole().setRoleId("role-123");
		properties.getAuthentication().getAppRole().setSecretId("secret-456");
		this.client = new KeyflowVaultClient(properties);
		CountDownLatch expired = new CountDownLatch(1);
		this.client.addAuthenticationListener((event) -> {
			if (event instanceof LoginTokenExpiredEvent) {
				expired.countDown();
			}
		});
		VaultKvCredentialStore store = VaultKvCredentialStore.builder(this.client.operations())
			.cacheTtl(java.time.Duration.ZERO)
			.build();
		store.findByKey(null, "API");

		assertThat(expired.await(20, TimeUnit.SECONDS)).as("renewed token dropped at max TTL").isTrue();
		store.findByKey(null, "API");

		assertThat(this.vault.lines()).containsSubsequence("POST /v1/auth/approle/login",
				"GET /v1/secret/data/keyflow/default/API", "POST /v1/auth/token/renew-self",
				"POST /v1/auth/approle/login", "GET /v1/secret/data/keyflow/default/API");
		List<VaultContractServer.Request> reads = this.vault.requests("/v1/secret/");
		assertThat(reads.get(0).header("X-Vault-Token")).isNotEqualTo(reads.get(1).header("X-Vault-Token"));
	}

	@Test
	void kubernetesWhenReadThenLoginWithRoleAndJwtFromFile(@TempDir Path dir) throws Exception {
		Path jwt = dir.resolve("token");
		Files.writeString(jwt, "eyJhbGciOiJSUzI1NiJ9.pod.signature\n");
		this.vault.kubernetesRole("keyflow", "eyJhbGciOiJSUzI1NiJ9.pod.signature")
			.kv("secret", "keyflow/default/API", Map.of("apiKey", "k-1"));
		KeyflowVaultProperties properties = properties(Method.KUBERNETES, null);
		properties.getAuthentication().getKubernetes().setRole("keyflow");
		properties.getAuthentication().getKubernetes().setJwtPath(jwt.toString());
		this.client = new KeyflowVaultClient(properties);

		assertThat(store().findByKey(null, "API")).isPresent();

		assertThat(this.vault.lines()).containsExactly("POST /v1/auth/kubernetes/login",
				"GET /v1/secret/data/keyflow/default/API");
		assertThat(this.vault.requests().get(0).json())
			.isEqualTo(Map.of("role", "keyflow", "jwt", "eyJhbGciOiJSUzI1NiJ9.pod.signature"));
	}

	@Test
	void clientWhenConfigurationIncompleteThenClearMessages() {
		KeyflowVaultProperties noToken = properties(Method.TOKEN, null);
		KeyflowVaultProperties noAddress = new KeyflowVaultProperties();
		KeyflowVaultProperties noSecretId = properties(Method.APPROLE, null);
		noSecretId.getAuthentication().getAppRole().setRoleId("role");

		assertThatExceptionOfType(KeyflowConfigurationException.class).isThrownBy(() -> new KeyflowVaultClient(noToken))
			.withMessage("keyflow.vault.authentication.method is TOKEN but keyflow.vault.authentication.token is not "
					+ "set (e.g. from VAULT_TOKEN)");
		assertThatExceptionOfType(KeyflowConfigurationException.class).isThrownBy(() -> new KeyflowVaultClient(noAddress))
			.withMessageStartingWith("keyflow.vault is enabled but keyflow.vault.address is not set");
		assertThatExceptionOfType(KeyflowConfigurationException.class)
			.isThrownBy(() -> new KeyflowVaultClient(noSecretId))
			.withMessage("keyflow.vault.authentication.method is APPROLE but "
					+ "keyflow.vault.authentication.app-role.role-id or .secret-id is not set");
	}

	@Test
	void healthWhenReachableAuthenticatedAndTransitKeyUsableThenUpWithoutTokenInDetails() {
		this.vault.token(VaultKvCredentialStoreContractTests.TOKEN).transitKey("keyflow");
		this.client = new KeyflowVaultClient(
				VaultKvCredentialStoreContractTests.properties(this.vault.address(), "team-a"));
		javax.sql.DataSource dataSource = TestDatabase.h2WithSchema();
		try {
			TransitKeyringSource transit = TransitKeyringSource.builder(this.client.operations(), dataSource).build();
			transit.load();
			this.vault.clearRequests();

			Health health = new KeyflowVaultHealthIndicator(this.client.operations(), transit).health();

			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("reachable", true)
				.containsEntry("sealed", false)
				.containsEntry("authenticated", true)
				.containsEntry("version", "1.17.6")
				.containsEntry("transitKey", "transit/keyflow usable");
			assertThat(health.toString()).doesNotContain(VaultKvCredentialStoreContractTests.TOKEN);
			assertThat(this.vault.lines()).containsExactly("GET /v1/sys/health", "GET /v1/auth/token/lookup-self",
					"POST /v1/transit/rewrap/keyflow");
			assertThat(this.vault.requests("/v1/auth/token/lookup-self").get(0).header("X-Vault-Token"))
				.isEqualTo(VaultKvCredentialStoreContractTests.TOKEN);

			this.vault.failWith(503);
			assertThat(new KeyflowVaultHealthIndicator(this.client.operations(), transit).health().getStatus())
				.isEqualTo(Status.DOWN);
			this.vault.recover();
			this.vault.refuseConnections();
			Health unreachable = new KeyflowVaultHealthIndicator(this.client.operations(), transit).health();
			assertThat(unreachable.getStatus()).isEqualTo(Status.DOWN);
			assertThat(unreachable.getDetails()).containsEntry("reachable", false);
		}
		finally {
			TestDatabase.shutdown(dataSource);
		}
	}

}
