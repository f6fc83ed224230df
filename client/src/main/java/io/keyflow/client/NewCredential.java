package io.keyflow.client;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.keyflow.api.CredentialType;
import io.keyflow.api.UsagePolicy;

/**
 * What to store: a credential's fields and its secret parts, as {@code POST /api/credentials} and
 * {@code POST /api/credentials/batch} take them. The server creates it, or replaces the one with the same key (or
 * principal and service). {@link #toString()} names the secret parts, never their values.
 */
public final class NewCredential {

	private final Map<String, Object> body;

	private NewCredential(Map<String, Object> body) {
		this.body = Collections.unmodifiableMap(new LinkedHashMap<>(body));
	}

	/** @return an API key credential */
	public static Builder apiKey(String key, String apiKey) {
		return new Builder(CredentialType.API_KEY).key(key).secret("apiKey", apiKey);
	}

	/** @return a static secret (a webhook secret, a connection string, ...) */
	public static Builder staticValue(String key, String value) {
		return new Builder(CredentialType.STATIC).key(key).secret("value", value);
	}

	/** @return a username and password */
	public static Builder basic(String key, String username, String password) {
		return new Builder(CredentialType.BASIC).key(key).secret("username", username).secret("password", password);
	}

	/**
	 * Pasted OAuth2 tokens. With a refresh token the server checks them at once by a refresh at the provider
	 * {@code service} (not in a batch).
	 * @return an OAuth2 credential
	 */
	public static Builder oauth2Tokens(String service, String accessToken, String refreshToken) {
		return new Builder(CredentialType.OAUTH2).service(service)
			.secret("accessToken", accessToken)
			.secret("refreshToken", refreshToken);
	}

	/** @return a builder of the type, to set the key (or principal and service) and secret parts on */
	public static Builder of(CredentialType type) {
		return new Builder(type);
	}

	/** @return the JSON body (secret parts included): only for the request */
	Map<String, Object> body() {
		return this.body;
	}

	/** @return the key, or {@code null} */
	public String key() {
		return (String) this.body.get("key");
	}

	@Override
	public String toString() {
		Map<String, Object> shown = new LinkedHashMap<>(this.body);
		Builder.SECRET_FIELDS.forEach((field) -> shown.computeIfPresent(field, (name, value) -> "(redacted)"));
		return "NewCredential" + shown;
	}

	/** Builds a {@link NewCredential}; each setter returns the builder. */
	public static final class Builder {

		static final Set<String> SECRET_FIELDS = Set.of("apiKey", "value", "username", "password", "accessToken",
				"refreshToken", "clientSecret");

		private final Map<String, Object> body = new LinkedHashMap<>();

		private Builder(CredentialType type) {
			this.body.put("type", Objects.requireNonNull(type, "type cannot be null").wireName());
		}

		public Builder key(String key) {
			return put("key", key);
		}

		public Builder name(String name) {
			return put("name", name);
		}

		/** @param service the provider or service id (required with a principal) */
		public Builder service(String service) {
			return put("service", service);
		}

		/** @param principalId the user it belongs to (needs an admin key) */
		public Builder principalId(String principalId) {
			return put("principalId", principalId);
		}

		public Builder scopes(Set<String> scopes) {
			return put("scopes", new LinkedHashSet<>(scopes));
		}

		public Builder tokenExpiresAt(Instant expiresAt) {
			return put("tokenExpiresAt", (expiresAt != null) ? expiresAt.toString() : null);
		}

		/** @param metadata free, non-secret metadata; values of any JSON type (String, Number, Boolean, List, Map) */
		public Builder metadata(Map<String, ?> metadata) {
			return put("metadata", new LinkedHashMap<>(metadata));
		}

		/** @param policy where it may be used; absent: a new credential gets the default, a replaced one keeps its own */
		public Builder policy(UsagePolicy policy) {
			put("allowedProcesses", policy.allowedProcesses());
			put("allowedOrigins", policy.allowedOrigins());
			return put("sealed", policy.sealed());
		}

		/** @param clientId the OAuth2 client to refresh pasted tokens with, when not the configured one */
		public Builder client(String clientId, String clientSecret) {
			put("clientId", clientId);
			return secret("clientSecret", clientSecret);
		}

		/**
		 * @param part a secret field of the REST body: apiKey, value, username, password, accessToken, refreshToken
		 * @param value its value
		 */
		public Builder secret(String part, String value) {
			if (!SECRET_FIELDS.contains(part)) {
				throw new IllegalArgumentException("part must be one of " + SECRET_FIELDS);
			}
			return put(part, value);
		}

		public NewCredential build() {
			return new NewCredential(this.body);
		}

		private Builder put(String field, Object value) {
			if (value == null) {
				this.body.remove(field);
			}
			else {
				this.body.put(field, value);
			}
			return this;
		}

	}

}
