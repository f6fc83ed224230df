package io.keyflow.vault;

import io.keyflow.api.CredentialException;

/**
 * HashiCorp Vault could not be reached or answered with a server error (5xx, 429) while Keyflow read from it.
 * The failure is temporary by nature: a task that fails with it should be retried (with
 * {@code camunda:asyncBefore} its job is), and succeeds once Vault answers again. Nothing was written.
 * <p>
 * The message names the Vault path and the status, never a token or a secret value.
 */
public class VaultUnavailableException extends CredentialException {

	private static final long serialVersionUID = 1L;

	private final String path;

	private final int status;

	/**
	 * @param message a secret-free message
	 * @param path the Vault path that was read, e.g. {@code secret/data/keyflow/default/GITHUB}
	 * @param status the HTTP status Vault answered with, or {@code -1} when it did not answer
	 * @param cause the client's exception (status line and URL only)
	 */
	public VaultUnavailableException(String message, String path, int status, Throwable cause) {
		super(message, cause);
		this.path = path;
		this.status = status;
	}

	/**
	 * @return the Vault path that was read
	 */
	public String getPath() {
		return this.path;
	}

	/**
	 * @return the HTTP status Vault answered with, or {@code -1} when it could not be reached
	 */
	public int getStatus() {
		return this.status;
	}

}
