package io.keyflow.rest;

import java.util.Objects;

/**
 * A newly created API key: the only moment the key itself is known. Hand it to its user and forget it; Keyflow
 * keeps its SHA-256 only.
 * <p>
 * Security: {@link #toString()} does not print the key.
 *
 * @param apiKey the stored part
 * @param key the key, for the {@code Authorization: Bearer} header
 */
public record IssuedApiKey(ApiKey apiKey, String key) {

	/** Checks the fields. */
	public IssuedApiKey {
		Objects.requireNonNull(apiKey, "apiKey cannot be null");
		Objects.requireNonNull(key, "key cannot be null");
	}

	@Override
	public String toString() {
		return "IssuedApiKey[apiKey=" + this.apiKey + ", key=(redacted)]";
	}

}
