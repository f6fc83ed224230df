package io.keyflow.plugin.internal.oauth2;

/**
 * Metadata entries Keyflow writes on connected OAuth2 credentials (clear, non-secret).
 */
public final class ConnectionMetadata {

	/** The client id the account was connected with. */
	public static final String CLIENT_ID = "clientId";

	/** The id of the stored client registration ({@code KEYFLOW_OAUTH2_CLIENT}); absent for configured clients. */
	public static final String CLIENT_REF = "clientRef";

	private ConnectionMetadata() {
	}

}
