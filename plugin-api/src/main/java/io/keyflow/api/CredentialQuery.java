package io.keyflow.api;

/**
 * A filter for listing credentials of one tenant; {@code null} fields match anything.
 *
 * @param tenantId the tenant ({@code null} is the tenant-less scope, not "every tenant")
 * @param principalId only credentials of this principal
 * @param provider only credentials of this provider or service
 * @param type only credentials of this type
 * @param key only the credential with this key
 * @param offset how many matches to skip
 * @param limit at most how many to return
 */
public record CredentialQuery(String tenantId, String principalId, String provider, CredentialType type, String key,
		int offset, int limit) {

	/** The largest page a query may ask for. */
	public static final int MAX_LIMIT = 500;

	/**
	 * @throws InvalidCredentialException if offset is negative or limit is not in 1..{@value #MAX_LIMIT}
	 */
	public CredentialQuery {
		if (offset < 0) {
			throw new InvalidCredentialException("offset", "offset cannot be negative");
		}
		if (limit < 1 || limit > MAX_LIMIT) {
			throw new InvalidCredentialException("limit", "limit must be between 1 and " + MAX_LIMIT);
		}
	}

	/**
	 * @param tenantId the tenant
	 * @return the first page of every credential of that tenant
	 */
	public static CredentialQuery tenant(String tenantId) {
		return new CredentialQuery(tenantId, null, null, null, null, 0, 100);
	}

}
