package io.keyflow.rest;

import java.time.Instant;
import java.util.Objects;

/**
 * A REST API key as stored: everything but the key itself, which only its hash represents. Safe to log and return.
 *
 * @param id the key's id; audit events name it
 * @param name a human-readable name, e.g. {@code ci-pipeline}
 * @param role what the key may do
 * @param tenantId the tenant the key is bound to; {@code null} for an unbound key
 * @param createdAt when it was created
 * @param createdBy the id of the key (or {@code bootstrap-admin}) that created it; may be {@code null}
 * @param revokedAt when it was revoked; {@code null} while valid
 */
public record ApiKey(String id, String name, ApiKeyRole role, String tenantId, Instant createdAt, String createdBy,
		Instant revokedAt) {

	/** Checks the required fields. */
	public ApiKey {
		Objects.requireNonNull(id, "id cannot be null");
		Objects.requireNonNull(role, "role cannot be null");
	}

	/** @return whether the key still authenticates */
	public boolean active() {
		return this.revokedAt == null;
	}

}
