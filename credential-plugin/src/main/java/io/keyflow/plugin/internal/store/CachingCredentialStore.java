package io.keyflow.plugin.internal.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Scheduler;

import io.keyflow.api.Credential;
import io.keyflow.api.CredentialInfo;
import io.keyflow.api.CredentialQuery;
import io.keyflow.api.CredentialStore;
import io.keyflow.plugin.internal.metrics.KeyflowMetrics;

/**
 * Keeps the answers of credential lookups, so a busy engine does not read and decrypt the same row for every task.
 * <ul>
 * <li>An answer of the local store (and "none" when the local store is the only one) is kept until this node writes
 * a credential (the write counter moved) or the shared generation moves, which every transaction that writes
 * credential rows on any node moves; this node reads the generation at most once per TTL, so a change made on
 * another node is seen within the TTL. {@link #MAX_LOCAL_AGE} bounds it for rows changed outside Keyflow.</li>
 * <li>Any other answer (an external store's, which changes outside Keyflow, or "none" when such a store is asked)
 * is kept for the TTL, or until this node writes a credential.</li>
 * </ul>
 * At most {@code maxEntries} answers are kept; past that, the least useful ones are evicted. Expiring OAuth2 tokens
 * are unaffected: the refresher re-reads the row under its lock before deciding anything.
 */
public final class CachingCredentialStore implements CredentialStore {

	/** How many answers are kept by default: a few per provider and principal. */
	public static final int DEFAULT_MAX_ENTRIES = 50_000;

	/** The longest a local answer is kept though nothing moved: a safety net for rows changed outside Keyflow. */
	public static final Duration MAX_LOCAL_AGE = Duration.ofMinutes(10);

	/** The generation of an entry loaded before the first read of the generation: never current. */
	private static final long UNKNOWN = Long.MIN_VALUE;

	private final CredentialStore delegate;

	private final Duration ttl;

	private final Duration maxLocalAge;

	private final Clock clock;

	private final LongSupplier writes;

	private final LongSupplier generations;

	private final KeyflowMetrics metrics;

	private final Cache<Lookup, Entry> entries;

	/** Whether a thread reads the generation right now; the others use the last value meanwhile. */
	private final AtomicBoolean checking = new AtomicBoolean();

	private volatile Known known;

	/** A lookup as a cache key: {@code null} stays {@code null}, so no tenant or principal name collides with it. */
	private record Lookup(String kind, String tenantId, String first, String second) {
	}

	/** What a lookup answered; {@code local}: kept until the write counter or the generation moves. */
	private record Entry(Optional<Credential> credential, String store, boolean local, Instant fetchedAt, long writes,
			long generation) {

		@Override
		public String toString() {
			return "Entry[store=" + this.store + ", fetchedAt=" + this.fetchedAt + ", generation=" + this.generation
					+ "]";
		}

	}

	/** The shared generation as last read, and when. */
	private record Known(long generation, Instant checkedAt) {
	}

	/**
	 * @param delegate the stores to ask on a miss
	 * @param ttl how long an answer that is not the local store's is kept, and how often the generation is read;
	 * must be positive
	 * @param maxEntries how many answers are kept at most; must be positive
	 * @param clock the time source
	 * @param writes a counter of credential writes on this node
	 * @param generation reads the shared generation of credential rows (a query)
	 * @param metrics counts hits and misses
	 */
	public CachingCredentialStore(CredentialStore delegate, Duration ttl, int maxEntries, Clock clock,
			LongSupplier writes, LongSupplier generation, KeyflowMetrics metrics) {
		this.delegate = Objects.requireNonNull(delegate, "delegate cannot be null");
		this.ttl = Objects.requireNonNull(ttl, "ttl cannot be null");
		if (ttl.isNegative() || ttl.isZero()) {
			throw new IllegalArgumentException("ttl must be positive");
		}
		if (maxEntries < 1) {
			throw new IllegalArgumentException("maxEntries must be positive");
		}
		this.maxLocalAge = (ttl.compareTo(MAX_LOCAL_AGE) > 0) ? ttl : MAX_LOCAL_AGE;
		this.clock = Objects.requireNonNull(clock, "clock cannot be null");
		this.writes = Objects.requireNonNull(writes, "writes cannot be null");
		this.generations = Objects.requireNonNull(generation, "generation cannot be null");
		this.metrics = Objects.requireNonNull(metrics, "metrics cannot be null");
		// the clock as ticker: an answer leaves memory at its age limit by the same time the lookups go by; the
		// system scheduler removes it then even when no lookup comes, so a secret does not stay on the heap longer
		this.entries = Caffeine.newBuilder()
			.maximumSize(maxEntries)
			.expireAfter(Expiry.<Lookup, Entry>writing((lookup, entry) -> entry.local() ? this.maxLocalAge : this.ttl))
			.ticker(() -> nanos(this.clock.instant()))
			.scheduler(Scheduler.systemScheduler())
			.executor(Runnable::run)
			.build();
	}

