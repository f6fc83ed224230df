package io.keyflow.plugin.internal.store;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import io.keyflow.api.Credential;
import io.keyflow.api.CredentialInfo;
import io.keyflow.api.CredentialType;
import io.keyflow.plugin.internal.crypto.AesGcmSecretCipher;
import io.keyflow.api.Keyring;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lookup cache in front of the real local store (H2): answers are kept for the TTL, a write on this node
 * is seen at once, a write the cache cannot see (another node's, here a direct SQL update) within the TTL.
 */
class CachingCredentialStoreIntegrationTests {

	private final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private DataSource dataSource;

	private JdbcCredentialStore store;

	private CachingCredentialStore cache;

	@BeforeEach
	void setUp() {
		this.dataSource = TestDatabase.h2WithSchema();
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		this.store = new JdbcCredentialStore(this.dataSource,
				new AesGcmSecretCipher(Keyring.parse(java.util.Base64.getEncoder().encodeToString(key))), this.clock);
		this.cache = new CachingCredentialStore(this.store, Duration.ofSeconds(5), this.clock, this.store::writeCount);
	}

	@AfterEach
	void tearDown() {
		TestDatabase.shutdown(this.dataSource);
	}

	@Test
	void findByKeyWhenWrittenOnThisNodeThenNewValueAtOnce() {
		save("c1", "first");
		assertThat(apiKey()).contains("first");

		save("c1", "second");

		assertThat(apiKey()).contains("second");
	}

	@Test
	void findByKeyWhenChangedElsewhereThenOldValueUntilTtlThenNew() {
		save("c1", "first");
		assertThat(apiKey()).contains("first");
		// another node deletes it: this node's write counter does not move
		new org.springframework.jdbc.core.JdbcTemplate(this.dataSource).update("delete from KEYFLOW_CREDENTIAL");

		this.clock.advance(Duration.ofSeconds(4));
		assertThat(apiKey()).contains("first");
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(apiKey()).isEmpty();
	}

	@Test
	void findByKeyWhenNotFoundThenCreatedOnThisNodeSeenAtOnce() {
		assertThat(apiKey()).isEmpty();

		save("c1", "created");

		assertThat(apiKey()).contains("created");
	}

	@Test
	void findByPrincipalWhenAPrincipalOrTenantIsNamedNullThenItsEntryIsNotTheOneOfNone() {
		this.store.save(Credential.of(CredentialInfo.builder(CredentialType.API_KEY).id("default").key("ACME_DEFAULT")
			.provider("acme").build(), Map.of("apiKey", "tenant-default")));
		this.store.save(Credential.of(CredentialInfo.builder(CredentialType.API_KEY).id("named-null").provider("acme")
			.principalId("null").build(), Map.of("apiKey", "user-named-null")));
		this.store.save(Credential.of(CredentialInfo.builder(CredentialType.API_KEY).id("tenant-null").tenantId("null")
			.key("ACME_DEFAULT").provider("acme").build(), Map.of("apiKey", "tenant-named-null")));

		assertThat(this.cache.findByPrincipal(null, null, "acme").map(Credential::apiKey)).contains("tenant-default");
		assertThat(this.cache.findByPrincipal(null, "null", "acme").map(Credential::apiKey)).contains("user-named-null");
		assertThat(this.cache.findByPrincipal("null", null, "acme").map(Credential::apiKey)).contains("tenant-named-null");
		assertThat(this.cache.findByKey("null", "ACME_DEFAULT").map(Credential::apiKey)).contains("tenant-named-null");
		assertThat(this.cache.findByKey(null, "ACME_DEFAULT").map(Credential::apiKey)).contains("tenant-default");
	}

	private Optional<String> apiKey() {
		return this.cache.findByKey(null, "CACHED").map(Credential::apiKey);
	}

	private void save(String id, String value) {
		CredentialInfo info = CredentialInfo.builder(CredentialType.API_KEY).id(id).key("CACHED").build();
		Optional<Credential> existing = this.store.findById(null, id);
		this.store.save(existing.map((c) -> Credential.of(c.info(), Map.of("apiKey", value)))
			.orElseGet(() -> Credential.of(info, Map.of("apiKey", value))));
	}

}
