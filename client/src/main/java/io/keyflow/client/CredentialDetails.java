package io.keyflow.client;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.keyflow.api.CredentialType;
import io.keyflow.api.UsagePolicy;

/**
 * A stored credential as the server describes it: metadata only, never a secret.
 *
 * @param id the id
 * @param key the key, or {@code null} for a principal's credential without one
 * @param name the display name
 * @param type the type
 * @param service the provider or service id
 * @param principalId the principal it belongs to, or {@code null}
 * @param tenantId the tenant, or {@code null} for the tenant-less scope
 * @param policy where it may be used
 * @param status {@code ACTIVE} or {@code NEEDS_REAUTHORIZATION} ({@code null} in a create answer)
 * @param scopes the OAuth2 scopes
 * @param tokenExpiresAt when the access token expires, or {@code null}
 * @param metadata free metadata, values of any JSON type (String, Number, Boolean, null, List, Map)
 * @param createdAt when it was created
 * @param updatedAt when it was last written, or {@code null} in a create answer
 * @param etag the revision to send back as {@code If-Match} with {@link Credentials#save(NewCredential, String)},
 * or {@code null} (a create answer, a credential of a read-only store)
 */
public record CredentialDetails(String id, String key, String name, CredentialType type, String service,
		String principalId, String tenantId, UsagePolicy policy, String status, Set<String> scopes,
		Instant tokenExpiresAt, Map<String, Object> metadata, Instant createdAt, Instant updatedAt,
		String etag) {

	public CredentialDetails {
		scopes = Set.copyOf(scopes);
		metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
	}

	static CredentialDetails of(JsonNode json) {
		UsagePolicy policy = new UsagePolicy(Json.strings(json, "allowedProcesses"), Json.strings(json, "allowedOrigins"),
				Json.bool(json, "sealed"));
		String type = Json.text(json, "type");
		return new CredentialDetails(Json.text(json, "id"), Json.text(json, "key"), Json.text(json, "name"),
				(type != null) ? CredentialType.fromWireName(type) : null, Json.text(json, "service"),
				Json.text(json, "principalId"), Json.text(json, "tenantId"), policy, Json.text(json, "status"),
				Json.strings(json, "scopes"), Json.instant(json, "tokenExpiresAt"), Json.objectMap(json, "metadata"),
				Json.instant(json, "createdAt"), Json.instant(json, "updatedAt"), Json.text(json, "etag"));
	}

	static List<CredentialDetails> list(JsonNode array) {
		List<CredentialDetails> list = new java.util.ArrayList<>();
		array.forEach((element) -> list.add(of(element)));
		return list;
	}

}
