package io.keyflow.rest.internal;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import io.keyflow.plugin.TestAccess;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The usage policy over the REST API: {@code allowedProcesses}, {@code allowedOrigins} and {@code sealed} on create
 * (plain and pasted tokens), on the OAuth2 start (API key and self-service), in get and list; invalid entries are a
 * 400 naming the field, nothing stored; an upsert that does not name a policy keeps the stored one.
 */
class CredentialPolicyRestIntegrationTests extends RestTestSupport {

	static final String BASE = "/api/credentials";

	@Autowired
	IdentityService identityService;

	/** What a test stored, deleted after it: the application (and its database) is shared with later test classes. */
	private final List<String> stored = new java.util.ArrayList<>();

	@AfterEach
	void deleteStored() {
		this.stored.forEach((id) -> assertThat(this.http.delete(BASE + "/" + id, ADMIN_KEY).status()).isIn(204, 404));
	}

	@Test
	void createWhenPolicyGivenThenGetAndListAnswerItNormalized() {
		Map<String, Object> body = apiKey("POLICY_ROUND_TRIP");
		body.put("allowedProcesses", List.of("invoice-approval", "billing.sync"));
		body.put("allowedOrigins", List.of("HTTPS://API.Stripe.com:443", "https://files.stripe.com:8443"));
		body.put("sealed", true);

		RestClient.Response created = this.http.post(BASE, this.editorKey, body);

		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		assertThat(created.json()).containsEntry("allowedProcesses", List.of("billing.sync", "invoice-approval"))
			.containsEntry("allowedOrigins", List.of("https://api.stripe.com", "https://files.stripe.com:8443"))
			.containsEntry("sealed", true);
		String id = (String) created.json().get("id");
		this.stored.add(id);
		assertThat(this.http.get(BASE + "/" + id, this.viewerKey).json())
			.containsEntry("allowedProcesses", List.of("billing.sync", "invoice-approval"))
			.containsEntry("allowedOrigins", List.of("https://api.stripe.com", "https://files.stripe.com:8443"))
			.containsEntry("sealed", true);
		assertThat(this.http.get(BASE + "?key=POLICY_ROUND_TRIP", this.viewerKey).items()).singleElement()
			.satisfies((item) -> assertThat(item).containsEntry("allowedProcesses", List.of("billing.sync", "invoice-approval"))
				.containsEntry("sealed", true));
	}

	@Test
	void createWhenNoPolicyThenEmptyListsAndNotSealed() {
		RestClient.Response created = this.http.post(BASE, this.editorKey, apiKey("POLICY_NONE"));

		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		this.stored.add((String) created.json().get("id"));
		assertThat(this.http.get(BASE + "/" + created.json().get("id"), this.viewerKey).json())
			.containsEntry("allowedProcesses", List.of())
			.containsEntry("allowedOrigins", List.of())
			.containsEntry("sealed", false);
	}

	@Test
	void upsertWhenBodyNamesNoPolicyThenStoredPolicyStaysAndWhenItNamesOneThenReplaced() {
		Map<String, Object> first = apiKey("POLICY_UPSERT");
		first.put("allowedProcesses", List.of("payroll"));
		first.put("sealed", true);
		assertThat(this.http.post(BASE, this.editorKey, first).status()).isEqualTo(201);

		// a rotated secret pasted without the policy must not widen where the credential may go
		RestClient.Response rotated = this.http.post(BASE, this.editorKey, apiKey("POLICY_UPSERT"));
		assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
		this.stored.add((String) rotated.json().get("id"));
		assertThat(this.http.get(BASE + "/" + rotated.json().get("id"), this.viewerKey).json())
			.containsEntry("allowedProcesses", List.of("payroll"))
			.containsEntry("sealed", true);

		Map<String, Object> widened = apiKey("POLICY_UPSERT");
		widened.put("allowedProcesses", List.of());
		widened.put("sealed", false);
		RestClient.Response replaced = this.http.post(BASE, this.editorKey, widened);
		assertThat(replaced.json()).containsEntry("allowedProcesses", List.of()).containsEntry("sealed", false);
	}

