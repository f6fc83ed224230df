package io.keyflow.api;

/**
 * A credential's secret was about to be sent somewhere its usage policy (or the sender's rules) does not allow:
 * another origin, plain http, a private or loopback address. Nothing was sent. The message names the credential
 * and the refused origin, never a value.
 */
public class EgressRefusedException extends CredentialException {

	private static final long serialVersionUID = 1L;

	/**
	 * @param message what was refused, where, and how to allow it if that is intended
	 */
	public EgressRefusedException(String message) {
		super(message);
	}

}
