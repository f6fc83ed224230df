package io.keyflow.rest.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

import io.keyflow.rest.ApiKeyRole;
import io.keyflow.rest.ApiKeyService;

/**
 * Finds the caller of a presented API key: the bootstrap admin key from configuration (kept as its hash only,
 * compared in constant time) or a key of {@code KEYFLOW_API_KEY}.
 */
final class ApiKeyAuthenticator {

	static final String BOOTSTRAP_ID = "bootstrap-admin";

	private final ApiKeyService keys;

	private final byte[] bootstrapHash;

	/**
	 * @param keys the stored keys
	 * @param bootstrapKey the configured admin key, or {@code null}
	 */
	ApiKeyAuthenticator(ApiKeyService keys, String bootstrapKey) {
		this.keys = keys;
		this.bootstrapHash = (bootstrapKey != null) ? ApiKeyService.hash(bootstrapKey).getBytes(StandardCharsets.US_ASCII)
				: null;
	}

	Optional<Caller> authenticate(String presented) {
		if (this.bootstrapHash != null && MessageDigest.isEqual(this.bootstrapHash,
				ApiKeyService.hash(presented).getBytes(StandardCharsets.US_ASCII))) {
			return Optional.of(new Caller(BOOTSTRAP_ID, "bootstrap admin key (keyflow.rest.admin-api-key)",
					ApiKeyRole.ADMIN, null));
		}
		return this.keys.authenticate(presented)
			.map((key) -> new Caller(key.id(), key.name(), key.role(), key.tenantId()));
	}

}
