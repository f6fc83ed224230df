package io.keyflow.api;

/**
 * The encryption key configuration is unusable: missing, malformed, or not the key that encrypted the stored
 * data. Thrown at start-up, so the engine does not come up with credentials it cannot read. The message says
 * how to fix it and never contains key material.
 */
public class KeyConfigurationException extends KeyflowConfigurationException {

	private static final long serialVersionUID = 1L;

	/**
	 * @param message what is wrong with the configuration and how to fix it
	 */
	public KeyConfigurationException(String message) {
		super("keyflow.encryption.key", message);
	}

}
