package io.keyflow.api;

/**
 * A write or delete was sent to a store that Keyflow only reads (e.g. HashiCorp Vault KV). Nothing was
 * written; the credential must be managed where {@link #getLocation()} says.
 */
public class ReadOnlyStoreException extends CredentialException {

	private static final long serialVersionUID = 1L;

	private final String location;

	/**
	 * @param storeName a short name of the store, e.g. {@code vault-kv}
	 * @param location where the credential is managed instead, e.g. {@code secret/data/keyflow/default/GITHUB}
	 */
	public ReadOnlyStoreException(String storeName, String location) {
		super("credential store '" + storeName + "' is read-only; manage this credential at " + location);
		this.location = location;
	}

	/**
	 * @return where the credential is managed instead
	 */
	public String getLocation() {
		return this.location;
	}

}
