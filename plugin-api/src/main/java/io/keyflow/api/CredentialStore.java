package io.keyflow.api;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where credentials are looked up. Implementations: Keyflow's encrypted local store (the default, a
 * {@link WritableCredentialStore}) and external, read-only stores such as HashiCorp Vault KV, whose
 * credentials are managed where they live ({@link #location}).
 * <p>
 * Contract: every lookup is scoped to a tenant and never returns a credential of another tenant. Loaded
 * credentials carry their secret parts in clear; listing returns {@link CredentialInfo} only. "Not found"
 * is an empty {@link Optional}. Implementations must be thread-safe.
 */
public interface CredentialStore {

	/** The default id syntax of {@link #acceptsId}: a simple token of at most 36 characters, e.g. a UUID. */
	Pattern SIMPLE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,35}");

	/**
	 * @return a short, stable name used in messages and configuration, e.g. {@code local} or {@code vault-kv}
	 */
	String name();

	/**
	 * @return whether this store cannot be written through Keyflow (it is no {@link WritableCredentialStore})
	 */
	default boolean readOnly() {
		return !(this instanceof WritableCredentialStore);
	}

	/**
	 * Whether a credential of this store can have this id: the syntax check an entry point makes before any
	 * lookup, so that no malformed id reaches a store, a log line or an audit row. Stores whose ids look
	 * otherwise (e.g. {@code vault:<tenant>/<KEY>}) override it with their own, equally strict, syntax.
	 * @param id an id a caller sent, or {@code null}
	 * @return by default whether it is 1 to 36 letters, digits, {@code _}, {@code .} or {@code -} starting with a
	 * letter or digit (a UUID, the local store's ids)
	 */
	default boolean acceptsId(String id) {
		return id != null && SIMPLE_ID.matcher(id).matches();
	}

	/**
	 * Where a credential of this store is managed, for the message that refuses to change it through Keyflow.
	 * @param tenantId the tenant ({@code null} for tenant-less)
	 * @param key the credential key
	 * @return a place an operator can act on, e.g. a Vault path; by default the store's name
	 */
	default String location(String tenantId, String key) {
		return "the credential store '" + name() + "'";
	}

	/**
	 * Where one of this store's credentials is managed: {@link #location(String, String)} with its key or, for a
	 * credential without one whose id is {@code <scheme>:<folder>/<name>}, the name (e.g. Vault KV's
	 * {@code users/<principalId>/<provider>}), else {@code <KEY>}.
	 * @param credential a credential this store returned
	 * @return a place an operator can act on
	 */
	default String location(CredentialInfo credential) {
		String key = credential.key();
		String id = credential.id();
		if (key == null && id != null && id.indexOf(':') > 0) {
			int slash = id.indexOf('/');
			key = (slash > 0 && slash < id.length() - 1) ? id.substring(slash + 1) : null;
		}
		return location(credential.tenantId(), (key != null) ? key : "<KEY>");
	}

	/**
	 * @param tenantId the tenant ({@code null} for tenant-less)
	 * @param id the credential id
	 * @return the credential with its secrets, if it exists in that tenant
	 * @throws DecryptionException if it exists but cannot be decrypted
	 */
	Optional<Credential> findById(String tenantId, String id);

	/**
	 * @param tenantId the tenant ({@code null} for tenant-less)
	 * @param key the credential key
	 * @return the credential with its secrets, if it exists in that tenant
	 * @throws DecryptionException if it exists but cannot be decrypted
	 */
	Optional<Credential> findByKey(String tenantId, String key);

	/**
	 * Finds a principal's credential for a provider, or with {@code principalId == null} the tenant's default:
	 * the credential for the provider without a principal (when several exist, the one whose metadata has
	 * {@code default=true}, else the oldest).
	 * @param tenantId the tenant ({@code null} for tenant-less)
	 * @param principalId the principal, or {@code null} for the tenant default
	 * @param provider the provider id or service name
	 * @return the credential with its secrets, if one exists
	 * @throws DecryptionException if it exists but cannot be decrypted
	 */
	Optional<Credential> findByPrincipal(String tenantId, String principalId, String provider);

	/**
	 * @param query the filter
	 * @return matching credentials' clear part, ordered by key then creation time
	 */
	List<CredentialInfo> list(CredentialQuery query);

}
