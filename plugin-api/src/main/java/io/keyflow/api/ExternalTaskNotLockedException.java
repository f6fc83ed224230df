package io.keyflow.api;

/**
 * A worker asked for an external task's credential while the task is not locked: never fetched, its lock expired,
 * or it was completed, failed or deleted. A worker gets a task's credential only while it holds the task.
 */
public class ExternalTaskNotLockedException extends CredentialException {

	private static final long serialVersionUID = 1L;

	private final String externalTaskId;

	/**
	 * @param externalTaskId the task
	 * @param state why it is not locked, e.g. {@code its lock expired at 2026-01-01T10:00:00Z}
	 */
	public ExternalTaskNotLockedException(String externalTaskId, String state) {
		super("external task '" + externalTaskId + "' is not locked: " + state + "; fetch and lock it, then ask for "
				+ "its credential while the lock lasts");
		this.externalTaskId = externalTaskId;
	}

	/** @return the task */
	public String getExternalTaskId() {
		return this.externalTaskId;
	}

}
