package io.keyflow.plugin.internal.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.keyflow.api.Credential;
import io.keyflow.api.CredentialInfo;
import io.keyflow.api.CredentialQuery;
import io.keyflow.api.CredentialStore;
import io.keyflow.plugin.internal.metrics.KeyflowMetrics;

/**
 * Keeps the answers of credential lookups for a short time, so a busy engine does not read and decrypt the
 * same row for every task. An entry is dropped when it is older than the TTL or when this node wrote any
 * credential since (the write counter moved), so a change made on this node is seen at once; a change made
 * on another node is seen within the TTL. Expiring OAuth2 tokens are unaffected: the refresher re-reads the
 * row under its lock before deciding anything.
 */
public final class CachingCredentialStore implements CredentialStore {

	/** Past this many entries the cache starts over; it holds a few entries per provider and principal. */
	static final int MAX_ENTRIES = 10_000;

	private final CredentialStore delegate;

	private final Duration ttl;

	private final Clock clock;

	private final LongSupplier writes;

	private final KeyflowMetrics metrics;

	private final Map<Lookup, Entry> entries = new ConcurrentHashMap<>();

	/** A lookup as a cache key: {@code null} stays {@code null}, so no tenant or principal name collides with it. */
	private record Lookup(String kind, String tenantId, String first, String second) {
	}

	private record Entry(Optional<Credential> credential, String store, Instant fetchedAt, long writes) {

		@Override
		public String toString() {
			return "Entry[fetchedAt=" + this.fetchedAt + "]";
		}

	}

	/**
	 * @param delegate the stores to ask on a miss
	 * @param ttl how long an answer is kept; must be positive
	 * @param clock the time source
	 * @param writes a counter of credential writes on this node
	 */
	public CachingCredentialStore(CredentialStore delegate, Duration ttl, Clock clock, LongSupplier writes) {
		this(delegate, ttl, clock, writes, KeyflowMetrics.NONE);
	}

	/**
	 * @param delegate the stores to ask on a miss
	 * @param ttl how long an answer is kept; must be positive
	 * @param clock the time source
	 * @param writes a counter of credential writes on this node
	 * @param metrics counts hits and misses
	 */
	public CachingCredentialStore(CredentialStore delegate, Duration ttl, Clock clock, LongSupplier writes,
			KeyflowMetrics metrics) {
		this.metrics = Objects.requireNonNull(metrics, "metrics cannot be null");
		this.delegate = Objects.requireNonNull(delegate, "delegate cannot be null");
		this.ttl = Objects.requireNonNull(ttl, "ttl cannot be null");
		this.clock = Objects.requireNonNull(clock, "clock cannot be null");
		this.writes = Objects.requireNonNull(writes, "writes cannot be null");
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

	private Optional<Credential> cached(Lookup lookup, Supplier<Optional<Credential>> load) {
		Instant now = this.clock.instant();
		long writes = this.writes.getAsLong();
		Entry entry = this.entries.get(lookup);
		if (entry != null && entry.writes() == writes && now.isBefore(entry.fetchedAt().plus(this.ttl))
				&& !now.isBefore(entry.fetchedAt())) {
			this.metrics.cacheLookup(true);
			CompositeCredentialStore.answered(entry.store());
			return entry.credential();
		}
		this.metrics.cacheLookup(false);
		Optional<Credential> credential = load.get();
		if (this.entries.size() >= MAX_ENTRIES) {
			this.entries.clear();
		}
		this.entries.put(lookup, new Entry(credential, CompositeCredentialStore.lastAnswered(), now, writes));
		return credential;
	}

	@Override
	public String toString() {
		return "CachingCredentialStore[ttl=" + this.ttl + ", entries=" + this.entries.size() + "]";
	}

}