	private static long nanos(Instant instant) {
		return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
	}

	@Override
	public String name() {
		return this.delegate.name();
	}

	@Override
	public Optional<Credential> findById(String tenantId, String id) {
		return cached(new Lookup("id", tenantId, id, null), () -> this.delegate.findById(tenantId, id));
	}

	@Override
	public Optional<Credential> findByKey(String tenantId, String key) {
		return cached(new Lookup("key", tenantId, key, null), () -> this.delegate.findByKey(tenantId, key));
	}

	@Override
	public Optional<Credential> findByPrincipal(String tenantId, String principalId, String provider) {
		return cached(new Lookup("principal", tenantId, principalId, provider),
				() -> this.delegate.findByPrincipal(tenantId, principalId, provider));
	}

	@Override
	public List<CredentialInfo> list(CredentialQuery query) {
		return this.delegate.list(query);
	}

	/** @return how many answers are kept (an estimate while evictions are pending) */
	public long size() {
		this.entries.cleanUp();
		return this.entries.estimatedSize();
	}

	private Optional<Credential> cached(Lookup lookup, Supplier<Optional<Credential>> load) {
		Instant now = this.clock.instant();
		// both read before the load: a write racing with it can only make the entry look older, never newer
		long writes = this.writes.getAsLong();
		long generation = generation(now);
		Entry entry = this.entries.getIfPresent(lookup);
		if (entry != null && current(entry, now, writes, generation)) {
			this.metrics.cacheLookup(true);
			CompositeCredentialStore.answered(entry.store());
			return entry.credential();
		}
		this.metrics.cacheLookup(false);
		CompositeCredentialStore.answered(null);
		Optional<Credential> credential = load.get();
		String store = (this.delegate instanceof CompositeCredentialStore) ? CompositeCredentialStore.lastAnswered()
				: credential.map((found) -> this.delegate.name()).orElse(null);
		boolean local = (store != null) ? JdbcCredentialStore.NAME.equals(store) : onlyLocalStore();
		this.entries.put(lookup, new Entry(credential, store, local, now, writes, generation));
		return credential;
	}

	private boolean current(Entry entry, Instant now, long writes, long generation) {
		if (entry.writes() != writes || now.isBefore(entry.fetchedAt())) {
			return false;
		}
		if (entry.local()) {
			return entry.generation() != UNKNOWN && entry.generation() == generation
					&& now.isBefore(entry.fetchedAt().plus(this.maxLocalAge));
		}
		return now.isBefore(entry.fetchedAt().plus(this.ttl));
	}

	/**
	 * The shared generation as this node knows it: read again by the first thread that finds it a TTL old, while the
	 * others go on with the last value (no thread waits for the read).
	 */
	private long generation(Instant now) {
		Known last = this.known;
		boolean stale = last == null || !now.isBefore(last.checkedAt().plus(this.ttl)) || now.isBefore(last.checkedAt());
		if (stale && this.checking.compareAndSet(false, true)) {
			try {
				last = new Known(this.generations.getAsLong(), now);
				this.known = last;
			}
			finally {
				this.checking.set(false);
			}
		}
		return (last != null) ? last.generation() : UNKNOWN;
	}

	/** Whether "none" came from the local store alone, so that only a write of a credential can change it. */
	private boolean onlyLocalStore() {
		if (this.delegate instanceof CompositeCredentialStore composite) {
			return composite.stores().stream().allMatch((store) -> JdbcCredentialStore.NAME.equals(store.name()));
		}
		return JdbcCredentialStore.NAME.equals(this.delegate.name());
	}

	@Override
	public String toString() {
		return "CachingCredentialStore[ttl=" + this.ttl + ", entries=" + this.entries.estimatedSize() + "]";
	}

}
