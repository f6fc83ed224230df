package io.keyflow.rest.internal;

import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import io.keyflow.api.KeyflowPlugin;
import io.keyflow.api.OAuth2Provider;
import io.keyflow.devserver.DevAuthorizationServer;
import io.keyflow.plugin.KeyflowTestApplication;
import io.keyflow.plugin.LogCapture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application under test for the REST API: the engine test application as a servlet web application on a
 * free port chosen up front (the OAuth2 redirect URI names it) (with Camunda's /engine-rest beside Keyflow's API), a bootstrap admin key, and Spring Authorization
 * Server on another port as provider {@code devserver}. Each test class gets keys of every role from the admin.
 */
@SpringBootTest(classes = { KeyflowTestApplication.class, RestTestSupport.Config.class },
		webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
		properties = { "spring.main.web-application-type=servlet", "spring.autoconfigure.exclude=", "keyflow.rest.max-body-size=32KB",
				// not JSESSIONID: the dev server on 127.0.0.1 (another port) would overwrite that cookie in a browser
				"server.servlet.session.cookie.name=" + RestTestSupport.SESSION_COOKIE })
abstract class RestTestSupport {

	static final String SESSION_COOKIE = "KEYFLOW_TEST_SESSION";

	static final String ADMIN_KEY = "bootstrap-" + UUID.randomUUID() + "-" + UUID.randomUUID();

	static final String CLIENT_SECRET = "rest-client-secret-" + UUID.randomUUID();

	static final String REDIRECT_PATH = "/api/credentials/oauth2/callback";

	/** Every secret value the tests send or receive: must appear in no response but reveal, no log, no clear column. */
	static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();

	static DevAuthorizationServer server;

	static int appPort;

	static LogCapture log;

	@LocalServerPort
	int port;

	@Autowired
	DataSource dataSource;

	RestClient http;

	String editorKey;

	String viewerKey;

	String tenantAdminKey;

	String tenantEditorKey;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		if (server == null) {
			// the redirect URI names the application's port, so the port is chosen here
			try (ServerSocket socket = new ServerSocket(0)) {
				appPort = socket.getLocalPort();
			}
			catch (java.io.IOException ex) {
				throw new IllegalStateException(ex);
			}
			server = DevAuthorizationServer.start(DevAuthorizationServer.Options.defaults()
				.client("keyflow", CLIENT_SECRET, redirectUri()));
		}
		registry.add("server.port", () -> appPort);
		registry.add("keyflow.oauth2.redirect-uri", RestTestSupport::redirectUri);
		SECRETS.add(ADMIN_KEY);
		SECRETS.add(CLIENT_SECRET);
		registry.add("keyflow.rest.admin-api-key", () -> ADMIN_KEY);
		registry.add("keyflow.oauth2.clients.devserver.client-id", () -> "keyflow");
		registry.add("keyflow.oauth2.clients.devserver.client-secret", () -> CLIENT_SECRET);
	}

	static String redirectUri() {
		return "http://127.0.0.1:" + appPort + REDIRECT_PATH;
	}

	@AfterAll
	static void detachLog() {
		if (log != null) {
			log.detach();
			log = null;
		}
	}

	@BeforeEach
	void setUpClientAndKeys() {
		if (log == null) {
			log = LogCapture.attach();
		}
		this.http = new RestClient(this.port);
		this.editorKey = issue("editor", null);
		this.viewerKey = issue("viewer", null);
		this.tenantAdminKey = issue("admin", "tenant-b");
		this.tenantEditorKey = issue("editor", "tenant-b");
	}

	String issue(String role, String tenantId) {
		return issue(this.http, ADMIN_KEY, role, tenantId);
	}

	/**
	 * @return a new API key of the role (bound to the tenant, if any), issued with the admin key
	 */
	static String issue(RestClient http, String adminKey, String role, String tenantId) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("name", role + "-" + UUID.randomUUID());
		body.put("role", role);
		if (tenantId != null) {
			body.put("tenantId", tenantId);
		}
		RestClient.Response response = http.post("/api/credentials/api-keys", adminKey, body);
		assertThat(response.status()).as(response.toString()).isEqualTo(201);
		String key = (String) response.json().get("apiKey");
		SECRETS.add(key);
		return key;
	}

	/**
	 * @param label what the secret is for
	 * @return a fresh secret value, remembered for the leak scans
	 */
	static String secret(String label) {
		String secret = "s3cret-" + label + "-" + UUID.randomUUID();
		SECRETS.add(secret);
		return secret;
	}

	/**
	 * The provider's redirect to Keyflow's GET callback, arriving in {@code browser} (its cookies).
	 */
	static RestClient.Response callback(RestClient browser, Map<String, String> redirect) {
		// the binding values must stay out of responses, logs and tables (only their hashes are stored)
		browser.cookies().forEach((name, value) -> {
			if (name.startsWith(BrowserBinding.COOKIE_PREFIX) && !value.isEmpty()) {
				SECRETS.add(value);
			}
		});
		return browser.get(REDIRECT_PATH + "?code=" + redirect.get("code") + "&state=" + redirect.get("state"), null);
	}

	/**
	 * Asserts an RFC 9457 problem with the status and the stable code.
	 */
	static void assertProblem(RestClient.Response response, int status, String code) {
		assertThat(response.status()).as(response.toString()).isEqualTo(status);
		assertThat(response.contentType()).as(response.toString()).startsWith("application/problem+json");
		assertThat(response.json()).as(response.toString())
			.containsEntry("code", code)
			.containsEntry("status", status)
			.containsKeys("type", "title", "detail");
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Config {

		@Bean
		KeyflowPlugin restDevServerProvider() {
			return (context) -> context.registerOAuth2Provider(OAuth2Provider.withId("devserver")
				.name("Dev server")
				.authorizationUrl(server.authorizationEndpoint().toString())
				.tokenUrl(server.tokenEndpoint().toString())
				.defaultScopes("read")
				.pkce(true)
				.build());
		}

	}

}
