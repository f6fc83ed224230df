package io.keyflow.plugin.internal.engine;

import java.util.Objects;

import io.keyflow.plugin.ProcessPrincipal;
import io.keyflow.plugin.internal.KeyflowLog;
import io.keyflow.plugin.internal.principal.PrincipalIds;
import io.keyflow.plugin.internal.principal.Principals;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;

/**
 * Records the principal of a root process instance as it starts, before any of its activities runs: the user
 * authenticated with the engine; without one, the principal variable as the (trusted) starting code passed it,
 * unless {@code keyflow.unauthenticated-start-principal=none}. From then on the record, never a variable,
 * decides whose credentials the instance's tasks get.
 * <p>
 * A start with instructions ({@code startBeforeActivity}) writes its variables after this listener ran, so they
 * can never name the principal. When the start event is asynchronous, this listener runs in the start event's job,
 * where the starter is not authenticated: the principal is then the user the engine recorded as the instance's
 * starter, and none when there was none (the variable may have been written by anybody since the start).
 */
final class PrincipalStartListener implements ExecutionListener {

	private final Principals principals;

	private final String principalVariable;

	private final boolean variableWithoutAuthentication;

	PrincipalStartListener(Principals principals, String principalVariable, boolean variableWithoutAuthentication) {
		this.principals = Objects.requireNonNull(principals, "principals cannot be null");
		this.principalVariable = Objects.requireNonNull(principalVariable, "principalVariable cannot be null");
		this.variableWithoutAuthentication = variableWithoutAuthentication;
	}

	@Override
	public void notify(DelegateExecution execution) {
		if (!EngineInternals.isRootProcessInstance(execution)) {
			return;
		}
		Object given = execution.getVariable(this.principalVariable);
		String authenticated;
		if (EngineInternals.createdByAnEarlierCommand(execution)) {
			// in the start event's job: whoever runs the job (the job executor, or a user executing it by hand) is
			// not the starter, and the variables are whatever the starter passed or anybody wrote since; the
			// engine's record of who created the instance decides
			authenticated = EngineInternals.startUserId(execution.getProcessInstanceId());
			if (authenticated == null) {
				KeyflowLog.principalOfAsynchronousStartUnknown(execution.getProcessDefinitionId(), this.principalVariable);
				record(execution, null, ProcessPrincipal.Source.NONE);
				return;
			}
		}
		else {
			authenticated = EngineInternals.authenticatedUserId();
		}
		if (authenticated != null) {
			if (given != null && !authenticated.equals(given.toString())) {
				KeyflowLog.principalOverridden(execution.getProcessDefinitionId(), this.principalVariable, authenticated);
			}
			if (PrincipalIds.valid(authenticated)) {
				record(execution, authenticated, ProcessPrincipal.Source.AUTHENTICATED_USER);
				if (given != null && !authenticated.equals(given)) {
					// the starter passed somebody else: no model (an assignee, a display) is left reading that;
					// a start that passed nothing gets no variable (camunda:initiator does that), and no row for it
					execution.setVariable(this.principalVariable, authenticated);
				}
				return;
			}
			KeyflowLog.principalVariableRejected(execution.getProcessDefinitionId(), "the authenticated user id");
			record(execution, null, ProcessPrincipal.Source.NONE);
			return;
		}
		if (!this.variableWithoutAuthentication || given == null) {
			record(execution, null, ProcessPrincipal.Source.NONE);
			return;
		}
		if (given instanceof String text && PrincipalIds.valid(text)) {
			record(execution, text, ProcessPrincipal.Source.START_VARIABLE);
			return;
		}
		KeyflowLog.principalVariableRejected(execution.getProcessDefinitionId(), this.principalVariable);
		record(execution, null, ProcessPrincipal.Source.NONE);
	}

	// written as the command commits, and only if the instance is still running then (see Principals)
	private void record(DelegateExecution execution, String principalId, ProcessPrincipal.Source source) {
		String root = execution.getProcessInstanceId();
		this.principals.starting(root, principalId, source, execution.getProcessDefinitionId());
		EngineInternals.atCommit(() -> this.principals.commit(root), () -> this.principals.rolledBack(root));
	}

}
