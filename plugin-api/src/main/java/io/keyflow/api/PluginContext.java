package io.keyflow.api;

/**
 * What a {@link KeyflowPlugin} may register while the engine starts.
 */
public interface PluginContext {

	/**
	 * Adds an OAuth2 provider, or replaces a built-in one with the same id.
	 * @param provider the provider
	 * @throws InvalidCredentialException if another plugin registered the same id already
	 */
	void registerOAuth2Provider(OAuth2Provider provider);

	/**
	 * Adds a credential store. Stores are asked in the configured order ({@code keyflow.stores}); a store not
	 * named there is asked after the named ones, in registration order.
	 * @param store the store
	 */
	void registerCredentialStore(CredentialStore store);

}
