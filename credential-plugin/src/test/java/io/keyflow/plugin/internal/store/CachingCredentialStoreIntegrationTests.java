package io.keyflow.plugin.internal.store;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import javax.sql.DataSource;

import io.keyflow.api.Credential;
import io.keyflow.api.CredentialInfo;
import io.keyflow.api.CredentialQuery;
import io.keyflow.api.CredentialStatus;
import io.keyflow.api.CredentialStore;
import io.keyflow.api.CredentialType;
import io.keyflow.api.Keyring;
import io.keyflow.plugin.internal.crypto.AesGcmSecretCipher;
import io.keyflow.plugin.internal.metrics.KeyflowMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lookup cache in front of the real local store (H2). A local answer is kept until a credential changes: at once
 * for a write on this node, after the next generation check (once per TTL) for another node's; an answer of another
 * store (Vault KV) for the TTL. "Another node" is a second store on the same database, with its own write counter.
 */
class CachingCredentialStoreIntegrationTests {

	static final Duration TTL = Duration.ofSeconds(5);

	private final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private final AtomicInteger loads = new AtomicInteger();

	private final AtomicInteger generationReads = new AtomicInteger();

	private final AtomicInteger hits = new AtomicInteger();

	private final AtomicInteger misses = new AtomicInteger();

	private DataSource dataSource;

	private AesGcmSecretCipher cipher;

	private JdbcCredentialStore store;

	private JdbcCredentialStore otherNode;

	private CachingCredentialStore cache;

	@BeforeEach
	void setUp() {
		this.dataSource = TestDatabase.h2WithSchema();
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		this.cipher = new AesGcmSecretCipher(Keyring.parse(Base64.getEncoder().encodeToString(key)));
		this.store = new JdbcCredentialStore(this.dataSource, this.cipher, this.clock);
		this.otherNode = new JdbcCredentialStore(this.dataSource, this.cipher, this.clock);
		this.cache = cache(counting(this.store), 100, this.store::generation);
	}

	@AfterEach
	void tearDown() {
		TestDatabase.shutdown(this.dataSource);
	}

	@Test
	void findByPrincipalWhenNothingChangedThenServedFromMemoryLongPastTheTtl() {
		this.store.save(alice("gho_first"));
		assertThat(alicesToken()).contains("gho_first");

		for (int i = 0; i < 100; i++) {
			this.clock.advance(Duration.ofSeconds(5));
			assertThat(alicesToken()).contains("gho_first");
		}

		assertThat(this.loads).as("one query and decryption for 500 s of lookups").hasValue(1);
		assertThat(this.generationReads).as("the generation is read once per TTL").hasValue(101);
		assertThat(this.hits).hasValue(100);
		assertThat(this.misses).hasValue(1);
	}

	@Test
	void findByPrincipalWhenManyLookupsWithinTheTtlThenTheGenerationIsReadOnce() {
		this.store.save(alice("gho_first"));

		for (int i = 0; i < 1000; i++) {
			assertThat(alicesToken()).contains("gho_first");
		}

		assertThat(this.generationReads).hasValue(1);
		assertThat(this.loads).hasValue(1);
	}

	@Test
	void findByKeyWhenWrittenOnThisNodeThenNewValueAtOnce() {
		save(this.store, "c1", "first");
		assertThat(apiKey()).contains("first");

		save(this.store, "c1", "second");

		assertThat(apiKey()).contains("second");
	}

	@Test
	void findByKeyWhenNotFoundThenCreatedOnThisNodeSeenAtOnce() {
		assertThat(apiKey()).isEmpty();

		save(this.store, "c1", "created");

		assertThat(apiKey()).contains("created");
	}

	@Test
	void findByKeyWhenUpdatedOnAnotherNodeThenOldValueUntilTheNextCheckThenNew() {
		save(this.store, "c1", "first");
		assertThat(apiKey()).contains("first");

		save(this.otherNode, "c1", "second");

		this.clock.advance(TTL.minusMillis(1));
		assertThat(apiKey()).as("within the TTL of the last check").contains("first");
		this.clock.advance(Duration.ofMillis(1));
		assertThat(apiKey()).contains("second");
	}

	@Test
	void findByPrincipalWhenDeletedOrMarkedOnAnotherNodeThenSeenAfterTheNextCheck() {
		Credential saved = this.store.save(alice("gho_first"));
		assertThat(alicesToken()).contains("gho_first");

		this.otherNode.save(saved.withInfo(saved.info().toBuilder().status(CredentialStatus.NEEDS_REAUTHORIZATION)
			.build()));
		this.clock.advance(TTL);
		assertThat(this.cache.findByPrincipal(null, "alice", "github").map(Credential::info)
			.map(CredentialInfo::status)).contains(CredentialStatus.NEEDS_REAUTHORIZATION);

		this.otherNode.delete(null, saved.id());
		this.clock.advance(TTL.minusMillis(1));
		assertThat(alicesToken()).contains("gho_first");
		this.clock.advance(Duration.ofMillis(1));
		assertThat(alicesToken()).isEmpty();
	}

