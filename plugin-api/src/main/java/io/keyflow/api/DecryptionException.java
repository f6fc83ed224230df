package io.keyflow.api;

/**
 * A ciphertext could not be decrypted: it was tampered with, belongs to another row, or was written under a
 * key that is not configured. Deliberately one message for every cause, as a padding or tag oracle must
 * not learn which.
 */
public class DecryptionException extends CredentialException {

	private static final long serialVersionUID = 1L;

	/**
	 * @param context a secret-free hint of what was being decrypted, e.g. a credential id
	 */
	public DecryptionException(String context) {
		super("decryption failed (" + context + ")");
	}

}
