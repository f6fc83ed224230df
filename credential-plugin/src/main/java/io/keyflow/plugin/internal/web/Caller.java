package io.keyflow.plugin.internal.web;

import java.util.Objects;

import io.keyflow.plugin.web.ApiKeyRole;

/**
 * Who sends a REST request: the API key that authenticated it, its role and the tenant it is bound to.
 *
 * @param id the API key's id ({@code bootstrap-admin} for the configured key, {@code demo-open} for the demo mode)
 * @param name the key's name
 * @param role what the key may do
 * @param boundTenant the tenant the key is bound to; {@code null} for an unbound key
 */
record Caller(String id, String name, ApiKeyRole role, String boundTenant) {

	/** The request attribute that holds the authenticated caller. */
	static final String ATTRIBUTE = "io.keyflow.rest.caller";

	/** The caller of a request without an API key when {@code keyflow.rest.demo-open} is on: never admin. */
	static final Caller DEMO_OPEN = new Caller("demo-open", "unauthenticated (keyflow.rest.demo-open)",
			ApiKeyRole.EDITOR, null);

	Caller {
		Objects.requireNonNull(id, "id cannot be null");
		Objects.requireNonNull(role, "role cannot be null");
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
