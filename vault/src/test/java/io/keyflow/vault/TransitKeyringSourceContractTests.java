package io.keyflow.vault;

import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import io.keyflow.api.CredentialInfo;
import io.keyflow.api.CredentialType;
import io.keyflow.api.KeyConfigurationException;
import io.keyflow.plugin.CredentialDraft;
import io.keyflow.plugin.KeyflowEngine;
import io.keyflow.api.Keyring;
import io.keyflow.plugin.internal.store.SettableClock;
import io.keyflow.plugin.internal.store.TestDatabase;
import io.keyflow.vault.autoconfigure.KeyflowVaultClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Envelope encryption against {@link VaultContractServer}: the exact transit requests (datakey, decrypt,
 * rewrap), what is stored (wrapped keys only), start-up, both rotations, and the failures.
 */
class TransitKeyringSourceContractTests {

	private final SettableClock clock = new SettableClock(Instant.parse("2025-03-01T10:00:00Z"));

	private VaultContractServer vault;

	private KeyflowVaultClient client;

	private DataSource dataSource;

	@BeforeEach
	void setUp() {
		this.vault = VaultContractServer.start().token(VaultKvCredentialStoreContractTests.TOKEN).transitKey("keyflow");
		this.client = new KeyflowVaultClient(
				VaultKvCredentialStoreContractTests.properties(this.vault.address(), "team-a"));
		this.dataSource = TestDatabase.h2WithSchema();
	}

	@AfterEach
	void tearDown() {
		this.client.destroy();
		this.vault.close();
		TestDatabase.shutdown(this.dataSource);
	}

	private TransitKeyringSource source() {
		return TransitKeyringSource.builder(this.client.operations(), this.dataSource).clock(this.clock).build();
	}

	@Test
	void loadWhenNoDataKeyThenGeneratesWrappedKeyStoresOnlyItAndUnwrapsWithExactRequests() {
		Keyring keyring = source().load();

		List<VaultContractServer.Request> transit = this.vault.requests("/v1/transit/");
		assertThat(transit).extracting(VaultContractServer.Request::toString)
			.containsExactly("POST /v1/transit/datakey/wrapped/keyflow", "POST /v1/transit/decrypt/keyflow",
					"POST /v1/transit/decrypt/keyflow");
		assertThat(transit).allSatisfy((request) -> {
			assertThat(request.header("X-Vault-Token")).isEqualTo(VaultKvCredentialStoreContractTests.TOKEN);
			assertThat(request.header("X-Vault-Namespace")).isEqualTo("team-a");
		});
		assertThat(transit.get(0).json()).isEqualTo(Map.of("bits", 256));
		Map<String, Object> row = new JdbcTemplate(this.dataSource).queryForMap("select * from KEYFLOW_DATA_KEY");
		String wrapped = (String) row.get("WRAPPED_KEY_");
		assertThat(wrapped).startsWith("vault:v1:");
		assertThat(transit.get(1).json()).isEqualTo(Map.of("ciphertext", wrapped));
		assertThat(row).containsEntry("STATUS_", "PRIMARY")
			.containsEntry("TRANSIT_MOUNT_", "transit")
			.containsEntry("TRANSIT_KEY_", "keyflow")
			.containsEntry("KEY_ID_", keyring.primaryKeyId());

		String dataKey = this.vault.generatedDataKeys().get(0);
		assertThat(Keyring.parse(dataKey).primaryKeyId()).isEqualTo(keyring.primaryKeyId());
		assertThat(Base64.getDecoder().decode(dataKey)).hasSize(32);
		assertThat(keyring.toString()).doesNotContain(dataKey);
		assertThat(row.toString()).doesNotContain(dataKey);
	}

	@Test
	void loadWhenRestartedThenSameKeyringFromOneDecryptAndNoNewDataKey() {
		String first = source().load().primaryKeyId();
		this.vault.clearRequests();

		Keyring again = source().load();

		assertThat(again.primaryKeyId()).isEqualTo(first);
		assertThat(this.vault.lines()).containsExactly("POST /v1/transit/decrypt/keyflow");
	}

