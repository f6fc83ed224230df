package io.keyflow.vault;

import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.vault.core.VaultOperations;
import org.springframework.vault.support.VaultResponse;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.vault.VaultContainer;

import io.keyflow.api.CredentialType;
import io.keyflow.api.ReadOnlyStoreException;
import io.keyflow.plugin.CredentialDraft;
import io.keyflow.plugin.KeyflowEngine;
import io.keyflow.plugin.internal.store.TestDatabase;
import io.keyflow.vault.autoconfigure.KeyflowVaultClient;
import io.keyflow.vault.autoconfigure.KeyflowVaultProperties;
import io.keyflow.vault.autoconfigure.KeyflowVaultProperties.Method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Against a real HashiCorp Vault in a container (pinned image). Runs only where Docker is available; on the
 * build machines, which have none, it is skipped and {@code ...ContractTests} cover the same code.
 */
@Testcontainers(disabledWithoutDocker = true)
class VaultIntegrationTests {

	static final String ROOT_TOKEN = "root-token-integration";

	@Container
	static final VaultContainer<?> VAULT = new VaultContainer<>("hashicorp/vault:1.17.6").withVaultToken(ROOT_TOKEN)
		.withInitCommand("secrets enable transit", "write -f transit/keys/keyflow",
				"kv put secret/keyflow/default/GITHUB type=api_key apiKey=gh-real-1 provider=github",
				"kv put secret/keyflow/acme/DB username=app password=db-real-1", "auth enable approle",
				"write auth/approle/role/keyflow token_policies=default,keyflow token_ttl=1h token_max_ttl=4h",
				"write auth/approle/role/keyflow/role-id role_id=keyflow-role");

	private KeyflowVaultClient root;

	private DataSource dataSource;

	@BeforeEach
	void setUp() {
		this.root = new KeyflowVaultClient(properties());
		this.dataSource = TestDatabase.h2WithSchema();
	}

	@AfterEach
	void tearDown() {
		this.root.destroy();
		TestDatabase.shutdown(this.dataSource);
	}

	private static KeyflowVaultProperties properties() {
		KeyflowVaultProperties properties = new KeyflowVaultProperties();
		properties.setAddress(java.net.URI.create(VAULT.getHttpHostAddress()));
		// the dev-mode container speaks plain http, and a remote Docker host is not loopback
		properties.setAllowInsecureHttp(true);
		properties.getAuthentication().setToken(ROOT_TOKEN);
		return properties;
	}

	@Test
	void kvWhenCredentialInVaultThenReadAndResolvedIntoWorkflowResolutionAndWritesRefused() {
		VaultKvCredentialStore store = VaultKvCredentialStore.builder(this.root.operations()).build();
		KeyflowEngine engine = KeyflowEngine.builder(this.dataSource)
			.encryptionKey("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
			.stores(java.util.List.of(store))
			.storeOrder(java.util.List.of("vault-kv", "local"))
			.build();

		assertThat(engine.store().findByKey(null, "GITHUB").orElseThrow().apiKey()).isEqualTo("gh-real-1");
		assertThat(store.findByKey("acme", "DB").orElseThrow().password()).isEqualTo("db-real-1");
		assertThat(store.findByKey("other", "DB")).isEmpty();
		assertThatExceptionOfType(ReadOnlyStoreException.class)
			.isThrownBy(() -> engine.store().save(store.findByKey(null, "GITHUB").orElseThrow()))
			.withMessageEndingWith("secret/data/keyflow/default/GITHUB");
	}

	@Test
	void transitWhenLoadedTwiceThenSameKeyringAndCredentialsRoundTrip() {
		TransitKeyringSource source = TransitKeyringSource.builder(this.root.operations(), this.dataSource).build();
		KeyflowEngine engine = KeyflowEngine.builder(this.dataSource).keyringSource(source::load).build();
		var saved = engine.credentialService()
			.save(CredentialDraft.builder(CredentialType.API_KEY).key("ROUND").secrets(Map.of("apiKey", "rt-1")).build());

		KeyflowEngine restarted = KeyflowEngine.builder(this.dataSource).keyringSource(source::load).build();

		assertThat(restarted.localStore().findById(null, saved.id()).orElseThrow().apiKey()).isEqualTo("rt-1");
		assertThat(new JdbcTemplate(this.dataSource).queryForObject("select WRAPPED_KEY_ from KEYFLOW_DATA_KEY",
				String.class)).startsWith("vault:v1:");
	}

	@Test
	void transitWhenKeyRotatedThenRewrapAndDataKeyRotationKeepEveryCredential() {
		TransitKeyringSource source = TransitKeyringSource.builder(this.root.operations(), this.dataSource).build();
		KeyflowEngine engine = KeyflowEngine.builder(this.dataSource).keyringSource(source::load).build();
		var saved = engine.credentialService()
			.save(CredentialDraft.builder(CredentialType.API_KEY).key("ROT").secrets(Map.of("apiKey", "rot-1")).build());

		this.root.operations().opsForTransit().rotate("keyflow");
		assertThat(source.rewrapDataKeys()).isEqualTo(1);
		assertThat(source.dataKeys().get(0).transitKeyVersion()).isEqualTo(2);
		String newKey = source.rotateDataKey();
		engine.reloadKeyring();
		engine.credentialService().reEncryptAll();

		assertThat(engine.keyIdsInUse()).containsExactly(newKey);
		KeyflowEngine restarted = KeyflowEngine.builder(this.dataSource).keyringSource(source::load).build();
		assertThat(restarted.localStore().findById(null, saved.id()).orElseThrow().apiKey()).isEqualTo("rot-1");
	}

	@Test
	void appRoleWhenLoggedInThenReadsKv() {
		VaultOperations admin = this.root.operations();
		admin.write("sys/policies/acl/keyflow",
				Map.of("policy", "path \"secret/data/keyflow/*\" { capabilities = [\"read\"] }"));
		VaultResponse secretId = admin.write("auth/approle/role/keyflow/secret-id", null);
		KeyflowVaultProperties properties = properties();
		properties.getAuthentication().setMethod(Method.APPROLE);
		properties.getAuthentication().getAppRole().setRoleId("keyflow-role");
		properties.getAuthentication().getAppRole().setSecretId((String) secretId.getRequiredData().get("secret_id"));
		KeyflowVaultClient appRole = new KeyflowVaultClient(properties);
		try {
			VaultKvCredentialStore store = VaultKvCredentialStore.builder(appRole.operations()).build();
			assertThat(store.findByKey(null, "GITHUB").orElseThrow().apiKey()).isEqualTo("gh-real-1");
		}
		finally {
			appRole.destroy();
		}
	}

}
