package io.keyflow.api;

/**
 * No credential with the given id (in the caller's tenant), or a required credential could not be resolved
 * for a task. The message names what was looked for; never a value.
 */
public class CredentialNotFoundException extends CredentialException {

	private static final long serialVersionUID = 1L;

	/**
	 * @param message what was looked for and where
	 */
	public CredentialNotFoundException(String message) {
		super(message);
	}

}