	@Test
	void rewrapDataKeysWhenTransitKeyRotatedThenStoredWrappingMovesToNewVersionAndKeysStayTheSame() {
		TransitKeyringSource source = source();
		String keyId = source.load().primaryKeyId();
		String before = new JdbcTemplate(this.dataSource).queryForObject("select WRAPPED_KEY_ from KEYFLOW_DATA_KEY",
				String.class);
		this.vault.rotateTransitKey("keyflow");
		this.vault.clearRequests();

		assertThat(source.rewrapDataKeys()).isEqualTo(1);

		assertThat(this.vault.lines()).containsExactly("POST /v1/transit/rewrap/keyflow");
		assertThat(this.vault.requests().get(0).json()).isEqualTo(Map.of("ciphertext", before));
		assertThat(source.dataKeys()).singleElement().satisfies((info) -> {
			assertThat(info.keyId()).isEqualTo(keyId);
			assertThat(info.transitKeyVersion()).isEqualTo(2);
			assertThat(info.primary()).isTrue();
		});
		assertThat(source().load().primaryKeyId()).isEqualTo(keyId);
		assertThat(source.rewrapDataKeys()).isZero();
	}

	@Test
	void rotateDataKeyThenEngineReloadsAndReEncryptsOnlineAndOldCredentialsStillResolve() {
		TransitKeyringSource source = source();
		KeyflowEngine engine = KeyflowEngine.builder(this.dataSource).keyringSource(source::load).build();
		CredentialInfo old = engine.credentialService()
			.save(CredentialDraft.builder(CredentialType.API_KEY).key("OLD").secrets(Map.of("apiKey", "old-1")).build());
		String oldKeyId = engine.keyIdsInUse().iterator().next();

		this.clock.advance(java.time.Duration.ofDays(90));
		String newKeyId = source.rotateDataKey();
		engine.reloadKeyring();
		int moved = engine.credentialService().reEncryptAll();

		assertThat(newKeyId).isNotEqualTo(oldKeyId);
		assertThat(moved).isEqualTo(1);
		assertThat(engine.keyIdsInUse()).containsExactly(newKeyId);
		assertThat(engine.localStore().findById(null, old.id()).orElseThrow().apiKey()).isEqualTo("old-1");
		assertThat(source.dataKeys()).extracting(DataKeyInfo::keyId, DataKeyInfo::status)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(newKeyId, "PRIMARY"),
					org.assertj.core.groups.Tuple.tuple(oldKeyId, "ACTIVE"));
	}

	@Test
	void loadWhenStoredRowDoesNotUnwrapToItsKeyIdThenClearStartUpError() {
		source().load();
		new JdbcTemplate(this.dataSource).update("update KEYFLOW_DATA_KEY set KEY_ID_ = 'deadbeef'");

		assertThatExceptionOfType(KeyConfigurationException.class).isThrownBy(() -> source().load())
			.withMessage("data key deadbeef in KEYFLOW_DATA_KEY does not unwrap to the key its id names (transit key "
					+ "transit/keyflow); was the row or the transit key replaced?");
	}

	@Test
	void loadWhenVaultDownThenClearStartUpErrorAndNothingWritten() {
		this.vault.failWith(503);

		assertThatExceptionOfType(KeyConfigurationException.class).isThrownBy(() -> source().load())
			.withMessage("Keyflow cannot load its data keys from Vault transit key transit/keyflow: HashiCorp Vault "
					+ "answered 503 when Keyflow tried to generate a data key with transit/datakey/wrapped/keyflow; "
					+ "this is temporary: retry the task (an asyncBefore job retries) once Vault is back");
		assertThat(new JdbcTemplate(this.dataSource).queryForObject("select count(*) from KEYFLOW_DATA_KEY",
				Integer.class)).isZero();
	}

}
