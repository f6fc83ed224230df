package io.keyflow.plugin.internal.engine;

import io.keyflow.plugin.internal.KeyflowLog;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;

/**
 * At process start, when the engine knows who starts the process (an authenticated user), makes that user the
 * process's principal, overriding a principal variable passed in with the start variables. Without it, anyone
 * allowed to start a process with variables could name another user and run tasks with that user's credentials.
 * A process started without an authenticated user (timers, messages, trusted Java code) keeps the variable as
 * given.
 */
final class PrincipalCaptureListener implements ExecutionListener {

	private final String principalVariable;

	PrincipalCaptureListener(String principalVariable) {
		this.principalVariable = principalVariable;
	}

	@Override
	public void notify(DelegateExecution execution) {
		String authenticated = EngineInternals.authenticatedUserId();
		if (authenticated == null) {
			return;
		}
		Object given = execution.getVariable(this.principalVariable);
		if (given != null && !authenticated.equals(given.toString())) {
			KeyflowLog.principalOverridden(execution.getProcessDefinitionId(), this.principalVariable, authenticated);
		}
		if (!authenticated.equals(given)) {
			execution.setVariable(this.principalVariable, authenticated);
		}
	}

}
