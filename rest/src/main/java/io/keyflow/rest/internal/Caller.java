package io.keyflow.rest.internal;

import java.util.Objects;

import io.keyflow.rest.ApiKeyRole;

/**
 * Who sends a REST request: the API key that authenticated it, its role and the tenant it is bound to.
 *
 * @param id the API key's id ({@code bootstrap-admin} for the configured key, {@code demo-open} for the demo mode)
 * @param name the key's name
 * @param role what the key may do
 * @param boundTenant the tenant the key is bound to; {@code null} for an unbound key
 */
record Caller(String id, String name, ApiKeyRole role, String boundTenant) implements Actor {

	/** The request attribute that holds the authenticated caller. */
	static final String ATTRIBUTE = "io.keyflow.rest.caller";

	/** The caller of a request without an API key when {@code keyflow.rest.demo-open} is on: never admin. */
	static final Caller DEMO_OPEN = new Caller("demo-open", "unauthenticated (keyflow.rest.demo-open)",
			ApiKeyRole.EDITOR, null);

	Caller {
		Objects.requireNonNull(id, "id cannot be null");
		Objects.requireNonNull(role, "role cannot be null");
	}

	/** @return {@code key:<API key id>}: the starter a flow records, checked by the POST callback */
	String starterId() {
		return "key:" + this.id;
	}

	/**
	 * Only an admin key may name a principal: an editor naming one would bind its own account (or pasted tokens) to
	 * another user, whose processes would then use it.
	 * @param requested the {@code principalId} the request names, or {@code null}
	 * @return the principal
	 * @throws RestException PRINCIPAL_NOT_ALLOWED (403) if a non-admin key names one
	 */
	String principalFor(String requested) {
		if (requested != null && this.role != ApiKeyRole.ADMIN) {
			throw new RestException(org.springframework.http.HttpStatus.FORBIDDEN, ErrorCode.PRINCIPAL_NOT_ALLOWED,
					"principalId", "only an admin key may name a principalId; a user connects their own account in "
							+ "My connections (/keyflow/me.html, or POST /api/credentials/me/connections/{provider}/start)");
		}
		return requested;
	}

	/**
	 * Same rules as {@link #tenantFor}: a bound key acts on its tenant, an unbound admin on any, other unbound
	 * keys on the tenant-less scope.
	 * @param tenantId a tenant, {@code null} for the tenant-less scope
	 * @return whether this key may act on that tenant's credentials
	 */
	boolean mayActOn(String tenantId) {
		if (this.boundTenant != null) {
			return this.boundTenant.equals(tenantId);
		}
		return tenantId == null || this.role == ApiKeyRole.ADMIN;
	}

	/**
	 * The tenant a request acts on: the key's tenant; an unbound admin may name one; other unbound keys act on
	 * the tenant-less scope.
	 * @param requested the {@code tenantId} the request names, or {@code null}
	 * @return the tenant, {@code null} for the tenant-less scope
	 * @throws RestException FORBIDDEN if the request names a tenant the key may not act on
	 */
	String tenantFor(String requested) {
		if (this.boundTenant != null) {
			if (requested != null && !requested.equals(this.boundTenant)) {
				throw RestException.forbidden("this API key is bound to another tenant");
			}
			return this.boundTenant;
		}
		if (requested == null) {
			return null;
		}
		if (this.role != ApiKeyRole.ADMIN) {
			throw RestException.forbidden("only an unbound admin key may name a tenantId; this key acts on the "
					+ "tenant-less scope");
		}
		if (requested.isBlank() || requested.length() > 64) {
			throw RestException.badRequest("tenantId", "tenantId must be 1 to 64 non-blank characters");
		}
		return requested;
	}

}
