package io.keyflow.plugin.internal.engine;

import io.keyflow.api.Credential;
import io.keyflow.api.CredentialNotFoundException;
import io.keyflow.api.CredentialRequirement;
import io.keyflow.api.ReauthorizationRequiredException;
import io.keyflow.api.TaskCredentials;
import io.keyflow.plugin.ProcessPrincipal;
import io.keyflow.plugin.internal.KeyflowLog;
import io.keyflow.plugin.internal.principal.PrincipalIds;
import io.keyflow.plugin.internal.principal.Principals;
import io.keyflow.plugin.internal.resolve.CredentialResolver;
import io.keyflow.plugin.internal.resolve.Resolution;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.variable.Variables;

/**
 * Runs before the task's behaviour: resolves the credential and sets it as the transient local variable
 * {@value TaskCredentials#VARIABLE_NAME}. A required credential that cannot be resolved fails the task; with
 * {@code camunda:asyncBefore} that is a job failure, retries, and finally an incident.
 */
final class CredentialStartListener implements ExecutionListener {

	private final TaskCredentialBinding binding;

	private final CredentialResolver resolver;

	private final Principals principals;

	private final String principalVariable;

	private final CredentialRequestRecorder requests;

	CredentialStartListener(TaskCredentialBinding binding, CredentialResolver resolver, Principals principals,
			String principalVariable, CredentialRequestRecorder requests) {
		this.binding = binding;
		this.requests = requests;
		this.resolver = resolver;
		this.principals = principals;
		this.principalVariable = principalVariable;
	}

	@Override
	public void notify(DelegateExecution execution) {
		CredentialRequirement requirement = this.binding.requirement(execution);
		if (requirement == null) {
			return;
		}
		String tenantId = EngineInternals.definitionTenantId(execution);
		String key = this.binding.explicitKey(requirement, execution);
		// an explicit key names the credential whoever runs the process
		String principalId = (key == null) ? principal(execution) : null;
		Resolution resolution;
		try {
			resolution = this.resolver.resolve(requirement, tenantId, principalId, key,
					EngineInternals.processDefinitionKey(execution));
		}
		catch (ReauthorizationRequiredException ex) {
			throw new ReauthorizationRequiredException(ex.getCredentialId(), ex.getMessage() + " "
					+ this.requests.recordMissing(execution, this.binding, requirement, tenantId, principalId, key));
		}
		if (resolution.credential() != null) {
			Credential credential = resolution.credential();
			// transient: never written to ACT_RU_VARIABLE or history
			// the task's view: a sealed credential's secret parts stay out of task code
			execution.setVariableLocal(TaskCredentials.VARIABLE_NAME,
					Variables.objectValue(credential.forTask(), true).create());
			KeyflowLog.credentialResolved(this.binding.activityId(), credential.id(), credential.key(), tenantId);
			return;
		}
		if (requirement.required()) {
			String message = missingMessage(execution, requirement, tenantId, principalId, key, resolution) + ". "
					+ this.requests.recordMissing(execution, this.binding, requirement, tenantId, principalId, key);
			KeyflowLog.requiredCredentialMissing(message);
			throw new CredentialNotFoundException(message);
		}
		KeyflowLog.optionalCredentialMissing(this.binding.activityId(), String.join("; ", resolution.reasons()));
	}

	/**
	 * The principal Keyflow recorded when the root process instance started; never a variable. An instance that
	 * started before Keyflow recorded principals adopts its root's variable once.
	 */
	private String principal(DelegateExecution execution) {
		String root = EngineInternals.rootProcessInstanceId(execution);
		ProcessPrincipal recorded = this.principals.find(root).orElseGet(() -> adopt(execution, root));
		Object variable = execution.getVariable(this.principalVariable);
		if (variable != null && !variable.equals(recorded.principalId())) {
			KeyflowLog.principalVariableIgnored(execution.getProcessInstanceId(), this.binding.activityId(),
					this.principalVariable);
		}
		return recorded.principalId();
	}

	private ProcessPrincipal adopt(DelegateExecution execution, String root) {
		DelegateExecution rootInstance = EngineInternals.rootProcessInstance(execution);
		Object value = rootInstance.getVariable(this.principalVariable);
		String principalId = (value instanceof String text && PrincipalIds.valid(text)) ? text : null;
		KeyflowLog.principalAdopted(root, this.principalVariable, principalId);
		return this.principals.record(root, principalId,
				(principalId != null) ? ProcessPrincipal.Source.ADOPTED : ProcessPrincipal.Source.NONE,
				rootInstance.getProcessDefinitionId());
	}

	private String missingMessage(DelegateExecution execution, CredentialRequirement requirement, String tenantId,
			String principalId, String key, Resolution resolution) {
		String name = execution.getCurrentActivityName();
		StringBuilder message = new StringBuilder("Task '").append((name != null) ? name : this.binding.activityId())
			.append("' (activity ")
			.append(this.binding.activityId())
			.append(", process definition ")
			.append(execution.getProcessDefinitionId())
			.append(") requires a credential");
		if (requirement.provider() != null) {
			message.append(" for provider '").append(requirement.provider()).append("'");
		}
		if (!requirement.scopes().isEmpty()) {
			message.append(" with scopes ").append(requirement.scopes());
		}
		message.append(" and none is usable in ").append((tenantId != null) ? "tenant '" + tenantId + "'" : "the tenant-less scope");
		if (key != null) {
			message.append(" (key '").append(key).append("')");
		}
		else {
			message.append(" (principal ").append((principalId != null) ? "'" + principalId + "'" : "none").append(")");
		}
		message.append(": ").append(String.join("; ", resolution.reasons()));
		return message.toString();
	}

}
