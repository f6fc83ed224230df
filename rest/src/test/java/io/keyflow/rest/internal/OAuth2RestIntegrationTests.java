package io.keyflow.rest.internal;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.keyflow.plugin.TestAccess;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OAuth2 connection over HTTP against Spring Authorization Server: start, the browser's login at the server,
 * the GET callback that redirects to the result page, and the credential listed afterwards. And who may complete a
 * flow for whom: only admin keys name a principal; a flow completes only in the browser that started it (GET
 * callback) or for the API key that started it (POST callback).
 */
class OAuth2RestIntegrationTests extends RestTestSupport {

	@Test
	void getCallbackWhenUserLoggedInThenRedirectsToResultPageAndCredentialIsListed() throws Exception {
		RestClient.Response start = this.http.post("/api/credentials/oauth2/start", ADMIN_KEY,
				Map.of("providerId", "devserver", "principalId", "carol", "scopes", List.of("read")));
		assertThat(start.status()).as(start.toString()).isEqualTo(200);
		URI authorizationUrl = URI.create((String) start.json().get("authorizationUrl"));
		assertThat(authorizationUrl.getQuery()).contains("code_challenge_method=S256");
		assertThat(start.header("Set-Cookie")).startsWith(BrowserBinding.COOKIE_PREFIX)
			.contains("HttpOnly", "SameSite=Lax", "Path=" + REDIRECT_PATH, "Max-Age=600")
			.doesNotContain("Secure");

		Map<String, String> redirect = TestAccess.login(authorizationUrl, redirectUri());
		RestClient.Response callback = callback(this.http, redirect);

		assertThat(callback.status()).isEqualTo(302);
		String location = callback.header("Location");
		assertThat(location).startsWith("/api/credentials/oauth2/result?credentialId=");
		assertThat(callback.header("Set-Cookie")).as("the used binding cookie is deleted").contains("Max-Age=0");
		String credentialId = location.substring(location.indexOf('=') + 1);
		RestClient.Response page = this.http.get(location, null);
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.body()).contains("data-status=\"connected\"").contains(credentialId);

