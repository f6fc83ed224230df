package io.keyflow.plugin.internal.engine;

import java.util.Date;
import java.util.Objects;
import java.util.function.Predicate;

import io.keyflow.api.Credential;
import io.keyflow.api.CredentialMissingException;
import io.keyflow.api.ExternalTaskLockNotOwnedException;
import io.keyflow.api.ExternalTaskNotFoundException;
import io.keyflow.api.ExternalTaskNotLockedException;
import io.keyflow.api.SealedCredentialException;
import io.keyflow.plugin.internal.KeyflowLog;
import io.keyflow.plugin.internal.principal.Principals;
import io.keyflow.plugin.internal.resolve.CredentialResolver;

import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.interceptor.CommandExecutor;
import org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity;
import org.camunda.bpm.engine.impl.persistence.entity.ExternalTaskEntity;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.util.ClockUtil;

/**
 * Hands an external task's credential to the worker that holds the task's lock. The task's requirement is bound to
 * its activity at deployment (an external task gets no start listener: nothing in the engine would consume the
 * credential); the exchange checks the engine's lock against the engine's clock, then resolves exactly as a Java
 * task's start listener does ({@link TaskResolution}), in one engine command.
 */
public final class ExternalTaskExchange {

	/** The activity property holding an external task's {@link TaskCredentialBinding}. */
	private static final String BINDING = "io.keyflow.externalTaskCredential";

	private final TaskResolution tasks;

	private volatile CommandExecutor commands;

	/**
	 * @param resolver resolves requirements
	 * @param principals where each root process instance's principal is recorded
	 * @param principalVariable the process variable a process started before Keyflow adopts its principal from
	 */
	public ExternalTaskExchange(CredentialResolver resolver, Principals principals, String principalVariable) {
		this.tasks = new TaskResolution(Objects.requireNonNull(resolver, "resolver cannot be null"),
				Objects.requireNonNull(principals, "principals cannot be null"),
				Objects.requireNonNull(principalVariable, "principalVariable cannot be null"));
	}

	static void bind(ActivityImpl activity, TaskCredentialBinding binding) {
		activity.setProperty(BINDING, binding);
	}

	/**
	 * @param configuration the engine whose external tasks are exchanged
	 */
	public void engineConfigured(ProcessEngineConfigurationImpl configuration) {
		this.commands = configuration.getCommandExecutorTxRequired();
	}

	/**
	 * @param externalTaskId the task
	 * @param workerId the worker asking; must hold the task's lock
	 * @param tenants which definition tenants the caller may serve ({@code null} for the tenant-less scope)
	 * @return the task's credential, with its secret parts
	 * @throws ExternalTaskNotFoundException unknown task, or of a tenant the caller may not serve
	 * @throws ExternalTaskNotLockedException never locked, lock expired, suspended, completed or deleted
	 * @throws ExternalTaskLockNotOwnedException locked by another worker
	 * @throws CredentialMissingException the task declares no credential, or none is usable
	 * @throws SealedCredentialException the credential is sealed
	 */
	public Exchanged exchange(String externalTaskId, String workerId, Predicate<String> tenants) {
		CommandExecutor executor = this.commands;
		if (executor == null) {
			throw new IllegalStateException("the process engine with Keyflow's plugin has not been built yet");
		}
		return executor.execute((context) -> exchange(context, externalTaskId, workerId, tenants));
	}

	private Exchanged exchange(CommandContext context, String externalTaskId, String workerId,
			Predicate<String> tenants) {
		ExternalTaskEntity task = context.getExternalTaskManager().findExternalTaskById(externalTaskId);
		if (task == null) {
			if (context.getProcessEngineConfiguration()
				.getHistoryService()
				.createHistoricExternalTaskLogQuery()
				.externalTaskId(externalTaskId)
				.count() > 0) {
				throw new ExternalTaskNotLockedException(externalTaskId, "it was completed, failed for good or deleted");
			}
			throw new ExternalTaskNotFoundException(externalTaskId);
		}
		ExecutionEntity execution = task.getExecution();
		String tenantId = EngineInternals.definitionTenantId(execution);
		if (!tenants.test(tenantId)) {
			throw new ExternalTaskNotFoundException(externalTaskId);
		}
		checkLock(task, workerId);
		ActivityImpl activity = execution.getProcessDefinition().findActivity(task.getActivityId());
		TaskCredentialBinding binding = (activity != null) ? (TaskCredentialBinding) activity.getProperty(BINDING) : null;
		TaskResolution.Outcome outcome = (binding != null) ? this.tasks.resolve(binding, execution) : null;
		if (outcome == null) {
			throw new CredentialMissingException("external task '" + externalTaskId + "' (activity "
					+ task.getActivityId() + ", process definition " + task.getProcessDefinitionId()
					+ ") declares no credential; add credential.* properties to the task in the model");
		}
		Credential credential = outcome.resolution().credential();
		if (credential == null) {
			String message = outcome.missingMessage();
			KeyflowLog.requiredCredentialMissing(message);
			throw new CredentialMissingException(message);
		}
		if (credential.sealed()) {
			throw new SealedCredentialException(credential.id(), credential.key(),
					"secret through the external-task exchange (a sealed credential never leaves Keyflow)");
		}
		KeyflowLog.externalTaskCredential(task.getActivityId(), externalTaskId, workerId, credential.id(),
				credential.key(), tenantId);
		return new Exchanged(credential, task.getProcessInstanceId(), task.getActivityId(), tenantId);
	}

	private static void checkLock(ExternalTaskEntity task, String workerId) {
		Date expiration = task.getLockExpirationTime();
		if (task.isSuspended()) {
			throw new ExternalTaskNotLockedException(task.getId(), "it is suspended");
		}
		if (expiration == null || task.getWorkerId() == null) {
			throw new ExternalTaskNotLockedException(task.getId(), "no worker has fetched and locked it");
		}
		if (!expiration.after(ClockUtil.getCurrentTime())) {
			throw new ExternalTaskNotLockedException(task.getId(),
					"its lock expired at " + expiration.toInstant());
		}
		if (!task.getWorkerId().equals(workerId)) {
			throw new ExternalTaskLockNotOwnedException(task.getId(), workerId);
		}
	}

	/**
	 * A resolved external task's credential.
	 *
	 * @param credential the credential, with its secret parts
	 * @param processInstanceId the task's process instance
	 * @param activityId the task's activity
	 * @param tenantId the tenant of the task's process definition
	 */
	public record Exchanged(Credential credential, String processInstanceId, String activityId, String tenantId) {
	}

}
