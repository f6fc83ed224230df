package io.keyflow.plugin;

import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import io.keyflow.api.CredentialType;
import io.keyflow.api.Keyring;
import io.keyflow.plugin.internal.store.SettableClock;
import io.keyflow.plugin.internal.store.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Background re-encryption through {@link KeyOperations}: one node at a time (a lease another node holds is left
 * alone), an interrupted run (its lease ran out) resumed with its progress, a row that does not decrypt ends the run as
 * FAILED naming the row and no secret, and the key usage an operator reads before and after.
 */
class KeyOperationsIntegrationTests {

	private final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T10:00:00Z"));

	private final String oldKey = newKey();

	private final String newKey = newKey();

	private final String oldId = Keyring.parse(this.oldKey).primaryKeyId();

	private final String newId = Keyring.parse(this.newKey).primaryKeyId();

	private DataSource dataSource;

	private JdbcTemplate sql;

	@BeforeEach
	void setUp() {
		this.dataSource = TestDatabase.h2WithSchema();
		this.sql = new JdbcTemplate(this.dataSource);
		KeyflowEngine before = engine(this.oldKey);
		for (int i = 0; i < 30; i++) {
			before.credentialService().save(CredentialDraft.builder(CredentialType.API_KEY)
				.key("OPERATION_" + i)
				.secrets(Map.of("apiKey", "operation-secret-" + i))
				.build());
		}
	}

	@AfterEach
	void tearDown() {
		TestDatabase.shutdown(this.dataSource);
	}

	@Test
	void keysWhenRowsUnderTheOldKeyThenEachKeyWithItsCounts() {
		KeyOperations operations = engine(this.newKey + "," + this.oldKey).keyOperations();

		assertThat(operations.keys()).extracting(KeyOperations.KeyUsage::keyId).containsExactly(this.newId, this.oldId);
		assertThat(operations.keys().get(0).primary()).isTrue();
		assertThat(operations.keys().get(1).rows()).containsEntry("credentials", 30).containsEntry("oauth2Clients", 0);
		assertThat(operations.remaining()).isEqualTo(30);
		assertThat(operations.status(KeyOperations.RE_ENCRYPT)).isEmpty();
	}

	@Test
	void startWhenAnotherNodeHoldsTheLeaseThenItIsLeftThereAndNothingMoves() {
		lease("node-other", "RUNNING", 0, this.clock.instant().plus(Duration.ofMinutes(1)));
		KeyOperations operations = engine(this.newKey + "," + this.oldKey).keyOperations();

		KeyOperations.Status status = operations.startReEncryption();

		assertThat(status.node()).isEqualTo("node-other");
		assertThat(status.state()).isEqualTo("RUNNING");
		assertThat(operations.remaining()).isEqualTo(30);
	}

	@Test
	void startWhenTheLeaseOfACrashedNodeRanOutThenResumesWithItsProgressAndFinishes() {
		lease("node-crashed", "RUNNING", 7, this.clock.instant().minusSeconds(1));
		KeyflowEngine engine = engine(this.newKey + "," + this.oldKey);
		KeyOperations operations = engine.keyOperations();
		assertThat(operations.status(KeyOperations.RE_ENCRYPT).orElseThrow().state()).isEqualTo("INTERRUPTED");

		KeyOperations.Status started = operations.startReEncryption();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> operations.status(KeyOperations.RE_ENCRYPT).orElseThrow().state().equals("DONE"));

		assertThat(started.node()).isNotEqualTo("node-crashed").startsWith("node-");
		KeyOperations.Status done = operations.status(KeyOperations.RE_ENCRYPT).orElseThrow();
		assertThat(done.processed()).isEqualTo(7 + 30);
		assertThat(done.startedAt()).isEqualTo(this.clock.instant().minusSeconds(60));
		assertThat(operations.remaining()).isZero();
		assertThat(engine.keyIdsInUse()).isEqualTo(Set.of(this.newId));
		// the old key can go: the start-up check passes without it, and every secret reads
		KeyflowEngine restarted = engine(this.newKey);
		assertThat(restarted.store().findByKey(null, "OPERATION_3").orElseThrow().apiKey())
			.isEqualTo("operation-secret-3");
	}

	@Test
	void startWhenARowDoesNotDecryptThenFailedNamingTheRowAndNoSecret() {
		String id = this.sql.queryForObject("select ID_ from KEYFLOW_CREDENTIAL where KEY_ = 'OPERATION_0'",
				String.class);
		String secret = this.sql.queryForObject("select SECRET_ from KEYFLOW_CREDENTIAL where ID_ = ?", String.class, id);
		byte[] tampered = Base64.getDecoder().decode(secret);
		tampered[tampered.length - 1] ^= 1;
		this.sql.update("update KEYFLOW_CREDENTIAL set SECRET_ = ? where ID_ = ?",
				Base64.getEncoder().encodeToString(tampered), id);
		KeyOperations operations = engine(this.newKey + "," + this.oldKey).keyOperations();

		operations.startReEncryption();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> operations.status(KeyOperations.RE_ENCRYPT).orElseThrow().state().equals("FAILED"));

		KeyOperations.Status failed = operations.status(KeyOperations.RE_ENCRYPT).orElseThrow();
		assertThat(failed.error()).contains(id).doesNotContain("operation-secret");
		assertThat(failed.finishedAt()).isNotNull();
	}

	private void lease(String node, String state, long processed, Instant leaseUntil) {
		Timestamp started = Timestamp.valueOf(this.clock.instant().minusSeconds(60).atOffset(ZoneOffset.UTC)
			.toLocalDateTime());
		this.sql.update("insert into KEYFLOW_KEY_OPERATION (KIND_, STATE_, NODE_, LEASE_UNTIL_, PROCESSED_, BATCHES_, "
				+ "STARTED_AT_, UPDATED_AT_) values ('re-encrypt', ?, ?, ?, ?, 1, ?, ?)", state, node,
				Timestamp.valueOf(leaseUntil.atOffset(ZoneOffset.UTC).toLocalDateTime()), processed, started, started);
	}

	private KeyflowEngine engine(String keys) {
		return KeyflowEngine.builder(this.dataSource).encryptionKey(keys).clock(this.clock).schemaUpdate(false).build();
	}

	private static String newKey() {
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		return Base64.getEncoder().encodeToString(key);
	}

}
