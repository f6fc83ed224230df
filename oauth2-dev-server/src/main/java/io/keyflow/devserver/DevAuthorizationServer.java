package io.keyflow.devserver;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;

import io.keyflow.devserver.internal.DevServerConfiguration;
import io.keyflow.devserver.internal.TokenRequestCounter;

/**
 * A real OAuth2 authorization server (Spring Authorization Server) for tests and demos: confidential clients
 * ({@code client_secret_basic} and {@code client_secret_post}), authorization code with PKCE required, refresh
 * tokens that rotate (never reused), client credentials, a form-login user, no consent screen, and a protected
 * resource {@code GET /api/me} that answers {@code {"subject": ...}} for a valid access token of this server.
 * <p>
 * Each server runs in its own Spring application context on its own port: it reads no {@code application.yaml},
 * scans no package and does not touch the caller's logging set-up, so it can run beside (and inside the tests
 * of) any other Spring Boot application. Not for production: users and clients live in memory.
 * <pre>
 * try (DevAuthorizationServer server = DevAuthorizationServer.start(DevAuthorizationServer.Options.defaults()
 *         .client("keyflow", "s3cret", "http://localhost:8080/keyflow/oauth2/callback"))) {
 *     URI token = server.tokenEndpoint();
 * }
 * </pre>
 */
