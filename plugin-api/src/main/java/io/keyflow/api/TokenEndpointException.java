package io.keyflow.api;

/**
 * A token request failed without a verdict on the credential: the token endpoint could not be reached, timed out,
 * answered 5xx or an unreadable response, or refused the client (e.g. {@code invalid_client}). The stored
 * credential is unchanged; a task failing with it can be retried.
 */
public class TokenEndpointException extends CredentialException {

	private static final long serialVersionUID = 1L;

	private final String errorCode;

	/**
	 * @param errorCode the OAuth2 error code, or {@code invalid_token_response} for transport failures
	 * @param message what failed, naming the provider and credential; secret-free
	 */
	public TokenEndpointException(String errorCode, String message) {
		super(message);
		this.errorCode = errorCode;
	}

	/** @return the OAuth2 error code of the failure */
	public String getErrorCode() {
		return this.errorCode;
	}

}
