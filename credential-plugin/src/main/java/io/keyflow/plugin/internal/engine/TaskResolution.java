package io.keyflow.plugin.internal.engine;

import io.keyflow.api.CredentialRequirement;
import io.keyflow.plugin.ProcessPrincipal;
import io.keyflow.plugin.internal.KeyflowLog;
import io.keyflow.plugin.internal.principal.PrincipalIds;
import io.keyflow.plugin.internal.principal.Principals;
import io.keyflow.plugin.internal.resolve.CredentialResolver;
import io.keyflow.plugin.internal.resolve.Resolution;

import org.camunda.bpm.engine.delegate.DelegateExecution;

/**
 * Resolves one task's credential for one execution: the task's requirement, its root process instance's recorded
 * principal (never a variable), its definition's tenant and key. Shared by the start listener of Java tasks and
 * the exchange of external tasks, so both resolve, refuse and explain alike.
 */
final class TaskResolution {

	private final CredentialResolver resolver;

	private final Principals principals;

	private final String principalVariable;

	TaskResolution(CredentialResolver resolver, Principals principals, String principalVariable) {
		this.resolver = resolver;
		this.principals = principals;
		this.principalVariable = principalVariable;
	}

	/**
	 * @param binding what the task declares
	 * @param execution the execution running (or waiting in) the task
	 * @return the outcome, or {@code null} when the task needs no credential
	 */
	Outcome resolve(TaskCredentialBinding binding, DelegateExecution execution) {
		Outcome target = target(binding, execution);
		return (target != null) ? resolve(target) : null;
	}

	/**
	 * @param binding what the task declares
	 * @param execution the execution running (or waiting in) the task
	 * @return what the task wants and for whom (no resolution yet), or {@code null} when it needs no credential
	 */
	Outcome target(TaskCredentialBinding binding, DelegateExecution execution) {
		CredentialRequirement requirement = binding.requirement(execution);
		if (requirement == null) {
			return null;
		}
		String tenantId = EngineInternals.definitionTenantId(execution);
		String key = binding.explicitKey(requirement, execution);
		// an explicit key names the credential whoever runs the process
		String principalId = (key == null) ? principal(binding, execution) : null;
		return new Outcome(binding, execution, requirement, tenantId, principalId, key, null);
	}

	/**
	 * @param target what {@link #target} gave
	 * @return the same with the resolution
	 * @throws io.keyflow.api.ReauthorizationRequiredException if the provider refused the credential's refresh
	 */
	Outcome resolve(Outcome target) {
		Resolution resolution = this.resolver.resolve(target.requirement(), target.tenantId(), target.principalId(),
				target.key(), EngineInternals.processDefinitionKey(target.execution()));
		return new Outcome(target.binding(), target.execution(), target.requirement(), target.tenantId(),
				target.principalId(), target.key(), resolution);
	}

	/**
	 * The principal Keyflow recorded when the root process instance started; never a variable. An instance that
	 * started before Keyflow recorded principals adopts its root's variable once.
	 */
	private String principal(TaskCredentialBinding binding, DelegateExecution execution) {
		String root = EngineInternals.rootProcessInstanceId(execution);
		ProcessPrincipal recorded = this.principals.find(root).orElseGet(() -> adopt(execution, root));
		Object variable = execution.getVariable(this.principalVariable);
		if (variable != null && !variable.equals(recorded.principalId())) {
			KeyflowLog.principalVariableIgnored(execution.getProcessInstanceId(), binding.activityId(),
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

	/**
	 * What resolving one task gave.
	 *
	 * @param binding the task
	 * @param execution the execution
	 * @param requirement the effective requirement
	 * @param tenantId the tenant of the task's process definition
	 * @param principalId the principal resolved for, or {@code null}
	 * @param key the evaluated explicit key, or {@code null}
	 * @param resolution the credential, or why none was usable; {@code null} for a target not resolved yet
	 */
	record Outcome(TaskCredentialBinding binding, DelegateExecution execution, CredentialRequirement requirement,
			String tenantId, String principalId, String key, Resolution resolution) {

		/**
		 * @return why the task gets no credential and what to do: the text of the incident of a Java task, and of
		 * the refusal of an external task's exchange; secret-free
		 */
		String missingMessage() {
			return missingReason() + ". Store or connect the credential in Keyflow, then retry the job.";
		}

		/** @return why the task gets no credential, without advice (a credential request adds its own) */
		String missingReason() {
			String name = EngineInternals.activityName(this.execution);
			StringBuilder message = new StringBuilder("Task '")
				.append((name != null) ? name : this.binding.activityId())
				.append("' (activity ")
				.append(this.binding.activityId())
				.append(", process definition ")
				.append(this.execution.getProcessDefinitionId())
				.append(") requires a credential");
			if (this.requirement.provider() != null) {
				message.append(" for provider '").append(this.requirement.provider()).append("'");
			}
			if (!this.requirement.scopes().isEmpty()) {
				message.append(" with scopes ").append(this.requirement.scopes());
			}
			message.append(" and none is usable in ")
				.append((this.tenantId != null) ? "tenant '" + this.tenantId + "'" : "the tenant-less scope");
			if (this.key != null) {
				message.append(" (key '").append(this.key).append("')");
			}
			else {
				message.append(" (principal ")
					.append((this.principalId != null) ? "'" + this.principalId + "'" : "none")
					.append(")");
			}
			message.append(": ").append(String.join("; ", this.resolution.reasons()));
			return message.toString();
		}

	}

}
