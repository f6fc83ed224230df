package io.keyflow.plugin.internal.principal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.keyflow.plugin.ProcessPrincipal;
import io.keyflow.plugin.internal.jdbc.KeyflowJdbc;

/**
 * The principals of root process instances: recorded once at start, read by every credential-declaring task.
 * Reads are kept in memory for the resolution cache's TTL (a record never changes but by a reassignment, which
 * this node sees at once and other nodes within the TTL).
 */
public final class Principals {

	/** Past this many entries the cache starts over. */
	static final int MAX_ENTRIES = 10_000;

	private final PrincipalTable table;

	private final Clock clock;

	private final Duration cacheTtl;

	private final Map<String, Cached> cache = new ConcurrentHashMap<>();

	private record Cached(ProcessPrincipal principal, Instant fetchedAt) {
	}

	/**
	 * @param db Keyflow's database access
	 * @param clock the time source
	 * @param cacheTtl how long a read is kept; {@link Duration#ZERO} reads the table every time
	 */
	public Principals(KeyflowJdbc db, Clock clock, Duration cacheTtl) {
		this.table = new PrincipalTable(Objects.requireNonNull(db, "db cannot be null"));
		this.clock = Objects.requireNonNull(clock, "clock cannot be null");
		this.cacheTtl = Objects.requireNonNull(cacheTtl, "cacheTtl cannot be null");
	}

	/**
	 * Records the principal of a root process instance that is starting. An existing record is kept as it is.
	 * @return the record now in force
	 */
	public ProcessPrincipal record(String rootProcessInstanceId, String principalId, ProcessPrincipal.Source source,
			String processDefinitionId) {
		ProcessPrincipal principal = new ProcessPrincipal(rootProcessInstanceId, principalId, source, now(), null);
		if (!this.table.insert(principal, processDefinitionId)) {
			return this.table.find(rootProcessInstanceId).map(this::remember).orElse(principal);
		}
		return remember(principal);
	}

	/**
	 * @return the recorded principal of a root process instance, if any
	 */
	public Optional<ProcessPrincipal> find(String rootProcessInstanceId) {
		Cached cached = this.cache.get(rootProcessInstanceId);
		Instant now = this.clock.instant();
		if (cached != null && now.isBefore(cached.fetchedAt().plus(this.cacheTtl)) && !now.isBefore(cached.fetchedAt())) {
			return Optional.of(cached.principal());
		}
		return this.table.find(rootProcessInstanceId).map(this::remember);
	}

	/**
	 * Replaces the principal of a root process instance.
	 * @return the new record, or empty when the instance has none (nothing was written)
	 */
	public Optional<ProcessPrincipal> reassign(String rootProcessInstanceId, String principalId, String changedBy,
			String processDefinitionId) {
		ProcessPrincipal principal = new ProcessPrincipal(rootProcessInstanceId, principalId,
				ProcessPrincipal.Source.REASSIGNED, now(), changedBy);
		if (this.table.update(principal) || this.table.insert(principal, processDefinitionId)) {
			return Optional.of(remember(principal));
		}
		return Optional.empty();
	}

	/**
	 * Forgets a root process instance's principal (its history is gone, or was never kept).
	 */
	public void forget(String rootProcessInstanceId) {
		this.cache.remove(rootProcessInstanceId);
		this.table.delete(rootProcessInstanceId);
	}

	/**
	 * @param grace rows younger than this are kept (their start may not be committed yet)
	 * @return how many records of instances that are neither running nor in the history were deleted
	 */
	public int removeOrphans(Duration grace) {
		int removed = this.table.deleteOrphans(this.clock.instant().minus(grace));
		if (removed > 0) {
			this.cache.clear();
		}
		return removed;
	}

	/**
	 * @param includeHistory whether an ended (historic) instance counts
	 * @return the root process instance of a process instance
	 */
	public Optional<String> rootOf(String processInstanceId, boolean includeHistory) {
		return this.table.rootOf(processInstanceId, includeHistory);
	}

	private ProcessPrincipal remember(ProcessPrincipal principal) {
		if (this.cacheTtl.isZero()) {
			return principal;
		}
		if (this.cache.size() >= MAX_ENTRIES) {
			this.cache.clear();
		}
		this.cache.put(principal.rootProcessInstanceId(), new Cached(principal, this.clock.instant()));
		return principal;
	}

	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
	}

	@Override
	public String toString() {
		return "Principals[cacheTtl=" + this.cacheTtl + ", cached=" + this.cache.size() + "]";
	}

}
