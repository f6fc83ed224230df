package io.keyflow.plugin.internal.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.keyflow.api.CredentialStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Keyflow's meters in a Micrometer registry (names in docs/operations.md). Only loaded when the host has Micrometer.
 */
public final class MicrometerKeyflowMetrics implements KeyflowMetrics {

	private final MeterRegistry registry;

	private final double[] percentiles;

	private final Counter cacheHits;

	private final Map<String, Counter> resolutions = new ConcurrentHashMap<>();

	private final Map<String, Timer> timers = new ConcurrentHashMap<>();

	private final Counter cacheMisses;

	private final Clock clock;

	private final Duration countsTtl;

	private volatile Map<String, Long> counts = Map.of();

	private volatile Instant countedAt;

	/**
	 * Loaded only when called, so a host without Micrometer never loads this class.
	 * @param registry a {@link MeterRegistry}
	 * @param percentiles percentiles of the resolution timer to publish
	 * @param clock for the credential-count cache
	 * @param countsTtl how long the credentials-by-status counts are reused across scrapes
	 * @param countsByStatus the number of local credentials by status
	 * @return the metrics
	 */
	public static KeyflowMetrics create(Object registry, List<Double> percentiles, Clock clock, Duration countsTtl,
			Supplier<Map<String, Long>> countsByStatus) {
		MicrometerKeyflowMetrics metrics = new MicrometerKeyflowMetrics((MeterRegistry) registry, percentiles, clock,
				countsTtl);
		metrics.credentialCounts(countsByStatus);
		return metrics;
	}

	/**
	 * @param registry where the meters go
	 * @param percentiles percentiles of the resolution timer to publish ({@code keyflow.metrics.resolution-percentiles})
	 * @param clock for the credential-count cache
	 * @param countsTtl how long the credentials-by-status counts are reused across scrapes
	 */
	public MicrometerKeyflowMetrics(MeterRegistry registry, List<Double> percentiles, Clock clock, Duration countsTtl) {
		this.registry = registry;
		this.percentiles = percentiles.stream().mapToDouble(Double::doubleValue).toArray();
		this.clock = clock;
		this.countsTtl = countsTtl;
		this.cacheHits = Counter.builder("keyflow.cache.lookups")
			.description("Credential lookups of tasks answered by the lookup cache (hit) or the stores (miss)")
			.tag("result", "hit")
			.register(registry);
		this.cacheMisses = Counter.builder("keyflow.cache.lookups")
			.description("Credential lookups of tasks answered by the lookup cache (hit) or the stores (miss)")
			.tag("result", "miss")
			.register(registry);
	}

	@Override
	public void resolution(String outcome, String store, long nanos) {
		// every task passes here: the meters are looked up once per (outcome, store), not built each time
		this.resolutions.computeIfAbsent(outcome + "|" + store, (key) -> Counter.builder("keyflow.resolutions")
			.description("Credential resolutions of tasks by outcome and store")
			.tag("outcome", outcome)
			.tag("store", store)
			.register(this.registry)).increment();
		this.timers.computeIfAbsent(outcome, (key) -> Timer.builder("keyflow.resolution")
			.description("How long resolving a task's credential took (lookup, decryption, refresh)")
			.tag("outcome", outcome)
			.publishPercentiles(this.percentiles)
			.register(this.registry)).record(nanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void cacheLookup(boolean hit) {
		(hit ? this.cacheHits : this.cacheMisses).increment();
	}

	@Override
	public void refresh(String outcome) {
		Counter.builder("keyflow.oauth2.refreshes")
			.description("OAuth2 token refreshes by outcome")
			.tag("outcome", outcome)
			.register(this.registry)
			.increment();
	}

	@Override
	public void tokenRequest(String grant, String outcome, long nanos) {
		Timer.builder("keyflow.oauth2.token.requests")
			.description("Requests to OAuth2 token endpoints by grant type and outcome")
			.tag("grant", grant)
			.tag("outcome", outcome)
			.register(this.registry)
			.record(nanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void credentialCounts(Supplier<Map<String, Long>> countsByStatus) {
		for (CredentialStatus status : CredentialStatus.values()) {
			String name = status.name();
			Gauge.builder("keyflow.credentials", () -> counts(countsByStatus).getOrDefault(name, 0L))
				.description("Credentials of the local store by status (a cached COUNT ... GROUP BY)")
				.tag("status", name)
				.strongReference(true)
				.register(this.registry);
		}
	}

	// one query for every status gauge, reused for countsTtl: a scrape does not query once per gauge
	private Map<String, Long> counts(Supplier<Map<String, Long>> countsByStatus) {
		Instant now = this.clock.instant();
		Instant at = this.countedAt;
		if (at == null || !now.isBefore(at.plus(this.countsTtl)) || now.isBefore(at)) {
			synchronized (this) {
				if (this.countedAt == at) {
					this.counts = countsByStatus.get();
					this.countedAt = now;
				}
			}
		}
		return this.counts;
	}

}
