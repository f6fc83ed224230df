package io.keyflow.api;

/**
 * Supplies the local store's keyring when it does not come from {@code keyflow.encryption.key}: for example
 * data keys generated and wrapped by HashiCorp Vault transit. A bean of this type replaces the configured key.
 */
@FunctionalInterface
public interface KeyringSource {

	/**
	 * Called once at start-up, after Keyflow's tables exist.
	 * @return the keyring, primary key first
	 * @throws io.keyflow.api.KeyConfigurationException if no usable keyring can be made
	 */
	Keyring load();

}
