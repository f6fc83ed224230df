package io.keyflow.api;

/**
 * A credential store Keyflow writes to: its own encrypted local store. Writes are atomic; a failed write leaves
 * nothing half-written.
 */
public interface WritableCredentialStore extends CredentialStore {

	/**
	 * Inserts the credential, or replaces the one with the same id in the same tenant, atomically.
	 * @param credential a credential with an id
	 * @return the saved credential, with its timestamps set
	 * @throws CredentialConflictException if the key or (principal, provider) is taken by another credential
	 * @throws ReadOnlyStoreException if the credential is held by a read-only store (through a composite store)
	 */
	Credential save(Credential credential);

	/**
	 * @param tenantId the tenant ({@code null} for tenant-less)
	 * @param id the credential id
	 * @return whether a credential was deleted
	 * @throws ReadOnlyStoreException if the credential is held by a read-only store (through a composite store)
	 */
	boolean delete(String tenantId, String id);

}
