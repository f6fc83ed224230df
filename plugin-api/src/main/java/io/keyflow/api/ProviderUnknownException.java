package io.keyflow.api;

/**
 * A task, a credential or a connection names an OAuth2 provider that is not registered.
 */
public class ProviderUnknownException extends CredentialException {

	private static final long serialVersionUID = 1L;

	private final String providerId;

	/**
	 * @param providerId the id that was not found
	 */
	public ProviderUnknownException(String providerId) {
		super("unknown OAuth2 provider '" + providerId + "'; register it through a KeyflowPlugin or at runtime");
		this.providerId = providerId;
	}

	/**
	 * @return the id that was not found
	 */
	public String getProviderId() {
		return this.providerId;
	}

}
