package io.keyflow.rest.internal;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.keyflow.plugin.LeakScanner;
import io.keyflow.plugin.TestAccess;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Self-service connections of Camunda users ({@code /api/credentials/me}) over real HTTP, with real users in
 * Camunda's identity service and Spring Authorization Server as the provider: each user's connection is bound to
 * that user, no user reaches another's, a flow completes only in the browser and for the user that started it,
 * login rotates the session, and state-changing requests need the marker header. Each test has its own users;
 * after them all, whatever their order, responses, database and log are scanned for every secret.
 */
// one instance for the class: the leak scan after all tests reads the application\'s database
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SelfServiceIntegrationTests extends RestTestSupport {

	static final String ME = "/api/credentials/me";

	@Autowired
	IdentityService identityService;

	@Test
	void connectWhenTwoUsersConnectThenEachCredentialBelongsToItsUserAndNeitherReachesTheOther() throws Exception {
		String alice = user("alice");
		String bob = user("bob");
		RestClient aliceBrowser = loggedIn(alice);
		RestClient bobBrowser = loggedIn(bob);

		String aliceCredential = connect(aliceBrowser);
		String bobCredential = connect(bobBrowser);

		Map<String, Object> aliceItem = aliceBrowser.selfService("GET", ME + "/connections", null).items().get(0);
		assertThat(aliceBrowser.selfService("GET", ME + "/connections", null).items()).singleElement()
			.satisfies((item) -> assertThat(item).containsEntry("id", aliceCredential).containsEntry("principalId", alice)
				.containsEntry("service", "devserver").containsEntry("status", "ACTIVE"));
		assertThat(aliceItem).doesNotContainKeys("secrets", "accessToken", "refreshToken");
		assertThat(bobBrowser.selfService("GET", ME + "/connections", null).items()).singleElement()
			.satisfies((item) -> assertThat(item).containsEntry("id", bobCredential).containsEntry("principalId", bob));
		assertThat(this.http.get("/api/credentials?principalId=" + alice, this.viewerKey).items()).singleElement()
			.satisfies((item) -> assertThat(item.get("id")).isEqualTo(aliceCredential));

		// bob can neither delete nor start anything for alice
		assertProblem(bobBrowser.selfService("DELETE", ME + "/connections/" + aliceCredential, null), 404, "NOT_FOUND");
		assertProblem(bobBrowser.selfService("POST", ME + "/connections/devserver/start", Map.of("principalId", alice)),
				403, "PRINCIPAL_NOT_ALLOWED");
		assertProblem(bobBrowser.selfService("POST", ME + "/connections/devserver/start", Map.of("tenantId", "tenant-b")),
				403, "FORBIDDEN");
		assertProblem(bobBrowser.selfService("POST", ME + "/connections/devserver/start", Map.of("key", "ALICE_KEY")), 400,
				"BAD_REQUEST");
		assertThat(this.http.get("/api/credentials/" + aliceCredential, this.viewerKey).status()).isEqualTo(200);

		// alice disconnects her own; then it is gone for her, and bob's stays
		assertThat(aliceBrowser.selfService("DELETE", ME + "/connections/" + aliceCredential, null).status()).isEqualTo(204);
		assertThat(aliceBrowser.selfService("GET", ME + "/connections", null).items()).isEmpty();
		assertThat(bobBrowser.selfService("GET", ME + "/connections", null).items()).hasSize(1);
		List<Map<String, Object>> audit = this.http.get("/api/credentials/audit?size=20", ADMIN_KEY).items();
		assertThat(audit).anySatisfy((event) -> assertThat(event).containsEntry("action", "me.disconnect")
			.containsEntry("actorId", "user:" + alice).containsEntry("credentialId", aliceCredential));
		assertThat(audit).anySatisfy((event) -> assertThat(event).containsEntry("action", "oauth2.connect")
			.containsEntry("actorId", "user:" + bob).containsEntry("credentialId", bobCredential));
		assertThat(audit).anySatisfy((event) -> assertThat(event).containsEntry("action", "me.disconnect")
			.containsEntry("actorId", "user:" + bob).containsEntry("outcome", "failure"));
	}

	@Test
	void getCallbackWhenAnotherUsersBrowserFollowsTheAuthorizationUrlThenNothingStoredForEither() throws Exception {
		String alice = user("alice");
		String bob = user("bob");
		RestClient aliceBrowser = loggedIn(alice);
		RestClient bobBrowser = loggedIn(bob);
		RestClient.Response start = aliceBrowser.selfService("POST", ME + "/connections/devserver/start", Map.of());
		assertThat(start.status()).as(start.toString()).isEqualTo(200);
		assertThat(start.json()).doesNotContainKey("state");

		// bob opens alice's link, logs in at the provider, and is sent to the callback
		Map<String, String> redirect = TestAccess.login(URI.create((String) start.json().get("authorizationUrl")),
				redirectUri());
		RestClient.Response crossed = callback(bobBrowser, redirect);
		RestClient.Response page = bobBrowser.get(crossed.header("Location"), null);

		assertThat(crossed.header("Location")).isEqualTo("/api/credentials/oauth2/result?error=OAUTH_STATE_INVALID");
		assertThat(page.body()).contains("data-status=\"failed\"", "The connection failed");
		assertThat(aliceBrowser.selfService("GET", ME + "/connections", null).items()).isEmpty();
		assertThat(bobBrowser.selfService("GET", ME + "/connections", null).items()).isEmpty();
		assertThat(callback(aliceBrowser, redirect).header("Location")).as("the flow is used up")
			.contains("error=OAUTH_STATE_INVALID");
	}

	@Test
	void postCallbackWhenAnotherUserRelaysTheCodeThenRejectedLikeUnknownState() throws Exception {
		String alice = user("alice");
		String bob = user("bob");
		RestClient aliceBrowser = loggedIn(alice);
		RestClient bobBrowser = loggedIn(bob);
		RestClient.Response start = aliceBrowser.selfService("POST", ME + "/connections/devserver/start", Map.of());
		Map<String, String> redirect = TestAccess.login(URI.create((String) start.json().get("authorizationUrl")),
				redirectUri());

		RestClient.Response byBob = bobBrowser.selfService("POST", ME + "/connections/callback", redirect);
		RestClient.Response byKey = this.http.post("/api/credentials/oauth2/callback", this.editorKey, redirect);
		RestClient.Response byAlice = aliceBrowser.selfService("POST", ME + "/connections/callback", redirect);

		assertProblem(byBob, 400, "OAUTH_STATE_INVALID");
		assertProblem(byKey, 400, "OAUTH_STATE_INVALID");
		assertProblem(byAlice, 400, "OAUTH_STATE_INVALID");
		assertThat(aliceBrowser.selfService("GET", ME + "/connections", null).items()).isEmpty();

		// relayed by the user who started it, a flow completes
		RestClient.Response again = aliceBrowser.selfService("POST", ME + "/connections/devserver/start", Map.of());
		Map<String, String> relayed = TestAccess.login(URI.create((String) again.json().get("authorizationUrl")),
				redirectUri());
		RestClient.Response connected = aliceBrowser.selfService("POST", ME + "/connections/callback", relayed);
		assertThat(connected.status()).as(connected.toString()).isEqualTo(200);
		assertThat(connected.json()).containsEntry("principalId", alice);
	}

	@Test
	void selfServiceWhenBasicAuthThenOwnEndpointsOnlyAndTenantMembershipDecidesTheTenant() throws Exception {
		String carl = user("carl");
		String tenant = "tenant" + UUID.randomUUID().toString().substring(0, 8);
		this.identityService.saveTenant(this.identityService.newTenant(tenant));
		this.identityService.createTenantUserMembership(tenant, carl);
		String basic = "Basic " + Base64.getEncoder()
			.encodeToString((carl + ":" + password(carl)).getBytes(StandardCharsets.UTF_8));

		RestClient.Response me = this.http.send(this.http.request(ME, null).header("Authorization", basic).GET());
		RestClient.Response admin = this.http.send(this.http.request("/api/credentials", null)
			.header("Authorization", basic)
			.GET());
		// a wrong password starts Camunda's login delay for that user: another user here
		String mallory = user("mallory");
		RestClient.Response wrong = this.http.send(this.http.request(ME, null)
			.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((mallory + ":nope").getBytes()))
			.GET());
		RestClient.Response inTenant = this.http.send(this.http.request(ME + "/connections/devserver/start", null)
			.header("Authorization", basic)
			.header(ApiKeyFilter.CSRF_HEADER, "true")
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"tenantId\":\"" + tenant + "\"}")));
		RestClient.Response withoutMarker = this.http.send(this.http.request(ME + "/connections/devserver/start", null)
			.header("Authorization", basic)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{}")));
		RestClient.Response keyOnMe = this.http.get(ME, ADMIN_KEY);

		assertThat(me.status()).as(me.toString()).isEqualTo(200);
		assertThat(me.json()).containsEntry("userId", carl)
			.containsEntry("authenticatedBy", "basic")
			.containsEntry("tenants", List.of(tenant));
		assertThat(me.json().get("providers").toString()).contains("id=devserver");
		assertProblem(admin, 403, "SELF_SERVICE_ONLY");
		assertProblem(wrong, 401, "UNAUTHORIZED");
		assertThat(inTenant.status()).as(inTenant.toString()).isEqualTo(200);
		assertProblem(withoutMarker, 403, "CSRF_REJECTED");
		assertProblem(keyOnMe, 403, "FORBIDDEN");
		assertProblem(new RestClient(this.port).get(ME + "/connections", null), 401, "UNAUTHORIZED");
	}

	@Test
	void loginWhenPasswordRightThenSessionIdRotatedAndLogoutEndsIt() {
		String dora = user("dora");
		String ed = user("ed");
		RestClient browser = new RestClient(this.port);

		// a wrong password starts Camunda's login delay for that user: another user here
		assertProblem(browser.selfService("POST", ME + "/login", Map.of("username", user("frank"), "password", "wrong")),
				401, "UNAUTHORIZED");
		assertProblem(browser.raw("POST", ME + "/login", null, "application/json",
				RestClient.json(Map.of("username", dora, "password", password(dora)))), 403, "CSRF_REJECTED");
		assertThat(browser.selfService("POST", ME + "/login", Map.of("username", dora, "password", password(dora)))
			.status()).isEqualTo(200);
		String first = browser.cookies().get(SESSION_COOKIE);
		assertThat(browser.selfService("GET", ME, null).json()).containsEntry("userId", dora)
			.containsEntry("authenticatedBy", "keyflow-session");
		assertThat(browser.selfService("POST", ME + "/login", Map.of("username", ed, "password", password(ed))).status())
			.isEqualTo(200);
		String second = browser.cookies().get(SESSION_COOKIE);

		assertThat(first).isNotNull();
		assertThat(second).isNotNull().isNotEqualTo(first);
		assertThat(browser.selfService("GET", ME, null).json()).containsEntry("userId", ed);
		assertThat(browser.selfService("POST", ME + "/logout", null).status()).isEqualTo(204);
		assertProblem(browser.selfService("GET", ME, null), 401, "UNAUTHORIZED");
	}

	// after every test of the class, whatever their order: each test adds its secrets and responses
	@AfterAll
	void leakScanWhenSelfServiceRanThenNoSecretInResponsesDatabaseOrLog() throws Exception {
		for (String body : RestClient.scannable) {
			assertThat(LeakScanner.scanText("response", body, SECRETS)).isEmpty();
		}
		assertThat(LeakScanner.scanDatabase(this.dataSource, SECRETS)).isEmpty();
		assertThat(LeakScanner.scanText("log", log.text(), SECRETS)).isEmpty();
	}

	/** Creates a Camunda user with a fresh password (remembered for the leak scans). */
	private String user(String name) {
		String id = name + UUID.randomUUID().toString().substring(0, 8);
		User user = this.identityService.newUser(id);
		user.setPassword(password(id));
		this.identityService.saveUser(user);
		SECRETS.add(password(id));
		return id;
	}

	private static String password(String userId) {
		return "pw-" + userId + "-" + Integer.toHexString(userId.hashCode()) + "-secret";
	}

	private RestClient loggedIn(String userId) {
		RestClient browser = new RestClient(this.port);
		RestClient.Response login = browser.selfService("POST", ME + "/login", Map.of("username", userId, "password",
				password(userId)));
		assertThat(login.status()).as(login.toString()).isEqualTo(200);
		return browser;
	}

	/** Connects the dev server's account in this browser and answers the credential id. */
	private String connect(RestClient browser) throws Exception {
		RestClient.Response start = browser.selfService("POST", ME + "/connections/devserver/start",
				Map.of("scopes", List.of("read")));
		assertThat(start.status()).as(start.toString()).isEqualTo(200);
		Map<String, String> redirect = TestAccess.login(URI.create((String) start.json().get("authorizationUrl")),
				redirectUri());
		RestClient.Response callback = callback(browser, redirect);
		assertThat(callback.header("Location")).as(callback.toString()).contains("credentialId=");
		String location = callback.header("Location");
		String id = location.substring(location.indexOf("credentialId=") + "credentialId=".length());
		SECRETS.addAll(revealed(id).values());
		return id;
	}

	@SuppressWarnings("unchecked")
	private Map<String, String> revealed(String id) {
		return (Map<String, String>) this.http.post("/api/credentials/" + id + "/reveal", ADMIN_KEY, Map.of())
			.json()
			.get("secrets");
	}

}
