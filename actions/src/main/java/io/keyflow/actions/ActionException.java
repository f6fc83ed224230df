package io.keyflow.actions;

/**
 * Root of every exception the Keyflow actions throw. It is a plain unchecked exception, not a
 * {@code BpmnError}: with {@code camunda:asyncBefore="true"} the engine retries the job and finally raises a
 * {@code failedJob} incident that shows the message in Cockpit.
 * <p>
 * Security: messages end up in Camunda's incident and job-log tables, so they never carry a secret. Response
 * excerpts are scrubbed of the task credential's secret values, URLs are shown without their query string.
 */
public class ActionException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * @param message a secret-free message
	 */
	public ActionException(String message) {
		super(message);
	}

	/**
	 * @param message a secret-free message
	 * @param cause the cause; its message must be secret-free as well
	 */
	public ActionException(String message, Throwable cause) {
		super(message, cause);
	}

}
