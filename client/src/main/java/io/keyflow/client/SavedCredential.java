package io.keyflow.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The answer to a save: the stored credential, and whether it was created or replaced an existing one.
 *
 * @param credential the stored credential (metadata only)
 * @param created {@code true} when created, {@code false} when an existing credential was replaced
 */
public record SavedCredential(CredentialDetails credential, boolean created) {

	static SavedCredential of(JsonNode json, boolean created) {
		return new SavedCredential(CredentialDetails.of(json), created);
	}

}
