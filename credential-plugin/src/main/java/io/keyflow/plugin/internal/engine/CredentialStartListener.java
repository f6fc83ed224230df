package io.keyflow.plugin.internal.engine;

import io.keyflow.api.Credential;
import io.keyflow.api.CredentialNotFoundException;
import io.keyflow.api.ReauthorizationRequiredException;
import io.keyflow.api.TaskCredentials;
import io.keyflow.plugin.internal.KeyflowLog;
import io.keyflow.plugin.internal.resolve.Resolution;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.variable.Variables;

/**
 * Runs before the task's behaviour: resolves the credential and sets it as the transient local variable
 * {@value TaskCredentials#VARIABLE_NAME}. A required credential that cannot be resolved fails the task, and opens
 * (or joins) a credential request that names what is wanted; with {@code camunda:asyncBefore} that is a job
 * failure, retries, and finally an incident, which fulfilling the request resolves.
 */
final class CredentialStartListener implements ExecutionListener {

	private final TaskCredentialBinding binding;

	private final TaskResolution tasks;

	private final CredentialRequestRecorder requests;

	CredentialStartListener(TaskCredentialBinding binding, TaskResolution tasks, CredentialRequestRecorder requests) {
		this.binding = binding;
		this.tasks = tasks;
		this.requests = requests;
	}

	@Override
	public void notify(DelegateExecution execution) {
		TaskResolution.Outcome target = this.tasks.target(this.binding, execution);
		if (target == null) {
			return;
		}
		TaskResolution.Outcome outcome;
		try {
			outcome = this.tasks.resolve(target);
		}
		catch (ReauthorizationRequiredException ex) {
			throw new ReauthorizationRequiredException(ex.getCredentialId(), ex.getMessage() + " " + request(target));
		}
		Resolution resolution = outcome.resolution();
		if (resolution.credential() != null) {
			Credential credential = resolution.credential();
			// transient: never written to ACT_RU_VARIABLE or history
			// the task's view: a sealed credential's secret parts stay out of task code
			execution.setVariableLocal(TaskCredentials.VARIABLE_NAME,
					Variables.objectValue(credential.forTask(), true).create());
			KeyflowLog.credentialResolved(this.binding.activityId(), credential.id(), credential.key(),
					outcome.tenantId());
			return;
		}
		if (outcome.requirement().required()) {
			String message = outcome.missingReason() + ". " + request(outcome);
			KeyflowLog.requiredCredentialMissing(message);
			throw new CredentialNotFoundException(message);
		}
		KeyflowLog.optionalCredentialMissing(this.binding.activityId(), String.join("; ", resolution.reasons()));
	}

	// opens or joins the credential request of what the task wants; the text the incident ends with
	private String request(TaskResolution.Outcome target) {
		return this.requests.recordMissing(target.execution(), this.binding, target.requirement(), target.tenantId(),
				target.principalId(), target.key());
	}

}
