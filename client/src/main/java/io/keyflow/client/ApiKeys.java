package io.keyflow.client;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.keyflow.api.CredentialNotFoundException;

/** {@code /api/credentials/api-keys}: the server's API keys (an admin key). */
public final class ApiKeys {

	private static final String BASE = "/api/credentials/api-keys";

	private final Transport http;

	ApiKeys(Transport http) {
		this.http = http;
	}

	/** @return the keys (never their values) */
	public List<ApiKeyDetails> list() {
		List<ApiKeyDetails> keys = new ArrayList<>();
		this.http.get(BASE, null).path("items").forEach((item) -> keys.add(ApiKeyDetails.of(item)));
		return keys;
	}

	/**
	 * @param name what the key is for
	 * @param role {@code admin}, {@code editor} or {@code viewer}
	 * @param tenantId the tenant the key is bound to, or {@code null}
	 * @return the new key and its value, shown once
	 */
	public IssuedApiKey create(String name, String role, String tenantId) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("name", name);
		body.put("role", role);
		if (tenantId != null) {
			body.put("tenantId", tenantId);
		}
		JsonNode json = this.http.post(BASE, null, body);
		return new IssuedApiKey(ApiKeyDetails.of(json), Json.text(json, "apiKey"));
	}

	/** @return {@code true} when revoked, {@code false} when no such active key exists */
	public boolean revoke(String id) {
		try {
			this.http.delete(BASE + "/" + Transport.segment(id), null);
			return true;
		}
		catch (CredentialNotFoundException ex) {
			return false;
		}
	}

	/**
	 * An API key, without its value.
	 *
	 * @param id the id
	 * @param name what it is for
	 * @param role admin, editor or viewer
	 * @param tenantId the tenant it is bound to, or {@code null}
	 * @param createdAt when it was created
	 * @param createdBy who created it
	 * @param revokedAt when it was revoked, or {@code null}
	 */
	public record ApiKeyDetails(String id, String name, String role, String tenantId, Instant createdAt,
			String createdBy, Instant revokedAt) {

		static ApiKeyDetails of(JsonNode json) {
			return new ApiKeyDetails(Json.text(json, "id"), Json.text(json, "name"), Json.text(json, "role"),
					Json.text(json, "tenantId"), Json.instant(json, "createdAt"), Json.text(json, "createdBy"),
					Json.instant(json, "revokedAt"));
		}

	}

	/**
	 * A new API key with its value. {@link #toString()} never shows the value.
	 *
	 * @param details the key
	 * @param key the value to send as {@code Authorization: Bearer}
	 */
	public record IssuedApiKey(ApiKeyDetails details, String key) {

		@Override
		public String toString() {
			return "IssuedApiKey[" + this.details + ", key=(redacted)]";
		}

	}

}
