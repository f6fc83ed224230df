package io.keyflow.api;

/**
 * No external task with the given id is waiting for a worker (in the scope the caller may serve). A task that was
 * completed or deleted is {@link ExternalTaskNotLockedException not locked} instead, where the engine's history
 * still knows it.
 */
public class ExternalTaskNotFoundException extends CredentialException {

	private static final long serialVersionUID = 1L;

	private final String externalTaskId;

	/**
	 * @param externalTaskId the id that was looked for
	 */
	public ExternalTaskNotFoundException(String externalTaskId) {
		super("no external task '" + externalTaskId + "' is known to the engine in the tenant this worker may serve");
		this.externalTaskId = externalTaskId;
	}

	/** @return the id that was looked for */
	public String getExternalTaskId() {
		return this.externalTaskId;
	}

}
