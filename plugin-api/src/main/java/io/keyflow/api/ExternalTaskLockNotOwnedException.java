package io.keyflow.api;

/**
 * A worker asked for the credential of an external task that another worker holds. The message does not name the
 * other worker.
 */
public class ExternalTaskLockNotOwnedException extends CredentialException {

	private static final long serialVersionUID = 1L;

	private final String externalTaskId;

	private final String workerId;

	/**
	 * @param externalTaskId the task
	 * @param workerId the worker that asked
	 */
	public ExternalTaskLockNotOwnedException(String externalTaskId, String workerId) {
		super("external task '" + externalTaskId + "' is locked by another worker than '" + workerId + "'; only the "
				+ "worker holding the lock gets its credential");
		this.externalTaskId = externalTaskId;
		this.workerId = workerId;
	}

	/** @return the task */
	public String getExternalTaskId() {
		return this.externalTaskId;
	}

	/** @return the worker that asked */
	public String getWorkerId() {
		return this.workerId;
	}

}
