package io.keyflow.vault;

import java.time.Instant;

/**
 * What Keyflow stores about one data key of the transit envelope: everything but the key, wrapped or not.
 *
 * @param keyId the Keyflow key id (the one local ciphertexts and {@code KEYFLOW_CREDENTIAL.KEY_ID_} carry)
 * @param status {@code PRIMARY} (encrypts new writes) or {@code ACTIVE} (decrypts only)
 * @param transitKey the transit key that wraps it, as {@code <mount>/<key>}
 * @param transitKeyVersion the transit key version of the stored wrapping ({@code vault:vN:}); 0 if unknown
 * @param createdAt when it was generated
 */
public record DataKeyInfo(String keyId, String status, String transitKey, int transitKeyVersion, Instant createdAt) {

	/**
	 * @return whether new writes use this key
	 */
	public boolean primary() {
		return "PRIMARY".equals(this.status);
	}

}