public final class DevAuthorizationServer implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private final URI baseUrl;

	private final TokenRequestCounter counter;

	private DevAuthorizationServer(ConfigurableApplicationContext context) {
		this.context = context;
		int port = ((ServletWebServerApplicationContext) context).getWebServer().getPort();
		this.baseUrl = URI.create("http://localhost:" + port);
		this.counter = context.getBean(TokenRequestCounter.class);
	}

	/**
	 * Starts a server on the options' port (0: a random free port) and waits until it accepts requests.
	 * @param options clients, user and token lifetimes
	 * @return the running server; close it when done
	 */
	public static DevAuthorizationServer start(Options options) {
		Objects.requireNonNull(options, "options cannot be null");
		if (options.clients.isEmpty()) {
			throw new IllegalArgumentException("options need at least one client");
		}
		SpringApplicationBuilder builder = new SpringApplicationBuilder(DevServerConfiguration.class)
			.web(WebApplicationType.SERVLET)
			.initializers((context) -> context.getBeanFactory().registerSingleton("devServerOptions", options))
			.logStartupInfo(false)
			.registerShutdownHook(false);
		// the caller's logging is left alone: a second LoggingApplicationListener would reset logback
		List<ApplicationListener<?>> listeners = new ArrayList<>(builder.application().getListeners());
		listeners.removeIf(LoggingApplicationListener.class::isInstance);
		builder.application().setListeners(listeners);
		ConfigurableApplicationContext context = builder.run(
				// command-line arguments outrank the caller's application.yaml, which is not read at all
				"--spring.config.location=optional:classpath:/io/keyflow/devserver/no-such-file.yaml",
				"--spring.main.web-application-type=servlet", "--spring.main.banner-mode=off",
				"--spring.jmx.enabled=false", "--server.port=" + options.port,
				"--server.address=127.0.0.1", "--spring.application.name=keyflow-oauth2-dev-server");
		return new DevAuthorizationServer(context);
	}

	/** @return the issuer, e.g. {@code http://localhost:54321} */
	public URI issuer() {
		return this.baseUrl;
	}

	/** @return the base URL; same as {@link #issuer()} */
	public URI baseUrl() {
		return this.baseUrl;
	}

	/** @return {@code /oauth2/authorize} */
	public URI authorizationEndpoint() {
		return this.baseUrl.resolve("/oauth2/authorize");
	}

	/** @return {@code /oauth2/token} */
	public URI tokenEndpoint() {
		return this.baseUrl.resolve("/oauth2/token");
	}

	/** @return the protected resource {@code /api/me}: 200 with {@code {"subject": ...}} for a valid bearer token */
	public URI resourceEndpoint() {
		return this.baseUrl.resolve("/api/me");
	}

	/** @return the port the server listens on */
	public int port() {
		return this.baseUrl.getPort();
	}

	/**
	 * @param grantType e.g. {@code authorization_code}, {@code refresh_token}, {@code client_credentials}
	 * @return how many token requests with that grant type reached the token endpoint
	 */
	public int tokenRequests(String grantType) {
		return this.counter.requests(grantType);
	}

	/**
	 * @param grantType the grant type
	 * @return how many of those token requests were answered with an error status (4xx or 5xx)
	 */
	public int tokenErrors(String grantType) {
		return this.counter.errors(grantType);
	}

	/**
	 * @param grantType the grant type
	 * @param error an OAuth2 error code such as {@code invalid_grant}
	 * @return how many of those token requests were answered with that error
	 */
	public int tokenErrors(String grantType, String error) {
		return this.counter.errors(grantType, error);
	}

	/** @return every counter, e.g. {@code refresh_token=3, refresh_token:invalid_grant=1} */
	public Map<String, Integer> tokenRequestCounts() {
		return this.counter.snapshot();
	}

	/** Sets every counter to zero. */
	public void resetCounts() {
		this.counter.reset();
	}

	/** Stops the server; its port is then closed. */
	@Override
	public void close() {
		this.context.close();
	}

	@Override
	public String toString() {
		return "DevAuthorizationServer[" + this.baseUrl + "]";
	}

	/**
	 * What the server offers. Mutable builder-style; {@link #defaults()} gives user {@code demo}/{@code demo},
	 * access tokens of 5 minutes, refresh tokens of 1 day, a random port.
	 */
	public static final class Options {

		private final List<Client> clients = new ArrayList<>();

		private String username = "demo";

		private String password = "demo";

		private Duration accessTokenTtl = Duration.ofMinutes(5);

		private Duration refreshTokenTtl = Duration.ofDays(1);

		private int port;

		private Options() {
		}

		/** @return options with the defaults and no client */
		public static Options defaults() {
			return new Options();
		}

		/**
		 * Adds a confidential client for authorization code (PKCE required), refresh token and client credentials,
		 * with scopes {@code openid profile read write}.
		 * @param clientId the client id
		 * @param clientSecret the client secret
		 * @param redirectUris the allowed redirect URIs (exact match)
		 * @return these options
		 */
		public Options client(String clientId, String clientSecret, String... redirectUris) {
			this.clients.add(new Client(clientId, clientSecret, new LinkedHashSet<>(List.of(redirectUris)),
					Set.of("openid", "profile", "read", "write")));
			return this;
		}

		/**
		 * @param username the form-login user's name
		 * @param password the form-login user's password
		 * @return these options
		 */
		public Options user(String username, String password) {
			this.username = username;
			this.password = password;
			return this;
		}

		/**
		 * @param ttl the access-token lifetime (at least one second)
		 * @return these options
		 */
		public Options accessTokenTtl(Duration ttl) {
			this.accessTokenTtl = ttl;
			return this;
		}

		/**
		 * @param ttl the refresh-token lifetime
		 * @return these options
		 */
		public Options refreshTokenTtl(Duration ttl) {
			this.refreshTokenTtl = ttl;
			return this;
		}

		/**
		 * @param port the port, or 0 for a random free one
		 * @return these options
		 */
		public Options port(int port) {
			this.port = port;
			return this;
		}

		public List<Client> clients() {
			return List.copyOf(this.clients);
		}

		public String username() {
			return this.username;
		}

		public String password() {
			return this.password;
		}

		public Duration accessTokenTtl() {
			return this.accessTokenTtl;
		}

		public Duration refreshTokenTtl() {
			return this.refreshTokenTtl;
		}

		@Override
		public String toString() {
			return "Options[clients=" + this.clients + ", username=" + this.username + ", accessTokenTtl="
					+ this.accessTokenTtl + "]";
		}

	}

	/**
	 * A confidential client of the server.
	 *
	 * @param clientId the client id
	 * @param clientSecret the client secret
	 * @param redirectUris the allowed redirect URIs
	 * @param scopes the scopes it may ask for
	 */
	public record Client(String clientId, String clientSecret, Set<String> redirectUris, Set<String> scopes) {

		@Override
		public String toString() {
			return "Client[clientId=" + this.clientId + ", redirectUris=" + this.redirectUris + ", secret=(redacted)]";
		}

	}

}
