package io.keyflow.externaltask;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One external task's credential as Keyflow handed it to the worker holding the task. Holds secret parts: send them
 * where the task needs them, never log or store them. {@code toString()} shows ids only.
 */
public final class TaskCredential {

	private final String externalTaskId;

	private final String type;

	private final String accessToken;

	private final String apiKey;

	private final String username;

	private final String password;

	private final String value;

	private final String authorizationHeader;

	private final Instant tokenExpiresAt;

	private final String credentialId;

	private final String key;

	private final String provider;

	private final String principalId;

	private TaskCredential(String externalTaskId, JsonNode json) {
		this.externalTaskId = externalTaskId;
		this.type = KeyflowCredentials.text(json, "type");
		this.accessToken = KeyflowCredentials.text(json, "accessToken");
		this.apiKey = KeyflowCredentials.text(json, "apiKey");
		this.username = KeyflowCredentials.text(json, "username");
		this.password = KeyflowCredentials.text(json, "password");
		this.value = KeyflowCredentials.text(json, "value");
		this.authorizationHeader = KeyflowCredentials.text(json, "authorizationHeader");
		this.tokenExpiresAt = instant(KeyflowCredentials.text(json, "tokenExpiresAt"));
		this.credentialId = KeyflowCredentials.text(json, "credentialId");
		this.key = KeyflowCredentials.text(json, "key");
		this.provider = KeyflowCredentials.text(json, "provider");
		this.principalId = KeyflowCredentials.text(json, "principalId");
	}

	static TaskCredential of(String externalTaskId, JsonNode json) {
		return new TaskCredential(externalTaskId, json);
	}

	private static Instant instant(String text) {
		try {
			return (text != null) ? Instant.parse(text) : null;
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	/** @return the task it was handed out for */
	public String externalTaskId() {
		return this.externalTaskId;
	}

	/** @return {@code oauth2}, {@code api_key}, {@code basic} or {@code static} */
	public String type() {
		return this.type;
	}

	/** @return the OAuth2 access token (type {@code oauth2}) */
	public Optional<String> accessToken() {
		return Optional.ofNullable(this.accessToken);
	}

	/** @return the API key (type {@code api_key}) */
	public Optional<String> apiKey() {
		return Optional.ofNullable(this.apiKey);
	}

	/** @return the basic-auth username (type {@code basic}) */
	public Optional<String> username() {
		return Optional.ofNullable(this.username);
	}

	/** @return the basic-auth password (type {@code basic}) */
	public Optional<String> password() {
		return Optional.ofNullable(this.password);
	}

	/** @return the static value (type {@code static}) */
	public Optional<String> value() {
		return Optional.ofNullable(this.value);
	}

	/**
	 * @return a ready {@code Authorization} header value: {@code Bearer <token>} for OAuth2, API keys and static
	 * values, {@code Basic <base64>} for basic auth
	 */
	public String authorizationHeader() {
		return this.authorizationHeader;
	}

	/** @return when the OAuth2 access token expires, if known */
	public Optional<Instant> tokenExpiresAt() {
		return Optional.ofNullable(this.tokenExpiresAt);
	}

	/** @return the credential's id in Keyflow */
	public String credentialId() {
		return this.credentialId;
	}

	/** @return the credential's key, if it has one */
	public Optional<String> key() {
		return Optional.ofNullable(this.key);
	}

	/** @return the provider (service) the credential belongs to, if any */
	public Optional<String> provider() {
		return Optional.ofNullable(this.provider);
	}

	/** @return the user the credential belongs to, for a per-user credential */
	public Optional<String> principalId() {
		return Optional.ofNullable(this.principalId);
	}

	@Override
	public String toString() {
		return "TaskCredential[externalTaskId=" + this.externalTaskId + ", type=" + this.type + ", credentialId="
				+ this.credentialId + ", key=" + this.key + ", provider=" + this.provider + ", principalId="
				+ this.principalId + ", tokenExpiresAt=" + this.tokenExpiresAt + ", secrets=(redacted)]";
	}

}
