package io.keyflow.api;

/**
 * Authenticated encryption of secret parts. The associated data binds a ciphertext to its row (credential id
 * and tenant), so a ciphertext copied into another row does not decrypt.
 * <p>
 * Implementations: AES-256-GCM with a local keyring (default), and HashiCorp Vault transit.
 */
public interface SecretCipher {

	/**
	 * @param plaintext the bytes to protect
	 * @param associatedData bytes that must be presented again to decrypt; not encrypted, not stored
	 * @return a self-describing ciphertext (it names the key that made it)
	 */
	byte[] encrypt(byte[] plaintext, byte[] associatedData);

	/**
	 * @param ciphertext a ciphertext made by {@link #encrypt}
	 * @param associatedData the same associated data as at encryption
	 * @return the plaintext
	 * @throws DecryptionException for every failure (tampering, wrong row, unknown key), with one message
	 */
	byte[] decrypt(byte[] ciphertext, byte[] associatedData);

}
