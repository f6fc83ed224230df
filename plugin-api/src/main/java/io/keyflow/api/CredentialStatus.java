package io.keyflow.api;

/**
 * Whether a stored credential can be used.
 */
public enum CredentialStatus {

	/** Usable. */
	ACTIVE,

	/**
	 * An OAuth2 refresh was refused by the provider ({@code invalid_grant}): an operator must connect the
	 * account again. Resolution never hands out a credential in this state.
	 */
	NEEDS_REAUTHORIZATION

}