	@Test
	void findByKeyWhenNotFoundAndOnlyTheLocalStoreThenKeptUntilAnotherNodeCreatesIt() {
		assertThat(apiKey()).isEmpty();
		this.clock.advance(Duration.ofMinutes(1));
		assertThat(apiKey()).isEmpty();
		assertThat(this.loads).as("'none' of the local store is kept past the TTL").hasValue(1);

		save(this.otherNode, "c1", "created elsewhere");
		this.clock.advance(TTL);

		assertThat(apiKey()).contains("created elsewhere");
	}

	@Test
	void findByKeyWhenChangedOutsideKeyflowThenOldValueAtMostTheMaximumAge() {
		save(this.store, "c1", "first");
		assertThat(apiKey()).contains("first");
		// an operator's SQL: no generation moves
		new JdbcTemplate(this.dataSource).update("delete from KEYFLOW_CREDENTIAL");

		this.clock.advance(CachingCredentialStore.MAX_LOCAL_AGE.minusSeconds(1));
		assertThat(apiKey()).contains("first");
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(apiKey()).isEmpty();
	}

	@Test
	void findByKeyWhenAWriteOnAnotherNodeRacesWithTheLoadThenTheEntryIsReloadedAfterTheNextCheck() {
		save(this.store, "c1", "first");
		// another node commits its write after the load read the row and before the entry is kept
		CredentialStore racing = new LocalLike() {
			@Override
			public Optional<Credential> findByKey(String tenantId, String key) {
				Optional<Credential> read = CachingCredentialStoreIntegrationTests.this.store.findByKey(tenantId, key);
				save(CachingCredentialStoreIntegrationTests.this.otherNode, "c1", "second");
				return read;
			}
		};
		this.cache = cache(racing, 100, this.store::generation);
		assertThat(apiKey()).contains("first");

		this.clock.advance(TTL);

		assertThat(apiKey()).as("stamped with the generation known before the load").contains("second");
	}

	@Test
	void findByKeyWhenAnotherStoreAnsweredThenExpiresAfterTheTtl() {
		Map<String, String> vault = new ConcurrentHashMap<>(Map.of("CACHED", "vault-first"));
		this.cache = cache(new CompositeCredentialStore(List.of(new VaultLike(vault), counting(this.store))), 100,
				this.store::generation);
		assertThat(apiKey()).contains("vault-first");

		vault.put("CACHED", "vault-second");
		this.clock.advance(TTL.minusMillis(1));
		assertThat(apiKey()).contains("vault-first");
		this.clock.advance(Duration.ofMillis(1));

		assertThat(apiKey()).contains("vault-second");
	}

	@Test
	void findByKeyWhenNotFoundAndAnotherStoreIsAskedThenTheNoneExpiresAfterTheTtl() {
		Map<String, String> vault = new ConcurrentHashMap<>();
		this.cache = cache(new CompositeCredentialStore(List.of(counting(this.store), new VaultLike(vault))), 100,
				this.store::generation);
		assertThat(apiKey()).isEmpty();

		vault.put("CACHED", "added in vault");
		this.clock.advance(TTL.minusMillis(1));
		assertThat(apiKey()).isEmpty();
		this.clock.advance(Duration.ofMillis(1));

		assertThat(apiKey()).contains("added in vault");
	}

	@Test
	void findByKeyWhenTheLocalStoreAnswersInAComposite() {
		Map<String, String> vault = new ConcurrentHashMap<>();
		this.cache = cache(new CompositeCredentialStore(List.of(new VaultLike(vault), counting(this.store))), 100,
				this.store::generation);
		save(this.store, "c1", "local");
		assertThat(apiKey()).contains("local");

		this.clock.advance(Duration.ofMinutes(1));

		assertThat(apiKey()).contains("local");
		assertThat(CompositeCredentialStore.lastAnswered()).isEqualTo(JdbcCredentialStore.NAME);
		assertThat(this.loads).hasValue(1);
	}

	@Test
	void findByKeyWhenMoreLookupsThanTheBoundThenSomeAreEvictedNotAll() {
		this.cache = cache(counting(this.store), 3, this.store::generation);
		for (int i = 0; i < 10; i++) {
			this.cache.findByKey(null, "KEY_" + i);
		}

		assertThat(this.cache.size()).isEqualTo(3);
		assertThat(this.loads).hasValue(10);
	}

