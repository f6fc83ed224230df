package io.keyflow.api;


/**
 * Makes an OAuth2 credential's access token fresh enough to hand to a task.
 */
@FunctionalInterface
public interface TokenRefresher {

	/** Hands out credentials as stored. */
	TokenRefresher NONE = (credential) -> credential;

	/**
	 * @param credential a resolved OAuth2 credential
	 * @return the same credential when its token is fresh enough, else a refreshed and saved one
	 * @throws io.keyflow.api.CredentialException when a needed refresh fails
	 */
	Credential refreshIfExpiring(Credential credential);

}
