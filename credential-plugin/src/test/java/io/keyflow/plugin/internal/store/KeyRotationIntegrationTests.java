package io.keyflow.plugin.internal.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import io.keyflow.api.Credential;
import io.keyflow.api.KeyConfigurationException;
import io.keyflow.plugin.TestAccess;
import io.keyflow.plugin.internal.crypto.AesGcmSecretCipher;
import io.keyflow.api.Keyring;

import static io.keyflow.plugin.internal.store.JdbcCredentialStoreIntegrationTests.apiKey;
import static io.keyflow.plugin.internal.store.JdbcCredentialStoreIntegrationTests.newKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * The rotation an operator goes through: add the new key in front, restart, re-encrypt, drop the old key.
 * Each "restart" is a new store on the same database with another keyring.
 */
class KeyRotationIntegrationTests {

	private final SettableClock clock = new SettableClock(Instant.parse("2025-03-01T10:00:00Z"));

	private final String keyA = newKey();

	private final String keyB = newKey();

	private final String idA = Keyring.parse(this.keyA).primaryKeyId();

	private final String idB = Keyring.parse(this.keyB).primaryKeyId();

	private DataSource dataSource;

	private JdbcTemplate sql;

	@BeforeEach
	void setUp() {
		this.dataSource = TestDatabase.h2WithSchema();
		this.sql = new JdbcTemplate(this.dataSource);
	}

	@AfterEach
	void tearDown() {
		TestDatabase.shutdown(this.dataSource);
	}

	@Test
	void rotateWhenNewKeyFirstThenOldRowsReadAndNewWritesUseNewKey() {
		Credential old = storeWith(this.keyA).save(apiKey("acme", "OLD", "old-secret"));

		JdbcCredentialStore rotated = storeWith(this.keyB + "," + this.keyA);
		rotated.verifyKeys(Keyring.parse(this.keyB + "," + this.keyA));
		Credential fresh = rotated.save(apiKey("acme", "NEW", "new-secret"));

		assertThat(rotated.findById("acme", old.id()).orElseThrow().apiKey()).isEqualTo("old-secret");
		assertThat(rotated.findById("acme", fresh.id()).orElseThrow().apiKey()).isEqualTo("new-secret");
		assertThat(keyIdColumn(old.id())).isEqualTo(this.idA);
		assertThat(keyIdColumn(fresh.id())).isEqualTo(this.idB);
		assertThat(rotated.storedKeyIds()).containsExactlyInAnyOrder(this.idA, this.idB);
	}

	@Test
	void reEncryptAllThenEveryRowUnderNewKeyAndOldKeyCanBeDropped() {
		JdbcCredentialStore before = storeWith(this.keyA);
		List<Credential> saved = List.of(before.save(apiKey("acme", "ONE", "secret-1")),
				before.save(apiKey("acme", "TWO", "secret-2")), before.save(apiKey(null, "THREE", "secret-3")));
		this.clock.advance(Duration.ofHours(1));
		List<Map<String, Object>> unchanged = this.sql
			.queryForList("select ID_, REV_, UPDATED_AT_ from KEYFLOW_CREDENTIAL order by ID_");

		int moved = TestAccess.credentialService(storeWith(this.keyB + "," + this.keyA)).reEncryptAll();

		assertThat(moved).isEqualTo(3);
		assertThat(this.sql.queryForList("select KEY_ID_ from KEYFLOW_CREDENTIAL", String.class))
			.containsOnly(this.idB);
		// same content: no new revision, no new update time
		assertThat(this.sql.queryForList("select ID_, REV_, UPDATED_AT_ from KEYFLOW_CREDENTIAL order by ID_"))
			.isEqualTo(unchanged);
		JdbcCredentialStore after = storeWith(this.keyB);
		assertThatNoException().isThrownBy(() -> after.verifyKeys(Keyring.parse(this.keyB)));
		for (Credential credential : saved) {
			assertThat(after.findById(credential.tenantId(), credential.id()).orElseThrow().apiKey())
				.isEqualTo(credential.apiKey());
		}
		assertThat(TestAccess.credentialService(after).reEncryptAll()).isZero();
	}

	@Test
	void reEncryptWhenBatchSmallerThanRowsThenMovesOneBatchPerCall() {
		JdbcCredentialStore before = storeWith(this.keyA);
		for (int i = 0; i < 5; i++) {
			before.save(apiKey("acme", "KEY_" + i, "secret-" + i));
		}
		JdbcCredentialStore rotated = storeWith(this.keyB + "," + this.keyA);

		long generation = rotated.generation();

		assertThat(rotated.reEncrypt(2)).isEqualTo(2);
		assertThat(rotated.reEncrypt(2)).isEqualTo(2);
		assertThat(rotated.reEncrypt(2)).isEqualTo(1);
		assertThat(rotated.reEncrypt(2)).isZero();
		assertThat(rotated.storedKeyIds()).containsExactly(this.idB);
		assertThat(rotated.generation()).as("only ciphertexts changed: every node's cached answers stay valid")
			.isEqualTo(generation);
	}

	@Test
	void verifyKeysWhenOldKeyDroppedBeforeReEncryptionThenClearMessage() {
		storeWith(this.keyA).save(apiKey("acme", "OLD", "old-secret"));
		Keyring newOnly = Keyring.parse(this.keyB);

		assertThatExceptionOfType(KeyConfigurationException.class)
			.isThrownBy(() -> storeWith(this.keyB).verifyKeys(newOnly))
			.withMessage("stored credentials are encrypted under key id(s) " + this.idA + " not present in "
					+ "KEYFLOW_ENCRYPTION_KEY (configured key id(s): " + this.idB + "); wrong key? During rotation "
					+ "keep the old keys after the new one until re-encryption has finished")
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain(this.keyA, this.keyB));
	}

	@Test
	void verifyKeysWhenCompletelyWrongKeyThenKeyConfigurationException() {
		JdbcCredentialStore store = storeWith(this.keyA);
		store.save(apiKey("acme", "ONE", "secret"));
		String wrong = newKey();

		assertThatExceptionOfType(KeyConfigurationException.class)
			.isThrownBy(() -> storeWith(wrong).verifyKeys(Keyring.parse(wrong)))
			.withMessageStartingWith("stored credentials are encrypted under key id(s) " + this.idA + " not present");
	}

	@Test
	void verifyKeysWhenNoRowsThenAnyKeyringPasses() {
		assertThatNoException().isThrownBy(() -> storeWith(this.keyA).verifyKeys(Keyring.parse(this.keyA)));
	}

	private JdbcCredentialStore storeWith(String spec) {
		return new JdbcCredentialStore(this.dataSource, new AesGcmSecretCipher(Keyring.parse(spec)), this.clock);
	}

	private String keyIdColumn(String id) {
		return this.sql.queryForObject("select KEY_ID_ from KEYFLOW_CREDENTIAL where ID_ = ?", String.class, id);
	}

}