		RestClient.Response list = this.http.get("/api/credentials?principalId=carol&service=devserver", this.viewerKey);
		assertThat(list.status()).isEqualTo(200);
		assertThat(list.items()).singleElement().satisfies((item) -> {
			assertThat(item.get("id")).isEqualTo(credentialId);
			assertThat(item.get("type")).isEqualTo("oauth2");
			assertThat(item.get("status")).isEqualTo("ACTIVE");
			assertThat(item.get("tokenExpiresAt")).isNotNull();
		});
	}

	@Test
	void startWhenEditorNamesPrincipalThen403AndNothingStoredOrStarted() {
		String principal = "victim-" + UUID.randomUUID();
		int flows = count("KEYFLOW_OAUTH2_FLOW");

		RestClient.Response start = this.http.post("/api/credentials/oauth2/start", this.editorKey,
				Map.of("providerId", "devserver", "principalId", principal));
		RestClient.Response create = this.http.post("/api/credentials", this.editorKey, Map.of("principalId", principal,
				"service", "stripe", "type", "api_key", "apiKey", secret("editor-for-victim")));
		RestClient.Response pasted = this.http.post("/api/credentials", this.tenantEditorKey, Map.of("principalId",
				principal, "service", "devserver", "accessToken", secret("pasted-access"), "refreshToken",
				secret("pasted-refresh")));

		for (RestClient.Response refused : List.of(start, create, pasted)) {
			assertProblem(refused, 403, "PRINCIPAL_NOT_ALLOWED");
			assertThat(refused.json().get("detail").toString()).contains("admin key", "My connections");
			assertThat(refused.header("Set-Cookie")).isNull();
		}
		assertThat(count("KEYFLOW_OAUTH2_FLOW")).isEqualTo(flows);
		assertThat(this.http.get("/api/credentials?principalId=" + principal, ADMIN_KEY).items()).isEmpty();
		assertThat(this.http.get("/api/credentials?principalId=" + principal + "&tenantId=tenant-b", ADMIN_KEY).items())
			.isEmpty();
		List<Map<String, Object>> audit = this.http.get("/api/credentials/audit?size=3", ADMIN_KEY).items();
		assertThat(audit).allSatisfy((event) -> assertThat(event).containsEntry("outcome", "failure")
			.containsEntry("errorCode", "PRINCIPAL_NOT_ALLOWED")
			.containsEntry("onBehalfOf", principal));
	}

	@Test
	void createWhenAdminNamesPrincipalThenStoredAndAuditSaysOnBehalfOf() throws Exception {
		String principal = "dana-" + UUID.randomUUID();

		RestClient.Response created = this.http.post("/api/credentials", ADMIN_KEY, Map.of("principalId", principal,
				"service", "stripe", "type", "api_key", "apiKey", secret("admin-for-dana")));
		Map<String, Object> createEvent = this.http.get("/api/credentials/audit?size=1", ADMIN_KEY).items().get(0);
		RestClient.Response start = this.http.post("/api/credentials/oauth2/start", ADMIN_KEY,
				Map.of("providerId", "devserver", "principalId", principal));
		Map<String, Object> startEvent = this.http.get("/api/credentials/audit?size=1", ADMIN_KEY).items().get(0);
		Map<String, String> redirect = TestAccess.login(URI.create((String) start.json().get("authorizationUrl")),
				redirectUri());
		assertThat(callback(this.http, redirect).header("Location")).contains("credentialId=");
		Map<String, Object> connectEvent = this.http.get("/api/credentials/audit?size=1", ADMIN_KEY).items().get(0);

		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		assertThat(this.http.get("/api/credentials?principalId=" + principal, this.viewerKey).items()).hasSize(2);
		assertThat(createEvent).containsEntry("action", "credential.create")
			.containsEntry("actorId", ApiKeyAuthenticator.BOOTSTRAP_ID)
			.containsEntry("onBehalfOf", principal);
		assertThat(startEvent).containsEntry("action", "oauth2.start").containsEntry("onBehalfOf", principal);
		assertThat(connectEvent).containsEntry("action", "oauth2.connect")
			.containsEntry("outcome", "success")
			.containsEntry("onBehalfOf", principal);
	}

	@Test
	void getCallbackWhenAnotherBrowserFollowsTheAuthorizationUrlThenRejectedLikeUnknownStateAndNothingStored()
			throws Exception {
		String principal = "erin-" + UUID.randomUUID();
		RestClient.Response start = this.http.post("/api/credentials/oauth2/start", ADMIN_KEY,
				Map.of("providerId", "devserver", "principalId", principal));
		RestClient otherBrowser = new RestClient(this.port);

		Map<String, String> redirect = TestAccess.login(URI.create((String) start.json().get("authorizationUrl")),
				redirectUri());
		RestClient.Response crossed = callback(otherBrowser, redirect);
		RestClient.Response starterAfterwards = callback(this.http, redirect);

		assertThat(crossed.status()).isEqualTo(302);
		assertThat(crossed.header("Location")).isEqualTo("/api/credentials/oauth2/result?error=OAUTH_STATE_INVALID");
		assertThat(otherBrowser.get(crossed.header("Location"), null).body()).contains("data-status=\"failed\"");
		assertThat(starterAfterwards.header("Location")).as("the flow is used up")
			.isEqualTo("/api/credentials/oauth2/result?error=OAUTH_STATE_INVALID");
		assertThat(this.http.get("/api/credentials?principalId=" + principal, ADMIN_KEY).items()).isEmpty();
		assertThat(log.text()).contains("KEYFLOW-R006");
	}

	@Test
	void startWhenTwoFlowsInOneBrowserThenBothComplete() throws Exception {
		RestClient.Response first = this.http.post("/api/credentials/oauth2/start", this.editorKey,
				Map.of("providerId", "devserver", "key", "TWO_FLOWS_FIRST"));
		RestClient.Response second = this.http.post("/api/credentials/oauth2/start", this.editorKey,
				Map.of("providerId", "devserver", "key", "TWO_FLOWS_SECOND"));

		Map<String, String> secondRedirect = TestAccess.login(URI.create((String) second.json().get("authorizationUrl")),
				redirectUri());
		Map<String, String> firstRedirect = TestAccess.login(URI.create((String) first.json().get("authorizationUrl")),
				redirectUri());

		assertThat(callback(this.http, secondRedirect).header("Location")).contains("credentialId=");
		assertThat(callback(this.http, firstRedirect).header("Location")).contains("credentialId=");
		assertThat(this.http.get("/api/credentials?key=TWO_FLOWS_FIRST", this.viewerKey).items()).hasSize(1);
		assertThat(this.http.get("/api/credentials?key=TWO_FLOWS_SECOND", this.viewerKey).items()).hasSize(1);
	}

	@Test
	void postCallbackWhenAnotherKeyRelaysTheCodeThenRejectedLikeUnknownStateAndNothingStored() throws Exception {
		String otherEditor = issue("editor", null);
		RestClient.Response start = this.http.post("/api/credentials/oauth2/start", this.editorKey,
				Map.of("providerId", "devserver", "key", "RELAYED_BY_OTHER"));
		Map<String, String> redirect = TestAccess.login(URI.create((String) start.json().get("authorizationUrl")),
				redirectUri());

		RestClient.Response byOther = this.http.post("/api/credentials/oauth2/callback", otherEditor,
				Map.of("code", redirect.get("code"), "state", redirect.get("state")));
		RestClient.Response byAdmin = this.http.post("/api/credentials/oauth2/callback", ADMIN_KEY,
				Map.of("code", redirect.get("code"), "state", redirect.get("state")));
		RestClient.Response byStarter = this.http.post("/api/credentials/oauth2/callback", this.editorKey,
				Map.of("code", redirect.get("code"), "state", redirect.get("state")));

		assertProblem(byOther, 400, "OAUTH_STATE_INVALID");
		assertThat(byOther.json().get("detail")).isEqualTo(this.http.post("/api/credentials/oauth2/callback", otherEditor,
				Map.of("code", "x", "state", "never-issued")).json().get("detail"));
		assertProblem(byAdmin, 400, "OAUTH_STATE_INVALID");
		assertProblem(byStarter, 400, "OAUTH_STATE_INVALID");
		assertThat(this.http.get("/api/credentials?key=RELAYED_BY_OTHER", this.viewerKey).items()).isEmpty();
	}

	private int count(String table) {
		return new JdbcTemplate(this.dataSource).queryForObject("select count(*) from " + table, Integer.class);
	}

}
