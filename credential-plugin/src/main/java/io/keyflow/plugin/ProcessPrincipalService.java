package io.keyflow.plugin;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import io.keyflow.api.InvalidCredentialException;
import io.keyflow.api.ProcessInstanceNotFoundException;
import io.keyflow.plugin.internal.KeyflowLog;
import io.keyflow.plugin.internal.principal.PrincipalIds;
import io.keyflow.plugin.internal.principal.Principals;

/**
 * Reads and, for support, reassigns the principal a process instance's tasks resolve per-user credentials for.
 * Keyflow records it once, when the root process instance starts (see {@link ProcessPrincipal}); this is the
 * only way to change it afterwards. A reassignment is an administrator's act: it is logged and audited with
 * who did it and why, and takes effect at the instance's next credential-declaring task (on other engine nodes
 * within {@code keyflow.resolution-cache-ttl}).
 */
public class ProcessPrincipalService {

	private static final Pattern ACTOR = Pattern.compile("[^\\p{Cntrl}]{1,64}");

	private static final Pattern REASON = Pattern.compile("[^\\p{Cntrl}]{1,200}");

	/** Records younger than this are kept by {@link #removeOrphans()}: their start may still be in flight. */
	static final Duration ORPHAN_GRACE = Duration.ofHours(1);

	private final Principals principals;

	private final KeyflowAudit audit;

	ProcessPrincipalService(Principals principals, KeyflowAudit audit) {
		this.principals = principals;
		this.audit = audit;
	}

	/**
	 * @param processInstanceId a running or ended process instance (a called process answers its root's)
	 * @return the recorded principal, or empty when the instance started before Keyflow recorded principals
	 * and has not run a credential-declaring task since
	 * @throws ProcessInstanceNotFoundException if no such process instance is running or in the history
	 */
	public Optional<ProcessPrincipal> find(String processInstanceId) {
		Objects.requireNonNull(processInstanceId, "processInstanceId cannot be null");
		String root = this.principals.rootOf(processInstanceId, true)
			.orElseThrow(() -> new ProcessInstanceNotFoundException(processInstanceId));
		return this.principals.find(root);
	}

	/**
	 * Gives a running process instance (with every process it called) another principal.
	 * @param processInstanceId a running process instance; a called process reassigns its root
	 * @param principalId the new principal, or {@code null} for none (tasks then use tenant defaults)
	 * @param actor who reassigns it, for the audit trail (1 to 64 characters)
	 * @param reason why, for the audit trail (1 to 200 characters, e.g. a ticket number)
	 * @return the new record
	 * @throws InvalidCredentialException if the principal, actor or reason is malformed; nothing changed
	 * @throws ProcessInstanceNotFoundException if no such process instance is running; nothing changed
	 */
	public ProcessPrincipal reassign(String processInstanceId, String principalId, String actor, String reason) {
		Objects.requireNonNull(processInstanceId, "processInstanceId cannot be null");
		if (principalId != null && !PrincipalIds.valid(principalId)) {
			throw new InvalidCredentialException("principalId",
					"principalId must be 1 to 255 characters without control characters");
		}
		if (actor == null || !ACTOR.matcher(actor).matches()) {
			throw new InvalidCredentialException("actor", "actor must be 1 to 64 characters without control characters");
		}
		if (reason == null || reason.isBlank() || !REASON.matcher(reason).matches()) {
			throw new InvalidCredentialException("reason",
					"reason must be 1 to 200 characters without control characters (e.g. a ticket number)");
		}
		String root = this.principals.rootOf(processInstanceId, false)
			.orElseThrow(() -> new ProcessInstanceNotFoundException(processInstanceId));
		String before = this.principals.find(root).map(ProcessPrincipal::principalId).orElse(null);
		ProcessPrincipal after = this.principals.reassign(root, principalId, actor, null)
			.orElseThrow(() -> new ProcessInstanceNotFoundException(processInstanceId));
		KeyflowLog.principalReassigned(root, before, principalId, actor);
		this.audit.record(AuditRecord.of("principal.reassign", actor).subject("process instance " + root + ": "
				+ quote(before) + " -> " + quote(principalId) + "; reason: " + reason));
		return after;
	}

	/**
	 * Deletes the records of process instances that are neither running nor in the history any more (history
	 * cleanup removed them). Spring Boot runs this every {@code keyflow.principal.cleanup-interval}.
	 * @return how many records were deleted
	 */
	public int removeOrphans() {
		int removed = this.principals.removeOrphans(ORPHAN_GRACE);
		KeyflowLog.principalsRemoved(removed);
		return removed;
	}

	private static String quote(String principal) {
		return (principal != null) ? "'" + principal + "'" : "none";
	}

}
