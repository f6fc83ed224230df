package io.keyflow.plugin.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.keyflow.api.Credential;
import io.keyflow.api.CredentialInfo;
import io.keyflow.api.CredentialStatus;
import io.keyflow.api.CredentialType;
import io.keyflow.plugin.CredentialDraft;
import io.keyflow.plugin.KeyflowEngine;
import io.keyflow.plugin.internal.metrics.KeyflowMetrics;
import io.keyflow.plugin.internal.store.CachingCredentialStore;
import io.keyflow.plugin.internal.store.JdbcCredentialStore;
import io.keyflow.plugin.internal.store.SettableClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two Keyflow nodes on one real PostgreSQL. Node A keeps alice's credential in its lookup cache (wired as
 * {@link KeyflowEngine} wires it) past the TTL while nothing changes; when node B updates it, marks it as needing
 * re-authorisation or deletes it, node A answers from memory until its next generation check (a TTL after the last
 * one), then sees B's change.
 */
class TwoNodeCacheIntegrationTests {

	static final String KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

	static final Duration TTL = Duration.ofSeconds(5);

	@RegisterExtension
	static final EmbeddedPostgresFixture.PerClass POSTGRES = new EmbeddedPostgresFixture.PerClass();

	private final SettableClock clock = new SettableClock(Instant.now());

	private HikariDataSource poolA;

	private HikariDataSource poolB;

	private KeyflowEngine nodeB;

	private CachingCredentialStore cacheA;

	private Credential alice;

	@BeforeEach
	void twoNodes() {
		this.poolA = POSTGRES.server().pool(4);
		this.poolB = POSTGRES.server().pool(4);
		KeyflowEngine nodeA = KeyflowEngine.builder(this.poolA).encryptionKey(KEY).clock(this.clock).build();
		this.nodeB = KeyflowEngine.builder(this.poolB).encryptionKey(KEY).schemaUpdate(false).build();
		JdbcCredentialStore localA = (JdbcCredentialStore) nodeA.localStore();
		this.cacheA = new CachingCredentialStore(nodeA.store(), TTL, 1_000, this.clock, localA::writeCount,
				localA::generation, KeyflowMetrics.NONE);
		// a fresh principal per test: the database outlives the test
		String principal = "alice-" + java.util.UUID.randomUUID();
		CredentialInfo saved = nodeA.credentialService().save(CredentialDraft.builder(CredentialType.OAUTH2)
			.provider("github")
			.principalId(principal)
			.secret(Credential.ACCESS_TOKEN, "gho_alice_first")
			.build());
		this.alice = nodeA.store().findById(null, saved.id()).orElseThrow();
		assertThat(token()).contains("gho_alice_first");
	}

	@AfterEach
	void closePools() {
		this.poolA.close();
		this.poolB.close();
	}

	@Test
	void findByPrincipalWhenNothingChangesThenNodeAKeepsItPastTheTtl() {
		this.clock.advance(TTL.multipliedBy(10));

		assertThat(token()).contains("gho_alice_first");
	}

	@Test
	void findByPrincipalWhenNodeBUpdatesItThenNodeASeesItAfterItsNextCheck() {
		this.nodeB.credentialService().save(CredentialDraft.builder(CredentialType.OAUTH2)
			.provider("github")
			.principalId(this.alice.principalId())
			.secret(Credential.ACCESS_TOKEN, "gho_alice_second")
			.build());

		this.clock.advance(TTL.minusMillis(1));
		assertThat(token()).as("from node A's memory").contains("gho_alice_first");
		this.clock.advance(Duration.ofMillis(1));
		assertThat(token()).contains("gho_alice_second");
	}

	@Test
	void findByPrincipalWhenNodeBMarksItForReauthorisationThenNodeASeesItAfterItsNextCheck() {
		this.nodeB.localStore()
			.save(this.alice.withInfo(this.alice.info().toBuilder().status(CredentialStatus.NEEDS_REAUTHORIZATION).build()));

		this.clock.advance(TTL.minusMillis(1));
		assertThat(status()).contains(CredentialStatus.ACTIVE);
		this.clock.advance(Duration.ofMillis(1));
		assertThat(status()).contains(CredentialStatus.NEEDS_REAUTHORIZATION);
	}

	@Test
	void findByPrincipalWhenNodeBDeletesItThenNodeASeesItAfterItsNextCheck() {
		assertThat(this.nodeB.credentialService().delete(null, this.alice.id())).isTrue();

		this.clock.advance(TTL.minusMillis(1));
		assertThat(token()).contains("gho_alice_first");
		this.clock.advance(Duration.ofMillis(1));
		assertThat(token()).isEmpty();
	}

	private Optional<String> token() {
		return this.cacheA.findByPrincipal(null, this.alice.principalId(), "github").map(Credential::accessToken);
	}

	private Optional<CredentialStatus> status() {
		return this.cacheA.findByPrincipal(null, this.alice.principalId(), "github").map(Credential::info)
			.map(CredentialInfo::status);
	}

}
