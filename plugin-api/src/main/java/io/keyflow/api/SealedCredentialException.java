package io.keyflow.api;

/**
 * Task code asked a sealed credential for its secret. A sealed credential is usable, not readable: only an egress
 * that checks its usage policy ({@link Credential#authorize}) attaches it to a request. The message names the
 * credential, never a value.
 */
public class SealedCredentialException extends CredentialException {

	private static final long serialVersionUID = 1L;

	private final String credentialId;

	/**
	 * @param credentialId the credential's id
	 * @param key the credential's key, or {@code null}
	 * @param what what was asked for, e.g. {@code apiKey}
	 */
	public SealedCredentialException(String credentialId, String key, String what) {
		super("credential " + ((key != null) ? key + " " : "") + "(id " + credentialId + ") is sealed: task code "
				+ "cannot read its " + what + "; send it with an action that uses Credential.authorize (the ready-made "
				+ "actions do), or ask an admin to unseal it");
		this.credentialId = credentialId;
	}

	/** @return the credential's id */
	public String getCredentialId() {
		return this.credentialId;
	}

}
