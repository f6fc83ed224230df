package io.keyflow.plugin;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import io.keyflow.api.CredentialType;
import io.keyflow.api.UsagePolicy;

/**
 * What a caller asks {@link CredentialService#save} to store: a new credential, or the new content of the
 * credential with the same (principal, provider) or key. Not validated here; the service validates and
 * reports each problem with the field it concerns.
 * <p>
 * Security: {@link #toString()} prints the names of the secret parts, never their values.
 *
 * @param tenantId the tenant; {@code null} for the engine's tenant-less scope
 * @param key the tenant-unique key in UPPER_SNAKE_CASE, e.g. {@code GITHUB_ACME}; may be {@code null} when
 * principal and provider are given
 * @param name a human-readable name
 * @param type the credential type; it fixes which secret parts are required and allowed
 * @param provider the OAuth2 provider id or service name, e.g. {@code github}
 * @param principalId the user the credential belongs to; {@code null} for a tenant-wide credential
 * @param scopes the OAuth2 scopes granted
 * @param expiresAt when the access token expires, if known
 * @param metadata free, non-secret key/value metadata ({@code default=true} marks a tenant default)
 * @param secrets the secret parts by name, e.g. {@code apiKey}
 * @param policy which processes may use it, where its secret may go, whether it is sealed; {@code null} when the
 * draft does not say (a replaced credential keeps its policy; a new one gets no restriction, or is sealed if
 * {@code keyflow.policy.sealed-by-default})
 */
public record CredentialDraft(String tenantId, String key, String name, CredentialType type, String provider,
		String principalId, Set<String> scopes, Instant expiresAt, Map<String, String> metadata,
		Map<String, String> secrets, UsagePolicy policy) {

	/**
	 * Copies the collections unmodifiable; {@code null} collections become empty. Null elements are kept for
	 * the service to reject with a clear message.
	 */
	public CredentialDraft {
		scopes = (scopes != null) ? Collections.unmodifiableSet(new LinkedHashSet<>(scopes)) : Set.of();
		metadata = (metadata != null) ? Collections.unmodifiableMap(new LinkedHashMap<>(metadata)) : Map.of();
		secrets = (secrets != null) ? Collections.unmodifiableMap(new LinkedHashMap<>(secrets)) : Map.of();
	}

	/**
	 * @param type the credential type
	 * @return a builder for a draft of that type
	 */
	public static Builder builder(CredentialType type) {
		return new Builder(type);
	}

	/**
	 * @return every field, with the secret parts' names only
	 */
	@Override
	public String toString() {
		return "CredentialDraft[tenantId=" + this.tenantId + ", key=" + this.key + ", name=" + this.name + ", type="
				+ this.type + ", provider=" + this.provider + ", principalId=" + this.principalId + ", scopes="
				+ this.scopes + ", expiresAt=" + this.expiresAt + ", metadata=" + this.metadata + ", secrets="
				+ this.secrets.keySet() + " (redacted), policy=" + this.policy + "]";
	}

	/**
	 * Builds {@link CredentialDraft}s.
	 */
	public static final class Builder {

		private String tenantId;

		private String key;

		private String name;

		private CredentialType type;

		private String provider;

		private String principalId;

		private Set<String> scopes;

		private Instant expiresAt;

		private Map<String, String> metadata;

		private final Map<String, String> secrets = new LinkedHashMap<>();

		private Set<String> allowedProcesses = Set.of();

		private Set<String> allowedOrigins = Set.of();

		private Boolean sealed;

		private Builder(CredentialType type) {
			this.type = type;
		}

		public Builder tenantId(String tenantId) {
			this.tenantId = tenantId;
			return this;
		}

		public Builder key(String key) {
			this.key = key;
			return this;
		}

		public Builder name(String name) {
			this.name = name;
			return this;
		}

		public Builder type(CredentialType type) {
			this.type = type;
			return this;
		}

		public Builder provider(String provider) {
			this.provider = provider;
			return this;
		}

		public Builder principalId(String principalId) {
			this.principalId = principalId;
			return this;
		}

		public Builder scopes(Set<String> scopes) {
			this.scopes = scopes;
			return this;
		}

		public Builder expiresAt(Instant expiresAt) {
			this.expiresAt = expiresAt;
			return this;
		}

		public Builder metadata(Map<String, String> metadata) {
			this.metadata = metadata;
			return this;
		}

		/**
		 * @param secrets replaces every secret part set so far
		 * @return this builder
		 */
		public Builder secrets(Map<String, String> secrets) {
			this.secrets.clear();
			if (secrets != null) {
				this.secrets.putAll(secrets);
			}
			return this;
		}

		/**
		 * @param name the secret part's name, e.g. {@link io.keyflow.api.Credential#API_KEY}
		 * @param value its value
		 * @return this builder
		 */
		public Builder secret(String name, String value) {
			this.secrets.put(name, value);
			return this;
		}

		/**
		 * @param processDefinitionKeys the processes whose tasks may use the credential; none: any process
		 * @return this builder
		 */
		public Builder allowedProcesses(Collection<String> processDefinitionKeys) {
			this.allowedProcesses = (processDefinitionKeys != null) ? new LinkedHashSet<>(processDefinitionKeys) : Set.of();
			return this;
		}

		/**
		 * @param processDefinitionKeys the processes whose tasks may use the credential
		 * @return this builder
		 */
		public Builder allowedProcesses(String... processDefinitionKeys) {
			return allowedProcesses(Arrays.asList(processDefinitionKeys));
		}

		/**
		 * @param origins where the secret may be sent, each {@code https://host[:port]}; none: no restriction
		 * @return this builder
		 */
		public Builder allowedOrigins(Collection<String> origins) {
			this.allowedOrigins = (origins != null) ? new LinkedHashSet<>(origins) : Set.of();
			return this;
		}

		/**
		 * @param origins where the secret may be sent, each {@code https://host[:port]}
		 * @return this builder
		 */
		public Builder allowedOrigins(String... origins) {
			return allowedOrigins(Arrays.asList(origins));
		}

		/**
		 * @param sealed whether task code is refused the secret (only a policy-checking egress may send it)
		 * @return this builder
		 */
		public Builder sealed(boolean sealed) {
			this.sealed = sealed;
			return this;
		}

		/**
		 * @param policy the whole usage policy
		 * @return this builder
		 */
		public Builder policy(UsagePolicy policy) {
			this.allowedProcesses = (policy != null) ? policy.allowedProcesses() : Set.of();
			this.allowedOrigins = (policy != null) ? policy.allowedOrigins() : Set.of();
			this.sealed = (policy != null) ? policy.sealed() : null;
			return this;
		}

		/**
		 * @return the draft
		 * @throws io.keyflow.api.InvalidCredentialException if the usage policy is malformed
		 */
		public CredentialDraft build() {
			UsagePolicy policy = (this.sealed == null && this.allowedProcesses.isEmpty() && this.allowedOrigins.isEmpty())
					? null : new UsagePolicy(this.allowedProcesses, this.allowedOrigins, Boolean.TRUE.equals(this.sealed));
			return new CredentialDraft(this.tenantId, this.key, this.name, this.type, this.provider,
					this.principalId, this.scopes, this.expiresAt, this.metadata, this.secrets, policy);
		}

	}

}
