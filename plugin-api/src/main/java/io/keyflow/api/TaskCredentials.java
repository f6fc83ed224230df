package io.keyflow.api;

import java.util.Optional;

import org.camunda.bpm.engine.delegate.VariableScope;

/**
 * Typed access to the credential Keyflow resolved for the running task. Keyflow sets it as the transient
 * local variable {@value #VARIABLE_NAME} before the task runs and removes it when the task ends; it is never
 * written to the database.
 *
 * <pre>
 * public void execute(DelegateExecution execution) {
 *     Credential github = TaskCredentials.require(execution);
 *     request.header("Authorization", github.authorizationHeader());
 * }
 * </pre>
 */
public final class TaskCredentials {

	/** The name of the transient variable holding the task's credential. */
	public static final String VARIABLE_NAME = "credential";

	private TaskCredentials() {
	}

	/**
	 * @param execution the task's execution
	 * @return the task's credential, if one was resolved
	 */
	public static Optional<Credential> find(VariableScope execution) {
		Object value = execution.getVariableLocal(VARIABLE_NAME);
		return (value instanceof Credential credential) ? Optional.of(credential) : Optional.empty();
	}

	/**
	 * @param execution the task's execution
	 * @return the task's credential
	 * @throws CredentialNotFoundException if none was resolved (the task declared none, or a not-required
	 * credential was missing)
	 */
	public static Credential require(VariableScope execution) {
		return find(execution).orElseThrow(() -> new CredentialNotFoundException(
				"no credential was resolved for this task; declare one with @RequiresCredential or credential.* properties"));
	}

}
