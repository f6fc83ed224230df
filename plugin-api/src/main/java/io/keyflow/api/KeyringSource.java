package io.keyflow.api;

import java.util.Map;

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

	/**
	 * What an operator should see about each key this source supplies, beside Keyflow's own counts: e.g. the
	 * Vault transit key and version that wraps a data key. Never key material.
	 * @return a short description by key id; by default none
	 */
	default Map<String, String> describeKeys() {
		return Map.of();
	}

	/**
	 * @return whether {@link #rewrap} does something (e.g. Vault transit rewraps its data keys)
	 */
	default boolean canRewrap() {
		return false;
	}

	/**
	 * Re-wraps the stored key material under the wrapping key's latest version, without ever exposing it in clear
	 * (e.g. after {@code vault write -f transit/keys/<key>/rotate}). The keys themselves do not change, so no
	 * credential needs re-encrypting.
	 * @return how many keys were re-wrapped
	 * @throws UnsupportedOperationException if {@link #canRewrap} is false
	 * @throws io.keyflow.api.KeyConfigurationException if the wrapping service refuses
	 */
	default int rewrap() {
		throw new UnsupportedOperationException("this keyring source has nothing to rewrap");
	}

}
