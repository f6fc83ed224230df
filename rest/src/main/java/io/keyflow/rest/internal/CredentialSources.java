package io.keyflow.rest.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.keyflow.api.Credential;
import io.keyflow.api.CredentialInfo;
import io.keyflow.api.CredentialQuery;
import io.keyflow.api.CredentialStatus;
import io.keyflow.api.CredentialStore;
import io.keyflow.api.CredentialType;
import io.keyflow.api.ReadOnlyStoreException;
import io.keyflow.plugin.KeyflowEngine;

/**
 * The credentials of every store, as the REST API shows them: each with the store that holds it ({@code source}),
 * so that a credential of a read-only store (e.g. HashiCorp Vault KV) can be listed, read and revealed, and is
 * refused with the place where it is managed when a caller tries to change it. The local store is read without
 * decrypting; other stores as they load.
 */
final class CredentialSources {

	/** The derived status filter: an OAuth2 token that has expired and that Keyflow cannot refresh. */
	static final String EXPIRED = "EXPIRED";

	private final KeyflowEngine keyflow;

	private final Clock clock;

	CredentialSources(KeyflowEngine keyflow, Clock clock) {
		this.keyflow = keyflow;
		this.clock = clock;
	}

	/**
	 * A credential's clear part and where it lives.
	 * @param info the clear part
	 * @param store the store that holds it
	 * @param expired whether its OAuth2 token has expired and cannot be refreshed (no refresh token)
	 */
	record Sourced(CredentialInfo info, CredentialStore store, boolean expired) {

		String source() {
			return this.store.name();
		}

		boolean readOnly() {
			return this.store.readOnly();
		}

	}

	/**
	 * @param id a path id
	 * @return the id, when some store's id syntax accepts it
	 * @throws RestException NOT_FOUND for an id that no credential can have
	 */
	String id(String id) {
		if (!this.keyflow.store().acceptsId(id)) {
			throw RestException.notFound("no such credential");
		}
		return id;
	}

	/**
	 * @param tenantId the tenant
	 * @param id a valid id ({@link #id})
	 * @return the credential, from the first store (in lookup order) that holds it
	 */
	Optional<Sourced> find(String tenantId, String id) {
		for (CredentialStore store : this.keyflow.stores()) {
			if (!store.acceptsId(id)) {
				continue;
			}
			Optional<CredentialInfo> info = isLocal(store) ? this.keyflow.credentialService().get(tenantId, id)
					: store.findById(tenantId, id).map(Credential::info);
			if (info.isPresent()) {
				return Optional.of(sourced(info.get(), store));
			}
		}
		return Optional.empty();
	}

	/**
	 * Refuses to change a credential of a read-only store.
	 * @param found the credential
	 * @throws ReadOnlyStoreException naming where it is managed
	 */
	static void requireWritable(Sourced found) {
		if (found.readOnly()) {
			throw new ReadOnlyStoreException(found.source(), found.store().location(found.info()));
		}
	}

	/**
	 * Refuses an upsert by key when a read-only store holds the key in the tenant: the local copy would shadow it
	 * or be shadowed by it, depending on {@code keyflow.stores}.
	 * @param tenantId the tenant
	 * @param key the key the upsert names, or {@code null}
	 * @throws ReadOnlyStoreException naming where it is managed
	 */
	void refuseKeyOfReadOnlyStore(String tenantId, String key) {
		if (key == null || !CredentialInfo.KEY_PATTERN.matcher(key).matches()) {
			return;
		}
		for (CredentialStore store : this.keyflow.stores()) {
			if (store.readOnly() && store.findByKey(tenantId, key).isPresent()) {
				throw new ReadOnlyStoreException(store.name(), store.location(tenantId, key));
			}
		}
	}

	/**
	 * @param query the filter (tenant, principal, service, type, key, page)
	 * @param status {@code null}, a {@link CredentialStatus} name, or {@link #EXPIRED}
	 * @return the page of matching credentials of every store, in lookup order of the stores
	 */
	List<Sourced> list(CredentialQuery query, String status) {
		return list(query, status, null, null);
	}

	/**
	 * As {@link #list(CredentialQuery, String)}, with the usage filters; usage is counted for the local store's
	 * credentials, so with a usage filter only they are listed
	 */
	List<Sourced> list(CredentialQuery query, String status, Instant usedSince, Instant unusedSince) {
		int wanted = query.offset() + query.limit();
		boolean byUsage = usedSince != null || unusedSince != null;
		List<Sourced> all = new ArrayList<>();
		for (CredentialStore store : this.keyflow.stores()) {
			if (byUsage && !isLocal(store)) {
				continue;
			}
			// without a status filter each store's first (offset + limit) matches are enough; with one, every match
			// is read in pages, since the status is decided here
			for (int offset = 0; all.size() < wanted; offset += CredentialQuery.MAX_LIMIT) {
				int limit = (status == null) ? Math.min(CredentialQuery.MAX_LIMIT, wanted) : CredentialQuery.MAX_LIMIT;
				List<CredentialInfo> page = list(store, new CredentialQuery(query.tenantId(), query.principalId(),
						query.provider(), query.type(), query.key(), offset, limit), usedSince, unusedSince);
				page.stream()
					.map((info) -> sourced(info, store))
					.filter((found) -> matches(found, status))
					.forEach(all::add);
				if (status == null || page.size() < limit) {
					break;
				}
			}
		}
		return all.stream().skip(query.offset()).limit(query.limit()).toList();
	}

	private List<CredentialInfo> list(CredentialStore store, CredentialQuery query, Instant usedSince,
			Instant unusedSince) {
		return isLocal(store) ? this.keyflow.credentialService().list(query, usedSince, unusedSince) : store.list(query);
	}

	/**
	 * @param status what a request sent
	 * @return the status filter, or {@code null} when absent
	 * @throws RestException BAD_REQUEST naming the accepted values
	 */
	static String status(String status) {
		if (status == null) {
			return null;
		}
		String normalized = status.trim().toUpperCase(Locale.ROOT);
		for (CredentialStatus known : CredentialStatus.values()) {
			if (known.name().equals(normalized)) {
				return normalized;
			}
		}
		if (EXPIRED.equals(normalized)) {
			return EXPIRED;
		}
		throw RestException.badRequest("status", "status must be one of ACTIVE, NEEDS_REAUTHORIZATION, EXPIRED "
				+ "(an OAuth2 token that has expired and has no refresh token)");
	}

	private static boolean matches(Sourced found, String status) {
		if (status == null) {
			return true;
		}
		if (EXPIRED.equals(status)) {
			return found.expired();
		}
		return found.info().status().name().equals(status);
	}

	private Sourced sourced(CredentialInfo info, CredentialStore store) {
		return new Sourced(info, store, expiredWithoutRefresh(info, store));
	}

	// decrypts only an OAuth2 credential whose token has expired, to see whether it has a refresh token
	private boolean expiredWithoutRefresh(CredentialInfo info, CredentialStore store) {
		if (info.type() != CredentialType.OAUTH2 || !info.isExpiredAt(this.clock.instant())
				|| Credential.GRANT_CLIENT_CREDENTIALS.equals(info.metadata().get(Credential.GRANT_TYPE_METADATA))) {
			return false;
		}
		return store.findById(info.tenantId(), info.id()).map((credential) -> credential.refreshToken() == null)
			.orElse(false);
	}

	private boolean isLocal(CredentialStore store) {
		return store == this.keyflow.localStore();
	}

}
