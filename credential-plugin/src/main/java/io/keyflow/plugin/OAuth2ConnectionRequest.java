package io.keyflow.plugin;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

import io.keyflow.api.UsagePolicy;

/**
 * What an OAuth2 connection is for: the provider, the client to use, the scopes, and where the resulting
 * credential goes (a key and/or a principal, in a tenant). Used by every {@link OAuth2ConnectionService} method
 * that creates a credential.
 * <p>
 * Security: {@link #toString()} never prints the client secret.
 *
 * @param providerId the provider id, e.g. {@code github}
 * @param clientId the client id; {@code null} to use {@code keyflow.oauth2.clients.<provider>}
 * @param clientSecret the client secret, with {@code clientId}; stored encrypted, never returned
 * @param scopes the scopes to ask for; empty for the provider's default scopes
 * @param key the credential key (UPPER_SNAKE_CASE); may be {@code null} when a principal is given
 * @param principalId the user the credential belongs to; {@code null} for a tenant-wide credential
 * @param tenantId the tenant; {@code null} for the tenant-less scope
 * @param name a display name; {@code null} for the provider's name
 * @param policy the usage policy of the resulting credential; {@code null} when the request does not say (a new
 * credential gets none, or is sealed under {@code keyflow.policy.sealed-by-default}; a replaced one keeps its own)
 */
public record OAuth2ConnectionRequest(String providerId, String clientId, String clientSecret, Set<String> scopes,
		String key, String principalId, String tenantId, String name, UsagePolicy policy) {

	/** Copies the scopes unmodifiable; {@code null} becomes empty. */
	public OAuth2ConnectionRequest {
		scopes = (scopes != null) ? Collections.unmodifiableSet(new LinkedHashSet<>(scopes)) : Set.of();
	}

	/**
	 * A request that does not say which usage policy the credential gets.
	 */
	public OAuth2ConnectionRequest(String providerId, String clientId, String clientSecret, Set<String> scopes,
			String key, String principalId, String tenantId, String name) {
		this(providerId, clientId, clientSecret, scopes, key, principalId, tenantId, name, null);
	}

	/**
	 * @param providerId the provider id
	 * @return a builder
	 */
	public static Builder provider(String providerId) {
		return new Builder(providerId);
	}

	@Override
	public String toString() {
		return "OAuth2ConnectionRequest[providerId=" + this.providerId + ", clientId=" + this.clientId
				+ ", clientSecret=" + ((this.clientSecret != null) ? "(redacted)" : "null") + ", scopes=" + this.scopes
				+ ", key=" + this.key + ", principalId=" + this.principalId + ", tenantId=" + this.tenantId + ", policy="
				+ this.policy + "]";
	}

	/**
	 * Builds {@link OAuth2ConnectionRequest}s.
	 */
	public static final class Builder {

		private final String providerId;

		private String clientId;

		private String clientSecret;

		private Set<String> scopes;

		private String key;

		private String principalId;

		private String tenantId;

		private String name;

		private UsagePolicy policy;

		private Builder(String providerId) {
			this.providerId = providerId;
		}

		public Builder client(String clientId, String clientSecret) {
			this.clientId = clientId;
			this.clientSecret = clientSecret;
			return this;
		}

		public Builder scopes(String... scopes) {
			this.scopes = new LinkedHashSet<>(java.util.List.of(scopes));
			return this;
		}

		public Builder scopes(Set<String> scopes) {
			this.scopes = scopes;
			return this;
		}

		public Builder key(String key) {
			this.key = key;
			return this;
		}

		public Builder principalId(String principalId) {
			this.principalId = principalId;
			return this;
		}

		public Builder tenantId(String tenantId) {
			this.tenantId = tenantId;
			return this;
		}

		public Builder name(String name) {
			this.name = name;
			return this;
		}

		/**
		 * @param policy the usage policy of the resulting credential; {@code null}: the request does not say
		 * @return this builder
		 */
		public Builder policy(UsagePolicy policy) {
			this.policy = policy;
			return this;
		}

		public OAuth2ConnectionRequest build() {
			return new OAuth2ConnectionRequest(this.providerId, this.clientId, this.clientSecret, this.scopes, this.key,
					this.principalId, this.tenantId, this.name, this.policy);
		}

	}

}
