package io.keyflow.api;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything about a credential except its secret parts: what list and get operations return, and what a
 * store keeps in clear, queryable columns. Safe to log and to return from any API.
 *
 * @param id the credential's id, assigned on first save; {@code null} before
 * @param tenantId the tenant the credential belongs to; {@code null} for the engine's tenant-less scope
 * @param key the tenant-unique key in UPPER_SNAKE_CASE, e.g. {@code GITHUB_ACME}; may be {@code null} for a
 * credential addressed by principal and provider only
 * @param name a human-readable name
 * @param type the credential type
 * @param provider the OAuth2 provider id or service name, e.g. {@code github}; may be {@code null}
 * @param principalId the user the credential belongs to; {@code null} for a tenant-wide credential
 * @param scopes the OAuth2 scopes granted (empty for non-OAuth2 credentials)
 * @param expiresAt when the access token expires; {@code null} when it does not or is unknown
 * @param status whether the credential can be used
 * @param metadata free, non-secret key/value metadata
 * @param createdAt when it was first saved; {@code null} before
 * @param updatedAt when it was last saved; {@code null} before
 * @param policy which processes may use it, where its secret may be sent, whether task code may read it
 * @param usage how tasks used it ({@link CredentialUsage#NEVER} when unknown); not part of what is stored with it
 */
public record CredentialInfo(String id, String tenantId, String key, String name, CredentialType type,
		String provider, String principalId, Set<String> scopes, Instant expiresAt, CredentialStatus status,
		Map<String, String> metadata, Instant createdAt, Instant updatedAt, UsagePolicy policy, CredentialUsage usage) {

	/** A credential key: UPPER_SNAKE_CASE, a letter A-Z first, at most 128 characters. */
	public static final Pattern KEY_PATTERN = Pattern.compile("[A-Z][A-Z0-9_]{0,127}");

	/**
	 * Copies the collections unmodifiable and fills defaults (empty scopes and metadata, status ACTIVE).
	 */
	public CredentialInfo {
		Objects.requireNonNull(type, "type cannot be null");
		scopes = (scopes != null) ? Collections.unmodifiableSet(new LinkedHashSet<>(scopes)) : Set.of();
		metadata = (metadata != null) ? Collections.unmodifiableMap(new LinkedHashMap<>(metadata)) : Map.of();
		status = (status != null) ? status : CredentialStatus.ACTIVE;
		policy = (policy != null) ? policy : UsagePolicy.NONE;
		usage = (usage != null) ? usage : CredentialUsage.NEVER;
	}

	/**
	 * @param type the credential type
	 * @return a builder with that type
	 */
	public static Builder builder(CredentialType type) {
		return new Builder(type);
	}

	/**
	 * @return a builder holding this info's values
	 */
	public Builder toBuilder() {
		return new Builder(this.type).id(this.id)
			.tenantId(this.tenantId)
			.key(this.key)
			.name(this.name)
			.provider(this.provider)
			.principalId(this.principalId)
			.scopes(this.scopes)
			.expiresAt(this.expiresAt)
			.status(this.status)
			.metadata(this.metadata)
			.createdAt(this.createdAt)
			.updatedAt(this.updatedAt)
			.policy(this.policy)
			.usage(this.usage);
	}

	/**
	 * @param now the current time
	 * @return whether the token has an expiry at or before {@code now}
	 */
	public boolean isExpiredAt(Instant now) {
		return this.expiresAt != null && !this.expiresAt.isAfter(now);
	}

	/**
	 * Builds {@link CredentialInfo}s.
	 */
	public static final class Builder {

		private String id;

		private String tenantId;

		private String key;

		private String name;

		private CredentialType type;

		private String provider;

		private String principalId;

		private Set<String> scopes;

		private Instant expiresAt;

		private CredentialStatus status;

		private Map<String, String> metadata;

		private Instant createdAt;

		private Instant updatedAt;

		private UsagePolicy policy;

		private CredentialUsage usage;

		private Builder(CredentialType type) {
			this.type = type;
		}

		public Builder id(String id) {
			this.id = id;
			return this;
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

		public Builder status(CredentialStatus status) {
			this.status = status;
			return this;
		}

		public Builder metadata(Map<String, String> metadata) {
			this.metadata = metadata;
			return this;
		}

		public Builder createdAt(Instant createdAt) {
			this.createdAt = createdAt;
			return this;
		}

		public Builder updatedAt(Instant updatedAt) {
			this.updatedAt = updatedAt;
			return this;
		}

		/**
		 * @param policy which processes may use it, where its secret may go, whether it is sealed
		 * @return this builder
		 */
		public Builder policy(UsagePolicy policy) {
			this.policy = policy;
			return this;
		}

		/**
		 * @param usage how tasks used it
		 * @return this builder
		 */
		public Builder usage(CredentialUsage usage) {
			this.usage = usage;
			return this;
		}

		public CredentialInfo build() {
			return new CredentialInfo(this.id, this.tenantId, this.key, this.name, this.type, this.provider,
					this.principalId, this.scopes, this.expiresAt, this.status, this.metadata, this.createdAt,
					this.updatedAt, this.policy, this.usage);
		}

	}

}
