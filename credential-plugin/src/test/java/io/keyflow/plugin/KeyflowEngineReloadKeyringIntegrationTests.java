package io.keyflow.plugin;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.keyflow.api.CredentialInfo;
import io.keyflow.api.CredentialType;
import io.keyflow.api.KeyConfigurationException;
import io.keyflow.api.Keyring;
import io.keyflow.plugin.internal.store.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link KeyflowEngine#reloadKeyring()}: a new primary key from the keyring source is used without a restart,
 * and a keyring that lacks a key in use is refused while the current one keeps working.
 */
class KeyflowEngineReloadKeyringIntegrationTests {

	private final String keyA = newKey();

	private final String keyB = newKey();

	private final AtomicReference<String> spec = new AtomicReference<>(this.keyA);

	private DataSource dataSource;

	private KeyflowEngine engine;

	@BeforeEach
	void setUp() {
		this.dataSource = TestDatabase.h2WithSchema();
		this.engine = KeyflowEngine.builder(this.dataSource)
			.keyringSource(() -> Keyring.parse(this.spec.get()))
			.build();
	}

	@AfterEach
	void tearDown() {
		TestDatabase.shutdown(this.dataSource);
	}

	@Test
	void reloadKeyringWhenNewPrimaryAddedThenNewWritesAndReEncryptionUseItWithoutRestart() {
		CredentialInfo old = save("OLD", "old-secret");
		this.spec.set(this.keyB + "," + this.keyA);

		Keyring reloaded = this.engine.reloadKeyring();
		CredentialInfo fresh = save("NEW", "new-secret");

		String idA = Keyring.parse(this.keyA).primaryKeyId();
		String idB = Keyring.parse(this.keyB).primaryKeyId();
		assertThat(reloaded.primaryKeyId()).isEqualTo(idB);
		assertThat(this.engine.keyIdsInUse()).containsExactlyInAnyOrder(idA, idB);
		assertThat(this.engine.credentialService().reEncryptAll()).isEqualTo(1);
		assertThat(this.engine.keyIdsInUse()).containsExactly(idB);
		assertThat(this.engine.localStore().findById(null, old.id()).orElseThrow().apiKey()).isEqualTo("old-secret");
		assertThat(this.engine.localStore().findById(null, fresh.id()).orElseThrow().apiKey()).isEqualTo("new-secret");
	}

	@Test
	void reloadKeyringWhenStoredKeyMissingThenRefusedAndCurrentKeyringStaysInUse() {
		CredentialInfo old = save("OLD", "old-secret");
		this.spec.set(this.keyB);

		assertThatExceptionOfType(KeyConfigurationException.class).isThrownBy(this.engine::reloadKeyring)
			.withMessageContaining(Keyring.parse(this.keyA).primaryKeyId());
		assertThat(this.engine.localStore().findById(null, old.id()).orElseThrow().apiKey()).isEqualTo("old-secret");
		assertThat(save("SECOND", "second-secret").id()).isNotNull();
		assertThat(this.engine.keyIdsInUse()).containsExactly(Keyring.parse(this.keyA).primaryKeyId());
	}

	@Test
	void buildWhenKeyringSourceAndConfiguredKeyThenOldCredentialsReadableAndMovedToTheSourcesPrimary() {
		CredentialInfo old = save("OLD", "old-secret");

		// moving from KEYFLOW_ENCRYPTION_KEY (A) to a keyring source such as Vault transit (B)
		KeyflowEngine migrating = KeyflowEngine.builder(this.dataSource)
			.keyringSource(() -> Keyring.parse(this.keyB))
			.encryptionKey(this.keyA)
			.build();
		assertThat(migrating.localStore().findById(null, old.id()).orElseThrow().apiKey()).isEqualTo("old-secret");
		assertThat(migrating.credentialService().reEncryptAll()).isEqualTo(1);

		KeyflowEngine migrated = KeyflowEngine.builder(this.dataSource)
			.keyringSource(() -> Keyring.parse(this.keyB))
			.build();
		assertThat(migrated.localStore().findById(null, old.id()).orElseThrow().apiKey()).isEqualTo("old-secret");
	}

	private CredentialInfo save(String key, String value) {
		return this.engine.credentialService()
			.save(CredentialDraft.builder(CredentialType.API_KEY).key(key).secrets(Map.of("apiKey", value)).build());
	}

	private static String newKey() {
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		return Base64.getEncoder().encodeToString(key);
	}

}
