package io.keyflow.client;

import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.keyflow.api.UsagePolicy;

/**
 * {@code /api/credentials/oauth2}: start a connection (the user opens the answered URL) and complete it with the
 * code and state the provider sent back.
 */
public final class OAuth2Connections {

	private static final String BASE = "/api/credentials/oauth2";

	private final Transport http;

	private final String tenantId;

	OAuth2Connections(Transport http, String tenantId) {
		this.http = http;
		this.tenantId = tenantId;
	}

	/**
	 * @param providerId the provider, e.g. {@code github}
	 * @param key the key of the credential to store, or {@code null} with a principal
	 * @param principalId the user it is for (needs an admin key), or {@code null}
	 * @return where to send the user, and the flow's state
	 * @throws io.keyflow.api.InvalidCredentialException if the provider is unknown or a field is invalid
	 */
	public AuthorizationStart start(String providerId, String key, String principalId) {
		return start(providerId, key, principalId, Set.of(), null);
	}

	/**
	 * @param scopes the scopes to ask for; empty: the provider's defaults
	 * @param policy where the credential may be used, or {@code null} for the default
	 * @return where to send the user, and the flow's state
	 */
	public AuthorizationStart start(String providerId, String key, String principalId, Set<String> scopes,
			UsagePolicy policy) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("providerId", providerId);
		putIfSet(body, "key", key);
		putIfSet(body, "principalId", principalId);
		if (!scopes.isEmpty()) {
			body.put("scopes", scopes);
		}
		if (policy != null) {
			body.put("allowedProcesses", policy.allowedProcesses());
			body.put("allowedOrigins", policy.allowedOrigins());
			body.put("sealed", policy.sealed());
		}
		JsonNode json = this.http.post(BASE + "/start", Transport.query("tenantId", this.tenantId), body);
		return new AuthorizationStart(URI.create(Json.text(json, "authorizationUrl")), Json.text(json, "state"),
				Json.instant(json, "expiresAt"));
	}

	/**
	 * Completes a flow started with an API key ({@code POST /api/credentials/oauth2/callback}).
	 * @return the connected credential
	 * @throws io.keyflow.api.OAuthStateException if the state is unknown, expired or used
	 */
	public CredentialDetails complete(String code, String state) {
		return CredentialDetails.of(this.http.post(BASE + "/callback", null, Map.of("code", code, "state", state)));
	}

	private static void putIfSet(Map<String, Object> body, String field, Object value) {
		if (value != null) {
			body.put(field, value);
		}
	}

	/**
	 * A started connection.
	 *
	 * @param authorizationUrl where the user logs in at the provider
	 * @param state the flow's state
	 * @param expiresAt when the flow expires
	 */
	public record AuthorizationStart(URI authorizationUrl, String state, Instant expiresAt) {
	}

}
