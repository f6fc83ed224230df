package io.keyflow.api;

/**
 * The provider refused an OAuth2 credential's refresh token ({@code invalid_grant}: revoked, expired, or
 * already rotated). Keyflow has marked the credential {@link CredentialStatus#NEEDS_REAUTHORIZATION}; an operator
 * must connect the account again. Retrying does not help.
 */
public class ReauthorizationRequiredException extends CredentialException {

	private static final long serialVersionUID = 1L;

	/** The stable error code for APIs. */
	public static final String CODE = "OAUTH_REAUTHORIZATION_REQUIRED";

	private final String credentialId;

	/**
	 * @param credentialId the credential's id
	 * @param message names the credential and what to do; secret-free
	 */
	public ReauthorizationRequiredException(String credentialId, String message) {
		super(message);
		this.credentialId = credentialId;
	}

	/** @return the id of the credential that needs re-authorisation */
	public String getCredentialId() {
		return this.credentialId;
	}

}
