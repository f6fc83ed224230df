package io.keyflow.api;

/**
 * How a client authenticates at a provider's token endpoint (RFC 6749 section 2.3, OpenID Connect
 * {@code token_endpoint_auth_method} values).
 */
public enum TokenEndpointAuthMethod {

	/** HTTP Basic with client id and secret ({@code client_secret_basic}). */
	CLIENT_SECRET_BASIC,

	/** Client id and secret in the form body ({@code client_secret_post}). */
	CLIENT_SECRET_POST,

	/** A public client: client id only, protected by PKCE ({@code none}). */
	NONE

}
