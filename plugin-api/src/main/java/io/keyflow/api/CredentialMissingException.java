package io.keyflow.api;

/**
 * A task requires a credential and none is usable for it. The message is the one a Java task's incident carries:
 * what the task requires, for which tenant and principal, why each candidate was refused, and what to do.
 */
public class CredentialMissingException extends CredentialNotFoundException {

	private static final long serialVersionUID = 1L;

	/**
	 * @param message the secret-free explanation
	 */
	public CredentialMissingException(String message) {
		super(message);
	}

}