	static Stream<Arguments> invalidPolicies() {
		return Stream.of(
				Arguments.of("process key with a space", "allowedProcesses", List.of("invoice approval"),
						"allowedProcesses entry 1 is not a process definition key"),
				Arguments.of("process key starting with a digit", "allowedProcesses", List.of("ok", "1st"),
						"allowedProcesses entry 2 is not a process definition key"),
				Arguments.of("plain http to a public host", "allowedOrigins", List.of("http://api.stripe.com"),
						"allowedOrigins entry 1 must be an origin"),
				Arguments.of("origin with a path", "allowedOrigins", List.of("https://api.stripe.com/v1"),
						"allowedOrigins entry 1 must be an origin"),
				Arguments.of("origin with user info", "allowedOrigins", List.of("https://u:p@api.stripe.com"),
						"allowedOrigins entry 1 must be an origin"),
				Arguments.of("origin not a URI", "allowedOrigins", List.of("not an origin"),
						"allowedOrigins entry 1 must be an origin"),
				Arguments.of("too many processes", "allowedProcesses",
						Stream.iterate(0, (i) -> i + 1).limit(51).map((i) -> "p" + i).toList(),
						"allowedProcesses may have at most 50 entries"),
				Arguments.of("processes too long in all", "allowedProcesses",
						Stream.iterate(0, (i) -> i + 1).limit(20).map((i) -> "p" + i + "x".repeat(240)).toList(),
						"allowedProcesses may have at most 4000 characters in all"),
				Arguments.of("processes as a string", "allowedProcesses", "invoice", "allowedProcesses must be an array"),
				Arguments.of("origins of numbers", "allowedOrigins", List.of(1, 2), "allowedOrigins must be an array"),
				Arguments.of("sealed as a string", "sealed", "yes", "sealed must be true or false"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("invalidPolicies")
	void createWhenPolicyInvalidThen400NamingTheFieldAndNothingStored(String name, String field, Object value,
			String message) {
		String key = "POLICY_BAD_" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
		Map<String, Object> body = apiKey(key);
		body.put(field, value);
		long before = credentialRows();

		RestClient.Response response = this.http.post(BASE, this.editorKey, body);

		assertProblem(response, 400, "BAD_REQUEST");
		assertThat(response.json()).containsEntry("field", field);
		assertThat((String) response.json().get("detail")).startsWith(message);
		assertThat(credentialRows()).isEqualTo(before);
		assertThat(this.http.get(BASE + "?key=" + key, this.viewerKey).items()).isEmpty();
	}

	@Test
	void oauth2StartWhenPolicyGivenThenTheConnectedCredentialCarriesIt() throws Exception {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("providerId", "devserver");
		body.put("key", "DEV_WITH_POLICY");
		body.put("allowedProcesses", List.of("sync-repos"));
		body.put("allowedOrigins", List.of("https://api.github.com"));
		body.put("sealed", true);
		RestClient.Response start = this.http.post(BASE + "/oauth2/start", this.editorKey, body);
		assertThat(start.status()).as(start.toString()).isEqualTo(200);
		Map<String, String> redirect = TestAccess.login(URI.create((String) start.json().get("authorizationUrl")),
				redirectUri());

		RestClient.Response connected = this.http.post(BASE + "/oauth2/callback", this.editorKey,
				Map.of("code", redirect.get("code"), "state", redirect.get("state")));

		assertThat(connected.status()).as(connected.toString()).isEqualTo(200);
		assertThat(connected.json()).containsEntry("allowedProcesses", List.of("sync-repos"))
			.containsEntry("allowedOrigins", List.of("https://api.github.com"))
			.containsEntry("sealed", true);
		this.stored.add((String) connected.json().get("id"));
		Map<String, String> tokens = revealed((String) connected.json().get("id"));

		// pasted tokens take the policy too (the refresh check stores the refreshed tokens with it)
		Map<String, Object> pasted = new LinkedHashMap<>();
		pasted.put("key", "DEV_PASTED_WITH_POLICY");
		pasted.put("service", "devserver");
		pasted.put("accessToken", tokens.get("accessToken"));
		pasted.put("refreshToken", tokens.get("refreshToken"));
		pasted.put("allowedProcesses", List.of("sync-repos", "nightly"));
		RestClient.Response stored = this.http.post(BASE, this.editorKey, pasted);
		assertThat(stored.status()).as(stored.toString()).isEqualTo(201);
		this.stored.add((String) stored.json().get("id"));
		assertThat(this.http.get(BASE + "/" + stored.json().get("id"), this.viewerKey).json())
			.containsEntry("allowedProcesses", List.of("nightly", "sync-repos"))
			.containsEntry("sealed", false);
		revealed((String) stored.json().get("id"));
	}

	@Test
	void oauth2StartWhenPolicyInvalidThen400AndNoFlowStarted() {
		long flows = rows("KEYFLOW_OAUTH2_FLOW");
		RestClient.Response start = this.http.post(BASE + "/oauth2/start", this.editorKey, Map.of("providerId",
				"devserver", "key", "DEV_BAD_POLICY", "allowedOrigins", List.of("http://example.com")));

		assertProblem(start, 400, "BAD_REQUEST");
		assertThat(start.json()).containsEntry("field", "allowedOrigins");
		assertThat(rows("KEYFLOW_OAUTH2_FLOW")).isEqualTo(flows);
	}

	@Test
	void selfServiceStartWhenPolicyGivenThenTheUsersConnectionCarriesIt() throws Exception {
		String userId = "policyuser" + UUID.randomUUID().toString().substring(0, 8);
		String password = "pw-" + UUID.randomUUID();
		SECRETS.add(password);
		User user = this.identityService.newUser(userId);
		user.setPassword(password);
		this.identityService.saveUser(user);
		RestClient browser = new RestClient(this.port);
		assertThat(browser.selfService("POST", ApiKeyFilter.SELF_SERVICE_PATH + "/login",
				Map.of("username", userId, "password", password)).status()).isEqualTo(200);

		RestClient.Response start = browser.selfService("POST", ApiKeyFilter.SELF_SERVICE_PATH
				+ "/connections/devserver/start", Map.of("allowedProcesses", List.of("my-reports"), "sealed", true));
		assertThat(start.status()).as(start.toString()).isEqualTo(200);
		Map<String, String> redirect = TestAccess.login(URI.create((String) start.json().get("authorizationUrl")),
				redirectUri());
		RestClient.Response callback = callback(browser, redirect);
		String location = callback.header("Location");
		assertThat(location).as(callback.toString()).contains("credentialId=");
		String id = location.substring(location.indexOf("credentialId=") + "credentialId=".length());
		this.stored.add(id);
		revealed(id);

		assertThat(browser.selfService("GET", ApiKeyFilter.SELF_SERVICE_PATH + "/connections", null).items())
			.singleElement()
			.satisfies((item) -> assertThat(item).containsEntry("allowedProcesses", List.of("my-reports"))
				.containsEntry("sealed", true));
		assertProblem(browser.selfService("POST", ApiKeyFilter.SELF_SERVICE_PATH + "/connections/devserver/start",
				Map.of("allowedProcesses", List.of("not a key"))), 400, "BAD_REQUEST");
	}

	private Map<String, Object> apiKey(String key) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("key", key);
		body.put("type", "api_key");
		body.put("service", "stripe");
		body.put("apiKey", secret(key));
		return body;
	}

	@SuppressWarnings("unchecked")
	private Map<String, String> revealed(String id) {
		Map<String, String> secrets = (Map<String, String>) this.http.post(BASE + "/" + id + "/reveal", ADMIN_KEY, Map.of())
			.json()
			.get("secrets");
		SECRETS.addAll(secrets.values());
		return secrets;
	}

	private long credentialRows() {
		return rows("KEYFLOW_CREDENTIAL");
	}

	private long rows(String table) {
		return new JdbcTemplate(this.dataSource).queryForObject("select count(*) from " + table, Long.class);
	}

}
