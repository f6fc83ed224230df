package io.keyflow.client;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.keyflow.api.CredentialType;

/**
 * An external task's credential as the exchange hands it to the worker holding the task's lock. Holds secret parts:
 * send them where the task needs them, never log or store them. {@link #toString()} names the parts, never their
 * values.
 *
 * @param externalTaskId the task it was handed out for
 * @param type the credential's type
 * @param secrets the secret parts of the type by name: {@code accessToken} (oauth2), {@code apiKey},
 * {@code username} and {@code password} (basic), {@code value} (static); never a refresh token or client secret
 * @param authorizationHeader the {@code Authorization} header value: {@code Bearer ...} or {@code Basic ...} (secret)
 * @param tokenExpiresAt when the access token expires, or {@code null}
 * @param credentialId the credential's id
 * @param key the credential's key, or {@code null}
 * @param provider the provider or service, or {@code null}
 * @param principalId the principal it belongs to, or {@code null}
 */
public record ExternalTaskCredential(String externalTaskId, CredentialType type, Map<String, String> secrets,
		String authorizationHeader, Instant tokenExpiresAt, String credentialId, String key, String provider,
		String principalId) {

	private static final String[] SECRET_PARTS = { "accessToken", "apiKey", "username", "password", "value" };

	public ExternalTaskCredential {
		secrets = Collections.unmodifiableMap(new LinkedHashMap<>(secrets));
	}

	static ExternalTaskCredential of(String externalTaskId, JsonNode json) {
		Map<String, String> secrets = new LinkedHashMap<>();
		for (String part : SECRET_PARTS) {
			String value = Json.text(json, part);
			if (value != null) {
				secrets.put(part, value);
			}
		}
		String type = Json.text(json, "type");
		return new ExternalTaskCredential(externalTaskId, (type != null) ? CredentialType.fromWireName(type) : null,
				secrets, Json.text(json, "authorizationHeader"), Json.instant(json, "tokenExpiresAt"),
				Json.text(json, "credentialId"), Json.text(json, "key"), Json.text(json, "provider"),
				Json.text(json, "principalId"));
	}

	/** @return one secret part, or {@code null} */
	public String secret(String part) {
		return this.secrets.get(part);
	}

	@Override
	public String toString() {
		return "ExternalTaskCredential[externalTaskId=" + this.externalTaskId + ", type=" + this.type
				+ ", credentialId=" + this.credentialId + ", key=" + this.key + ", provider=" + this.provider
				+ ", principalId=" + this.principalId + ", tokenExpiresAt=" + this.tokenExpiresAt + ", secrets="
				+ this.secrets.keySet() + "]";
	}

}
