package io.keyflow.api;

/**
 * A write would break a uniqueness rule: a key is unique per tenant, a (principal, provider) pair is unique
 * per tenant. Nothing was written.
 */
public class CredentialConflictException extends CredentialException {

	private static final long serialVersionUID = 1L;

	/**
	 * @param message which rule the write breaks, naming the key or principal and provider
	 */
	public CredentialConflictException(String message) {
		super(message);
	}

}
