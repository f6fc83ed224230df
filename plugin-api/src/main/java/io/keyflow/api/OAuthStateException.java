package io.keyflow.api;

/**
 * An OAuth2 callback named a {@code state} Keyflow does not know, that was used already, or whose flow expired
 * (flows live 10 minutes by default). Nothing was stored and no code was exchanged; the user starts the
 * connection again. The state value itself is never part of the message.
 */
public class OAuthStateException extends CredentialException {

	private static final long serialVersionUID = 1L;

	/** The stable error code for APIs (RFC 9457 problem {@code code}). */
	public static final String CODE = "OAUTH_STATE_INVALID";

	/**
	 * @param message why the state was refused, secret-free
	 */
	public OAuthStateException(String message) {
		super(message);
	}

	/** @return {@value #CODE} */
	public String getCode() {
		return CODE;
	}

}
