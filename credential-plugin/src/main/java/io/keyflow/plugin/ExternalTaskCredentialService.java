package io.keyflow.plugin;

import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import io.keyflow.api.CredentialMissingException;
import io.keyflow.api.ExternalTaskLockNotOwnedException;
import io.keyflow.api.ExternalTaskNotFoundException;
import io.keyflow.api.ExternalTaskNotLockedException;
import io.keyflow.api.InvalidCredentialException;
import io.keyflow.api.SealedCredentialException;
import io.keyflow.plugin.internal.engine.ExternalTaskExchange;

/**
 * Gives an external task's worker the task's credential for as long as it holds the task. An external task
 * ({@code camunda:type="external"}) declares its credential with {@code credential.*} properties like any task;
 * Keyflow cannot hand it over inside the engine, so the worker that fetched and locked the task exchanges the task
 * id and its worker id for it.
 * <p>
 * The exchange is bound to the engine's own lock: only while the task is locked by that worker and the lock has not
 * expired (against the engine's clock, {@code ClockUtil}). Resolution is the task's, exactly as for a Java task: its
 * requirement, its root process instance's recorded principal (never a variable), its definition's tenant, the
 * usage policy, and a refresh before expiry through the same refresher (one refresh across nodes). A sealed
 * credential never leaves Keyflow. Callers (the REST API) authenticate the worker and audit every exchange.
 */
public class ExternalTaskCredentialService {

	/** Camunda's worker ids are free text; these are printable and short enough for a log line and an audit row. */
	private static final Pattern WORKER_ID = Pattern.compile("[^\\p{Cntrl}]{1,255}");

	private final ExternalTaskExchange exchange;

	ExternalTaskCredentialService(ExternalTaskExchange exchange) {
		this.exchange = Objects.requireNonNull(exchange, "exchange cannot be null");
	}

	/**
	 * @param externalTaskId the task
	 * @param workerId the worker that fetched and locked it
	 * @return the task's credential
	 * @see #exchange(String, String, Predicate)
	 */
	public ExternalTaskCredential exchange(String externalTaskId, String workerId) {
		return exchange(externalTaskId, workerId, (tenant) -> true);
	}

	/**
	 * @param externalTaskId the task
	 * @param workerId the worker that fetched and locked it (its {@code workerId} at fetch-and-lock)
	 * @param tenants the tenants of process definitions the caller may serve ({@code null} stands for the tenant-less
	 * scope); a task of another tenant is not found
	 * @return the task's credential, with its secret parts
	 * @throws InvalidCredentialException if the task id or worker id is blank or malformed
	 * @throws ExternalTaskNotFoundException if no such task exists in the tenants the caller may serve
	 * @throws ExternalTaskNotLockedException if the task is not locked: never fetched, lock expired, suspended,
	 * completed or deleted
	 * @throws ExternalTaskLockNotOwnedException if another worker holds the task
	 * @throws CredentialMissingException if the task declares no credential or none is usable (the message is the
	 * explanation a Java task's incident gives)
	 * @throws SealedCredentialException if the credential is sealed: it is usable only by Keyflow's own egress
	 */
	public ExternalTaskCredential exchange(String externalTaskId, String workerId, Predicate<String> tenants) {
		Objects.requireNonNull(tenants, "tenants cannot be null");
		if (externalTaskId == null || externalTaskId.isBlank() || externalTaskId.length() > 64) {
			throw new InvalidCredentialException("externalTaskId", "externalTaskId must be 1 to 64 characters");
		}
		if (workerId == null || !WORKER_ID.matcher(workerId).matches()) {
			throw new InvalidCredentialException("workerId",
					"workerId must be 1 to 255 characters without control characters");
		}
		ExternalTaskExchange.Exchanged exchanged = this.exchange.exchange(externalTaskId, workerId, tenants);
		return new ExternalTaskCredential(externalTaskId, workerId, exchanged.processInstanceId(),
				exchanged.activityId(), exchanged.tenantId(), exchanged.credential());
	}

}
