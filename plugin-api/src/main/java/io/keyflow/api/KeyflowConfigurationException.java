package io.keyflow.api;

/**
 * Keyflow's configuration is incomplete or contradictory: a property is missing or malformed (the redirect URI
 * of OAuth2 connections, a store named in {@code keyflow.stores}, a Vault address, the bootstrap admin API key).
 * Thrown at start-up where possible. The message names the property and says how to fix it; it never contains a
 * secret value. An unusable encryption key is the subtype {@link KeyConfigurationException}.
 */
public class KeyflowConfigurationException extends CredentialException {

	private static final long serialVersionUID = 1L;

	private final String property;

	/**
	 * @param property the property to fix, e.g. {@code keyflow.oauth2.redirect-uri}
	 * @param message what is wrong and how to fix it
	 */
	public KeyflowConfigurationException(String property, String message) {
		super(message);
		this.property = property;
	}

	/**
	 * @return the property to fix, e.g. {@code keyflow.oauth2.redirect-uri}
	 */
	public String getProperty() {
		return this.property;
	}

}
