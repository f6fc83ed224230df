package io.keyflow.example.demo;

import java.net.URI;

import io.keyflow.api.OAuth2Provider;
import io.keyflow.api.TokenEndpointAuthMethod;
import io.keyflow.devserver.DevAuthorizationServer;

/**
 * The demo's local OAuth2 provider ({@link DevAuthorizationServer}: Spring Authorization Server with PKCE,
 * rotating refresh tokens and the protected demo API {@code GET /api/me}), as Keyflow provider
 * {@value #PROVIDER_ID}.
 * <p>
 * Its URLs use {@code 127.0.0.1} while the application runs on {@code localhost}: the browser then keeps the two
 * servers' session cookies apart (cookies ignore ports), so logging in at the provider does not log the user out
 * of Cockpit.
 */
public final class DemoOAuth2Server implements AutoCloseable {

	/** The Keyflow provider id of the demo provider, used by the example processes. */
	public static final String PROVIDER_ID = "keyflow-demo";

	private final DevAuthorizationServer server;

	private final URI baseUrl;

	DemoOAuth2Server(DevAuthorizationServer server) {
		this.server = server;
		this.baseUrl = URI.create("http://127.0.0.1:" + server.port());
	}

	/** @return e.g. {@code http://127.0.0.1:9000} */
	public URI baseUrl() {
		return this.baseUrl;
	}

	/** @return the demo API: {@code GET /api/me} answers who the bearer token belongs to */
	public URI resourceEndpoint() {
		return this.baseUrl.resolve("/api/me");
	}

	/** @return the running dev server, e.g. for its token-request counters */
	public DevAuthorizationServer server() {
		return this.server;
	}

	/** @return the provider Keyflow registers for it */
	public OAuth2Provider provider() {
		return OAuth2Provider.withId(PROVIDER_ID)
			.name("Keyflow demo provider")
			.description("The demo profile's local OAuth2 provider (Spring Authorization Server); user demo/demo")
			.category("demo")
			.authorizationUrl(this.baseUrl.resolve("/oauth2/authorize").toString())
			.tokenUrl(this.baseUrl.resolve("/oauth2/token").toString())
			.defaultScopes("read")
			.tokenEndpointAuthMethod(TokenEndpointAuthMethod.CLIENT_SECRET_BASIC)
			.pkce(true)
			.build();
	}

	@Override
	public void close() {
		this.server.close();
	}

	@Override
	public String toString() {
		return "DemoOAuth2Server[" + this.baseUrl + "]";
	}

}
