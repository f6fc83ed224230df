package io.keyflow.api;

/**
 * What a task accepts when its process has a principal and that principal has no usable credential for the
 * provider. The default, {@link #NONE}, never changes identity silently: the task fails (or runs without a
 * credential, if it is optional) rather than act as someone else.
 * <p>
 * A process without a principal (started by a timer, or by trusted code without a user) always uses the
 * tenant's default credential for the provider, whatever this says.
 */
public enum CredentialFallback {

	/** The principal's own credential or nothing. */
	NONE,

	/** The principal's own credential, else the tenant's default credential for the provider. */
	TENANT;

	/**
	 * @param text {@code none} or {@code tenant}, case-insensitive
	 * @return the fallback
	 * @throws InvalidCredentialException if the text is neither
	 */
	public static CredentialFallback fromText(String text) {
		if (text != null) {
			for (CredentialFallback fallback : values()) {
				if (fallback.name().equalsIgnoreCase(text.trim())) {
					return fallback;
				}
			}
		}
		throw new InvalidCredentialException("credential.fallback",
				"credential.fallback must be 'none' (the default) or 'tenant'");
	}

}
