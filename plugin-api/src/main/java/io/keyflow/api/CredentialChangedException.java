package io.keyflow.api;

/**
 * A conditional write named the revision of a credential that it read, and the credential is no longer at that
 * revision (another writer changed or deleted it meanwhile), or does not exist. Nothing was written: read it again
 * and decide again.
 */
public class CredentialChangedException extends CredentialConflictException {

	private static final long serialVersionUID = 1L;

	/**
	 * @param message which credential changed, by id or key; never a value
	 */
	public CredentialChangedException(String message) {
		super(message);
	}

}
