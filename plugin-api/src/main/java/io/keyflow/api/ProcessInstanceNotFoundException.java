package io.keyflow.api;

/**
 * No running or historic process instance with the given id is known to Keyflow, so its principal cannot be
 * read or reassigned.
 */
public class ProcessInstanceNotFoundException extends CredentialNotFoundException {

	private static final long serialVersionUID = 1L;

	private final String processInstanceId;

	/**
	 * @param processInstanceId the id that was looked for
	 */
	public ProcessInstanceNotFoundException(String processInstanceId) {
		super("no process instance '" + processInstanceId + "' is known to Keyflow (neither running nor in the history)");
		this.processInstanceId = processInstanceId;
	}

	/**
	 * @return the id that was looked for
	 */
	public String getProcessInstanceId() {
		return this.processInstanceId;
	}

}
