package io.keyflow.client;

import java.util.Map;
import java.util.Optional;

import io.keyflow.api.CredentialNotFoundException;

/**
 * {@code /api/credentials/keys}: the encryption keyring's status, and re-encryption to its primary key and Vault
 * transit rewrap, both run by the server in the background (an unbound admin key). Servers before these endpoints
 * answer 404: {@link io.keyflow.api.CredentialNotFoundException} or a {@link KeyflowClientException} with status 404.
 */
public final class Keys {

	private static final String BASE = "/api/credentials/keys";

	private final Transport http;

	Keys(Transport http) {
		this.http = http;
	}

	/** @return the keys (ids and row counts, never key material) and the last key operations */
	public KeyringStatus status() {
		return KeyringStatus.of(this.http.get(BASE, null));
	}

	/**
	 * Starts re-encryption of every row not under the primary key, in the background on the server (or resumes an
	 * interrupted one; a running one is left running). Poll {@link #reEncryption()} until it is no longer
	 * {@link KeyOperation#running() running}.
	 * @return its state right after the start
	 */
	public KeyOperation reEncrypt() {
		return KeyOperation.of(this.http.post(BASE + "/re-encrypt", null, Map.of()));
	}

	/** @return the progress of the last re-encryption, or empty when none has run */
	public Optional<KeyOperation> reEncryption() {
		return progress("/re-encrypt");
	}

	/**
	 * Starts rewrapping the data keys under the Vault transit key's latest version, in the background.
	 * @return its state right after the start
	 * @throws io.keyflow.api.CredentialConflictException when the keyring has no source that rewraps (no transit)
	 */
	public KeyOperation rewrap() {
		return KeyOperation.of(this.http.post(BASE + "/rewrap", null, Map.of()));
	}

	/** @return the progress of the last rewrap, or empty when none has run */
	public Optional<KeyOperation> rewrapProgress() {
		return progress("/rewrap");
	}

	private Optional<KeyOperation> progress(String path) {
		try {
			return Optional.of(KeyOperation.of(this.http.get(BASE + path, null)));
		}
		catch (CredentialNotFoundException ex) {
			return Optional.empty();
		}
	}

}
