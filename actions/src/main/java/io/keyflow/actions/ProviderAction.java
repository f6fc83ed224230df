package io.keyflow.actions;

import io.keyflow.actions.internal.ServiceAction;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

/**
 * A ready-made action that calls one provider's API with the task's credential: GitHub, Slack, Google Sheets,
 * OpenAI. Not meant to be extended outside this package; write your own actions as a {@link JavaDelegate} with
 * {@link io.keyflow.api.RequiresCredential}.
 */
public abstract class ProviderAction implements JavaDelegate {

	private final ServiceAction action;

	ProviderAction(ServiceAction action) {
		this.action = action;
	}

	@Override
	public final void execute(DelegateExecution execution) {
		this.action.execute(execution);
	}

	/**
	 * @return the base URL this action sends to
	 */
	public String baseUrl() {
		return this.action.baseUrl();
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[baseUrl=" + baseUrl() + "]";
	}

}
