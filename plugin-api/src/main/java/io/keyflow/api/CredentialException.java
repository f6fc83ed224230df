package io.keyflow.api;

/**
 * Root of every exception Keyflow throws. Messages and fields carry ids, keys, providers and tenants, and
 * never a secret value: messages end up in Camunda's incident and job-log tables.
 */
public class CredentialException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * @param message a secret-free message
	 */
	public CredentialException(String message) {
		super(message);
	}

	/**
	 * @param message a secret-free message
	 * @param cause the cause; its message must be secret-free as well
	 */
	public CredentialException(String message, Throwable cause) {
		super(message, cause);
	}

}
