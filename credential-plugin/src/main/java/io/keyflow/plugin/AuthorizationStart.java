package io.keyflow.plugin;

import java.net.URI;
import java.time.Instant;

/**
 * The start of an authorization-code flow: send the user's browser to {@link #authorizationUrl()}; the provider
 * redirects back to {@code keyflow.oauth2.redirect-uri} with {@code code} and {@code state}, which go to
 * {@link OAuth2ConnectionService#callback}.
 * <p>
 * Security: the state is a one-time, 256-bit value bound to this flow; {@link #toString()} does not print it.
 *
 * @param authorizationUrl the provider's authorization URL with client id, redirect URI, scopes, state and the
 * PKCE S256 challenge
 * @param state the state the callback must present
 * @param expiresAt when the flow expires
 */
public record AuthorizationStart(URI authorizationUrl, String state, Instant expiresAt) {

	@Override
	public String toString() {
		return "AuthorizationStart[authorizationUrl=(redacted), state=(redacted), expiresAt=" + this.expiresAt + "]";
	}

}
