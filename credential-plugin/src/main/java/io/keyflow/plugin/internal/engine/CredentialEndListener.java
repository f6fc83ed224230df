package io.keyflow.plugin.internal.engine;

import io.keyflow.api.TaskCredentials;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;

/**
 * Removes the task's credential when the task ends. Transient variables are never persisted, but they stay
 * visible to the following activities of the same transaction: this listener makes the credential task-local.
 */
final class CredentialEndListener implements ExecutionListener {

	static final CredentialEndListener INSTANCE = new CredentialEndListener();

	@Override
	public void notify(DelegateExecution execution) {
		if (execution.hasVariableLocal(TaskCredentials.VARIABLE_NAME)) {
			execution.removeVariableLocal(TaskCredentials.VARIABLE_NAME);
		}
	}

}
