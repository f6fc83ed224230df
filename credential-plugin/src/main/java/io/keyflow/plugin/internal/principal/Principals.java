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
 * <p>
 * A start is recorded in two steps: {@link #starting} when the root instance starts, kept in memory for the
 * command that starts it, then {@link #commit} as that command commits, which writes the row only if the instance
 * is still running ({@link #ended} was not called for it). An instance that ends in the command that started it
 * (no wait state, no asynchronous continuation) needs no row: nothing can resolve a credential for it afterwards,
 * and until that command commits no other command can see the instance.
 */
public final class Principals {

	/** Past this many entries the cache starts over. */
	static final int MAX_ENTRIES = 10_000;

	private final PrincipalTable table;

	private final Clock clock;

	private final Duration cacheTtl;

	private final Map<String, Cached> cache = new ConcurrentHashMap<>();

	/** Root instances started by commands that have not committed yet: only those commands can see them. */
	private final Map<String, Starting> starting = new ConcurrentHashMap<>();

	private record Starting(ProcessPrincipal principal, String processDefinitionId) {
	}

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
	 * Records the principal of a root process instance that starts in the current command, in memory until
	 * {@link #commit} (or {@link #rolledBack}) for it.
	 * @return the record in force for the instance
	 */
	public ProcessPrincipal starting(String rootProcessInstanceId, String principalId, ProcessPrincipal.Source source,
			String processDefinitionId) {
		ProcessPrincipal principal = new ProcessPrincipal(rootProcessInstanceId, principalId, source, now(), null);
		this.starting.put(rootProcessInstanceId, new Starting(principal, processDefinitionId));
		return principal;
	}

	/**
	 * The command that started the instance is committing: writes its record unless the instance ended in it.
	 * Runs in that command's transaction where the engine shares Keyflow's data source (Spring), so the row and the
	 * instance commit together; a failure here fails the command.
	 */
	public void commit(String rootProcessInstanceId) {
		Starting started = this.starting.remove(rootProcessInstanceId);
		if (started != null) {
			record(rootProcessInstanceId, started.principal().principalId(), started.principal().source(),
					started.processDefinitionId());
		}
	}

	/**
	 * The command that started the instance rolled back: the instance never existed.
	 */
	public void rolledBack(String rootProcessInstanceId) {
		this.starting.remove(rootProcessInstanceId);
	}

	/**
	 * A root process instance ended: forgets a record not written yet (the instance ended in the command that
	 * started it), else deletes the row if asked to (no history to attribute the instance in).
	 * @param deleteRecord whether to delete a written record
	 */
	public void ended(String rootProcessInstanceId, boolean deleteRecord) {
		if (this.starting.remove(rootProcessInstanceId) == null && deleteRecord) {
			forget(rootProcessInstanceId);
		}
	}

	/**
	 * @return the recorded principal of a root process instance, if any
	 */
	public Optional<ProcessPrincipal> find(String rootProcessInstanceId) {
		Starting started = this.starting.get(rootProcessInstanceId);
		if (started != null) {
			return Optional.of(started.principal());
		}
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
		return "Principals[cacheTtl=" + this.cacheTtl + ", cached=" + this.cache.size() + ", starting="
				+ this.starting.size() + "]";
	}

}
