package io.keyflow.externaltask;

/**
 * Keyflow refused to hand out an external task's credential, or could not be reached. Carries the HTTP status and
 * Keyflow's stable {@code code}: {@code TASK_NOT_LOCKED} (409, the lock expired or the task is done),
 * {@code LOCK_NOT_OWNED} (403, another worker holds it), {@code CREDENTIAL_SEALED} (403), {@code CREDENTIAL_MISSING}
 * (422, with the explanation a Java task's incident gives), {@code NOT_FOUND} (404), {@code FORBIDDEN} (403, not a
 * worker key), {@code UNAUTHORIZED} (401). Its message is Keyflow's, never a secret.
 */
public class KeyflowExchangeException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String externalTaskId;

	private final int status;

	private final String code;

	KeyflowExchangeException(String externalTaskId, int status, String code, String detail, Throwable cause) {
		super("Keyflow gave no credential for external task " + externalTaskId + ": "
				+ ((code != null) ? code + " (HTTP " + status + "): " : "") + detail, cause);
		this.externalTaskId = externalTaskId;
		this.status = status;
		this.code = code;
	}

	/** @return the task */
	public String getExternalTaskId() {
		return this.externalTaskId;
	}

	/** @return the HTTP status, {@code 0} when Keyflow could not be reached */
	public int getStatus() {
		return this.status;
	}

	/** @return Keyflow's stable error code, or {@code null} */
	public String getCode() {
		return this.code;
	}

}