	@Test
	void findByKeyWhenAnotherThreadReadsTheGenerationThenThisOneAnswersWithoutWaiting() throws Exception {
		CountDownLatch reading = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger reads = new AtomicInteger();
		LongSupplier slowSecondRead = () -> {
			if (reads.incrementAndGet() == 2) {
				reading.countDown();
				await(release);
			}
			return this.store.generation();
		};
		this.cache = cache(counting(this.store), 100, slowSecondRead);
		save(this.store, "c1", "first");
		assertThat(apiKey()).contains("first");
		this.clock.advance(TTL);
		CompletableFuture<Optional<String>> checking = CompletableFuture.supplyAsync(this::apiKey);
		try {
			assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();

			assertThat(apiKey()).as("served with the last known generation").contains("first");
			assertThat(reads).hasValue(2);
		}
		finally {
			release.countDown();
		}
		assertThat(checking.get(10, TimeUnit.SECONDS)).contains("first");
	}

	@Test
	void toStringThenNoSecret() {
		save(this.store, "c1", "cache-secret-value");
		apiKey();

		assertThat(this.cache.toString()).doesNotContain("cache-secret-value").contains("entries=1");
	}

	private CachingCredentialStore cache(CredentialStore delegate, int maxEntries, LongSupplier generation) {
		return new CachingCredentialStore(delegate, TTL, maxEntries, this.clock, this.store::writeCount, () -> {
			this.generationReads.incrementAndGet();
			return generation.getAsLong();
		}, new KeyflowMetrics() {
			@Override
			public void cacheLookup(boolean hit) {
				(hit ? CachingCredentialStoreIntegrationTests.this.hits : CachingCredentialStoreIntegrationTests.this.misses)
					.incrementAndGet();
			}
		});
	}

	/** The local store, counting the lookups that reach it. */
	private CredentialStore counting(JdbcCredentialStore local) {
		return new LocalLike() {
			@Override
			public Optional<Credential> findById(String tenantId, String id) {
				CachingCredentialStoreIntegrationTests.this.loads.incrementAndGet();
				return local.findById(tenantId, id);
			}

			@Override
			public Optional<Credential> findByKey(String tenantId, String key) {
				CachingCredentialStoreIntegrationTests.this.loads.incrementAndGet();
				return local.findByKey(tenantId, key);
			}

			@Override
			public Optional<Credential> findByPrincipal(String tenantId, String principalId, String provider) {
				CachingCredentialStoreIntegrationTests.this.loads.incrementAndGet();
				return local.findByPrincipal(tenantId, principalId, provider);
			}
		};
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private Optional<String> apiKey() {
		return this.cache.findByKey(null, "CACHED").map(Credential::apiKey);
	}

	private Optional<String> alicesToken() {
		return this.cache.findByPrincipal(null, "alice", "github").map(Credential::accessToken);
	}

	private static Credential alice(String token) {
		return Credential.of(CredentialInfo.builder(CredentialType.OAUTH2).id("alice-github").provider("github")
			.principalId("alice").build(), Map.of(Credential.ACCESS_TOKEN, token));
	}

	private static void save(JdbcCredentialStore node, String id, String value) {
		CredentialInfo info = CredentialInfo.builder(CredentialType.API_KEY).id(id).key("CACHED").build();
		Optional<Credential> existing = node.findById(null, id);
		node.save(existing.map((c) -> Credential.of(c.info(), Map.of("apiKey", value)))
			.orElseGet(() -> Credential.of(info, Map.of("apiKey", value))));
	}

	/** A store named as the local one, which finds nothing unless told otherwise. */
	private static class LocalLike implements CredentialStore {

		@Override
		public String name() {
			return JdbcCredentialStore.NAME;
		}

		@Override
		public Optional<Credential> findById(String tenantId, String id) {
			return Optional.empty();
		}

		@Override
		public Optional<Credential> findByKey(String tenantId, String key) {
			return Optional.empty();
		}

		@Override
		public Optional<Credential> findByPrincipal(String tenantId, String principalId, String provider) {
			return Optional.empty();
		}

		@Override
		public List<CredentialInfo> list(CredentialQuery query) {
			return List.of();
		}

	}

	/** A read-only store whose content changes outside Keyflow, as Vault KV's does. */
	private static final class VaultLike extends LocalLike {

		private final Map<String, String> apiKeys;

		VaultLike(Map<String, String> apiKeys) {
			this.apiKeys = apiKeys;
		}

		@Override
		public String name() {
			return "vault-kv";
		}

		@Override
		public Optional<Credential> findByKey(String tenantId, String key) {
			return Optional.ofNullable(this.apiKeys.get(key))
				.map((value) -> Credential.of(CredentialInfo.builder(CredentialType.API_KEY).id("vault:" + key).key(key)
					.build(), Map.of(Credential.API_KEY, value)));
		}

		@Override
		public String toString() {
			return "VaultLike[" + this.apiKeys.size() + " keys]";
		}

	}

}
