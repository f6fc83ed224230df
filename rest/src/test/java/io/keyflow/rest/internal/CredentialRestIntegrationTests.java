package io.keyflow.rest.internal;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.keyflow.plugin.LeakScanner;
import io.keyflow.plugin.TestAccess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every endpoint's success path over real HTTP, the roles (401 and 403 for each endpoint), tenants, upsert,
 * pasted tokens checked by a refresh, the audit trail, the OpenAPI document and Camunda's /engine-rest beside the
 * API. Each test sets up what it needs; after them all, whatever their order, every response (but reveal and new API
 * keys), the database and the log are scanned for secrets.
 */
// one instance for the class: the leak scan after all tests reads the application\'s database
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CredentialRestIntegrationTests extends RestTestSupport {

	static final String BASE = "/api/credentials";

	@Autowired
	RequestMappingHandlerMapping handlerMapping;

	@Test
	void createWhenApiKeyThen201WithMetadataOnlyAndGetAndListShowIt() {
		String secret = secret("stripe");
		RestClient.Response created = this.http.post(BASE, this.editorKey, Map.of("key", "STRIPE_ACME", "name", "Stripe",
				"type", "api_key", "service", "stripe", "apiKey", secret, "metadata", Map.of("team", "billing")));

		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		Map<String, Object> body = created.json();
		assertThat(body).containsKeys("id", "key", "type", "service", "principalId", "createdAt")
			.containsEntry("key", "STRIPE_ACME")
			.containsEntry("type", "api_key")
			.containsEntry("service", "stripe");
		assertThat(created.header("Location")).isEqualTo(BASE + "/" + body.get("id"));
		assertThat(created.header("Cache-Control")).isEqualTo("no-store");

		RestClient.Response got = this.http.get(BASE + "/" + body.get("id"), this.viewerKey);
		assertThat(got.status()).isEqualTo(200);
		assertThat(got.json()).containsEntry("status", "ACTIVE")
			.containsEntry("metadata", Map.of("team", "billing"))
			.containsKeys("scopes", "tokenExpiresAt", "updatedAt");

		RestClient.Response listed = this.http.get(BASE + "?key=STRIPE_ACME&type=api_key&service=stripe", this.viewerKey);
		assertThat(listed.items()).singleElement().satisfies((item) -> assertThat(item.get("id")).isEqualTo(body.get("id")));
	}

	@Test
	void createWhenEveryTypeThenStoredAndAccessTokenAloneDefaultsToOauth2() {
		assertThat(this.http.post(BASE, this.editorKey, Map.of("key", "WEBHOOK_SECRET", "type", "static", "value",
				secret("static"))).status()).isEqualTo(201);
		assertThat(this.http.post(BASE, this.editorKey, Map.of("key", "LEGACY_FTP", "type", "basic", "username", "ftp",
				"password", secret("password"))).status()).isEqualTo(201);
		RestClient.Response oauth2 = this.http.post(BASE, this.editorKey, Map.of("key", "PASTED_TOKEN", "service", "github",
				"accessToken", secret("token"), "tokenExpiresAt", "2031-01-01T00:00:00Z", "scopes", List.of("repo")));

		assertThat(oauth2.status()).as(oauth2.toString()).isEqualTo(201);
		assertThat(oauth2.json()).containsEntry("type", "oauth2");
		Map<String, Object> detail = this.http.get(BASE + "/" + oauth2.json().get("id"), this.viewerKey).json();
		assertThat(detail).containsEntry("tokenExpiresAt", "2031-01-01T00:00:00Z").containsEntry("scopes", List.of("repo"));
	}

	@Test
	void createWhenSamePrincipalAndServiceTwiceThenOneCredentialIsUpdated() {
		Map<String, Object> first = Map.of("principalId", "dave", "service", "openai", "type", "api_key", "apiKey",
				secret("openai"));
		RestClient.Response created = this.http.post(BASE, ADMIN_KEY, first);
		RestClient.Response updated = this.http.post(BASE, ADMIN_KEY, Map.of("principalId", "dave", "service",
				"openai", "type", "api_key", "apiKey", secret("openai2"), "name", "Dave's OpenAI"));

		assertThat(created.status()).isEqualTo(201);
		assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
		assertThat(updated.json().get("id")).isEqualTo(created.json().get("id"));
		List<Map<String, Object>> items = this.http.get(BASE + "?principalId=dave&service=openai", this.viewerKey).items();
		assertThat(items).singleElement().satisfies((item) -> assertThat(item.get("name")).isEqualTo("Dave's OpenAI"));
		Map<String, Object> audit = this.http.get(BASE + "/audit?size=5", ADMIN_KEY).items().get(0);
		assertThat(audit).containsEntry("action", "credential.update").containsEntry("credentialId", created.json().get("id"));
	}

	@Test
	void listWhenPagedThenPagesByPageSizeOrOffsetLimit() {
		for (int i = 0; i < 3; i++) {
			this.http.post(BASE, this.editorKey, Map.of("key", "PAGED_" + i, "type", "api_key", "service", "paged",
					"apiKey", secret("paged")));
		}
		RestClient.Response first = this.http.get(BASE + "?service=paged&page=0&size=2", this.viewerKey);
		RestClient.Response second = this.http.get(BASE + "?service=paged&page=1&size=2", this.viewerKey);
		RestClient.Response offset = this.http.get(BASE + "?service=paged&offset=2&limit=5", this.viewerKey);

		assertThat(first.items()).extracting((item) -> item.get("key")).containsExactly("PAGED_0", "PAGED_1");
		assertThat(first.json()).containsEntry("hasMore", true);
		assertThat(second.items()).extracting((item) -> item.get("key")).containsExactly("PAGED_2");
		assertThat(second.json()).containsEntry("hasMore", false);
		assertThat(offset.items()).extracting((item) -> item.get("key")).containsExactly("PAGED_2");
	}

	@Test
	void deleteWhenPresentThen204AndThen404() {
		String id = create("DELETE_ME");

		assertThat(this.http.delete(BASE + "/" + id, this.editorKey).status()).isEqualTo(204);
		assertProblem(this.http.delete(BASE + "/" + id, this.editorKey), 404, "NOT_FOUND");
		assertProblem(this.http.get(BASE + "/" + id, this.viewerKey), 404, "NOT_FOUND");
	}

	@Test
	void revealWhenAdminThenSecretPartsAndAuditedButNeverForEditor() {
		String secret = secret("reveal");
		String id = (String) this.http.post(BASE, this.editorKey, Map.of("key", "REVEAL_ME", "type", "api_key", "apiKey",
				secret)).json().get("id");

		RestClient.Response revealed = this.http.post(BASE + "/" + id + "/reveal", ADMIN_KEY, Map.of());

		assertThat(revealed.status()).isEqualTo(200);
		assertThat(revealed.json()).containsEntry("secrets", Map.of("apiKey", secret));
		assertProblem(this.http.post(BASE + "/" + id + "/reveal", this.editorKey, Map.of()), 403, "FORBIDDEN");
		Map<String, Object> event = this.http.get(BASE + "/audit?size=1", ADMIN_KEY).items().get(0);
		assertThat(event).containsEntry("action", "credential.reveal")
			.containsEntry("credentialId", id)
			.containsEntry("credentialKey", "REVEAL_ME")
			.containsEntry("actorId", ApiKeyAuthenticator.BOOTSTRAP_ID)
			.containsEntry("outcome", "success");
	}

	@Test
	void oauth2WhenConnectedThroughPostCallbackThenPastedTokensAreCheckedByARefreshAndRefreshWorks() throws Exception {
		RestClient.Response start = this.http.post(BASE + "/oauth2/start", this.editorKey,
				Map.of("providerId", "devserver", "key", "DEV_RELAYED"));
		Map<String, String> redirect = TestAccess.login(URI.create((String) start.json().get("authorizationUrl")),
				redirectUri());
		RestClient.Response connected = this.http.post(BASE + "/oauth2/callback", this.editorKey,
				Map.of("code", redirect.get("code"), "state", redirect.get("state")));
		assertThat(connected.status()).as(connected.toString()).isEqualTo(200);
		String id = (String) connected.json().get("id");
		Map<String, String> tokens = secrets(id);

		RestClient.Response pasted = this.http.post(BASE, this.editorKey, Map.of("key", "DEV_PASTED", "service",
				"devserver", "accessToken", tokens.get("accessToken"), "refreshToken", tokens.get("refreshToken")));
		assertThat(pasted.status()).as(pasted.toString()).isEqualTo(201);
		String pastedId = (String) pasted.json().get("id");
		assertThat(secrets(pastedId).get("refreshToken")).isNotEqualTo(tokens.get("refreshToken"));

		RestClient.Response refreshed = this.http.post(BASE + "/" + pastedId + "/refresh", this.editorKey, Map.of());
		assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(200);
		assertThat(refreshed.json()).containsEntry("status", "ACTIVE").containsKey("tokenExpiresAt");
		secrets(pastedId);

		// the original refresh token was spent by the check: pasting it again is refused and stores nothing
		RestClient.Response spent = this.http.post(BASE, this.editorKey, Map.of("key", "DEV_SPENT", "service", "devserver",
				"accessToken", tokens.get("accessToken"), "refreshToken", tokens.get("refreshToken")));
		assertProblem(spent, 400, "REFRESH_FAILED");
		assertThat(this.http.get(BASE + "?key=DEV_SPENT", this.viewerKey).items()).isEmpty();
		assertProblem(this.http.post(BASE + "/" + create("NOT_OAUTH") + "/refresh", this.editorKey, Map.of()), 400,
				"BAD_REQUEST");
	}

	@Test
	void oauth2WhenStateUnknownThenGetCallbackRedirectsWithCodeAndPostCallbackAnswersProblem() {
		RestClient.Response get = this.http.get(BASE + "/oauth2/callback?code=abc&state=" + UUID.randomUUID(), null);
		assertThat(get.status()).isEqualTo(302);
		assertThat(get.header("Location")).isEqualTo(BASE + "/oauth2/result?error=OAUTH_STATE_INVALID");
		RestClient.Response page = this.http.get(get.header("Location"), null);
		assertThat(page.body()).contains("data-status=\"failed\"").contains("OAUTH_STATE_INVALID");
		assertThat(this.http.get(BASE + "/oauth2/callback?error=access_denied", null).header("Location"))
			.isEqualTo(BASE + "/oauth2/result?error=PROVIDER_DENIED&providerError=access_denied");

		assertProblem(this.http.post(BASE + "/oauth2/callback", this.editorKey, Map.of("code", "abc", "state", "nope")),
				400, "OAUTH_STATE_INVALID");
	}

	@Test
	void providersWhenListedAndRegisteredThenCatalogueHasThemAndBuiltInsCannotBeReplaced() {
		RestClient.Response list = this.http.get(BASE + "/oauth2/providers", this.viewerKey);
		assertThat(list.items()).extracting((item) -> item.get("id")).contains("github", "google", "devserver");

		Map<String, Object> provider = new LinkedHashMap<>();
		provider.put("id", "acme-idp");
		provider.put("name", "ACME IdP");
		provider.put("authorizationUrl", "https://idp.acme.example/authorize");
		provider.put("tokenUrl", "https://idp.acme.example/token");
		provider.put("defaultScopes", List.of("openid"));
		provider.put("tokenEndpointAuthMethod", "client_secret_post");
		RestClient.Response registered = this.http.post(BASE + "/oauth2/providers", ADMIN_KEY, provider);

		assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
		assertThat(this.http.get(BASE + "/oauth2/providers", this.viewerKey).items()).extracting((item) -> item.get("id"))
			.contains("acme-idp");
		provider.put("id", "github");
		assertProblem(this.http.post(BASE + "/oauth2/providers", ADMIN_KEY, provider), 409, "CONFLICT");
		assertProblem(this.http.post(BASE + "/oauth2/providers", this.tenantAdminKey, provider), 403, "FORBIDDEN");
		assertProblem(this.http.post(BASE + "/oauth2/providers", this.editorKey, provider), 403, "FORBIDDEN");
	}

	@Test
	void tenantsWhenKeyIsBoundThenItSeesOnlyItsTenantAndOtherIdsAre404() {
		RestClient.Response created = this.http.post(BASE, this.tenantEditorKey, Map.of("key", "TENANT_B_ONLY", "type",
				"api_key", "apiKey", secret("tenant")));
		assertThat(created.json()).containsEntry("tenantId", "tenant-b");
		String id = (String) created.json().get("id");
		String unbound = create("UNBOUND_ONLY");

		assertProblem(this.http.get(BASE + "/" + id, this.viewerKey), 404, "NOT_FOUND");
		assertProblem(this.http.delete(BASE + "/" + id, this.editorKey), 404, "NOT_FOUND");
		assertProblem(this.http.get(BASE + "/" + unbound, this.tenantEditorKey), 404, "NOT_FOUND");
		assertThat(this.http.get(BASE + "/" + id, this.tenantAdminKey).status()).isEqualTo(200);
		assertThat(this.http.get(BASE + "/" + id + "?tenantId=tenant-b", ADMIN_KEY).status()).isEqualTo(200);
		assertThat(this.http.get(BASE, this.tenantEditorKey).items()).extracting((item) -> item.get("key"))
			.containsExactly("TENANT_B_ONLY");
		assertProblem(this.http.get(BASE + "?tenantId=tenant-c", this.tenantAdminKey), 403, "FORBIDDEN");
		assertProblem(this.http.get(BASE + "?tenantId=tenant-b", this.editorKey), 403, "FORBIDDEN");
		List<Map<String, Object>> events = this.http.get(BASE + "/audit", this.tenantAdminKey).items();
		assertThat(events).isNotEmpty().allSatisfy((event) -> assertThat(event.get("tenantId")).isEqualTo("tenant-b"));
	}

	@Test
	void rolesWhenKeyMissingInvalidRevokedOrTooWeakThen401Or403() {
		String id = create("ROLE_TARGET");
		RestClient.Response issued = this.http.post(BASE + "/api-keys", ADMIN_KEY,
				Map.of("name", "revoked-" + UUID.randomUUID(), "role", "admin"));
		String revoked = (String) issued.json().get("apiKey");
		SECRETS.add(revoked);
		Map<String, Object> keys = this.http.get(BASE + "/api-keys", ADMIN_KEY).json();
		assertThat(RestClient.json(keys)).doesNotContain(revoked).doesNotContain("HASH");
		String revokedId = issued.json().get("id").toString();
		assertThat(this.http.delete(BASE + "/api-keys/" + revokedId, ADMIN_KEY).status()).isEqualTo(204);

		List<Endpoint> endpoints = List.of(new Endpoint("GET", BASE, "viewer"), new Endpoint("POST", BASE, "editor"),
				new Endpoint("POST", BASE + "/batch", "editor"),
				new Endpoint("GET", BASE + "/" + id, "viewer"), new Endpoint("DELETE", BASE + "/" + id, "editor"),
				new Endpoint("POST", BASE + "/" + id + "/refresh", "editor"),
				new Endpoint("POST", BASE + "/" + id + "/reveal", "admin"),
				new Endpoint("GET", BASE + "/oauth2/providers", "viewer"),
				new Endpoint("POST", BASE + "/oauth2/providers", "admin"),
				new Endpoint("POST", BASE + "/oauth2/start", "editor"),
				new Endpoint("POST", BASE + "/oauth2/client-credentials", "editor"),
				new Endpoint("POST", BASE + "/oauth2/callback", "editor"), new Endpoint("GET", BASE + "/audit", "admin"),
				new Endpoint("GET", BASE + "/api-keys", "admin"), new Endpoint("POST", BASE + "/api-keys", "admin"),
				new Endpoint("DELETE", BASE + "/api-keys/" + revokedId, "admin"));
		String workerKey = issue("worker", null);
		for (Endpoint endpoint : endpoints) {
			for (String key : new String[] { null, "kf_not-a-real-key-0123456789", revoked }) {
				assertProblem(this.http.raw(endpoint.method(), endpoint.path(), key, "application/json", "{}"), 401,
						"UNAUTHORIZED");
			}
			assertProblem(this.http.send(this.http.request(endpoint.path(), null)
				.header("Authorization", "Basic YWRtaW46YWRtaW4=")
				.method(endpoint.method(), java.net.http.HttpRequest.BodyPublishers.noBody())), 401, "UNAUTHORIZED");
			// a worker key is below no role and above none: refused everywhere but its exchange
			List<String> weaker = switch (endpoint.role()) {
				case "admin" -> List.of(this.viewerKey, this.editorKey, workerKey);
				case "editor" -> List.of(this.viewerKey, workerKey);
				default -> List.of(workerKey);
			};
			for (String key : weaker) {
				RestClient.Response response = this.http.raw(endpoint.method(), endpoint.path(), key, "application/json",
						"{\"malformed\":");
				assertProblem(response, 403, "FORBIDDEN");
			}
		}
		assertThat(this.http.get(BASE + "/" + id, this.viewerKey).status()).isEqualTo(200);
	}

	@Test
	void apiKeysWhenCreatedListedAndRevokedThenKeyStopsWorking() {
		RestClient.Response created = this.http.post(BASE + "/api-keys", ADMIN_KEY, Map.of("name", "ci", "role", "viewer"));
		String key = (String) created.json().get("apiKey");
		SECRETS.add(key);
		assertThat(key).startsWith("kf_");
		assertThat(this.http.get(BASE, key).status()).isEqualTo(200);
		assertThat(this.http.get(BASE + "/api-keys", ADMIN_KEY).items()).extracting((item) -> item.get("name")).contains("ci");

		assertThat(this.http.delete(BASE + "/api-keys/" + created.json().get("id"), ADMIN_KEY).status()).isEqualTo(204);

		assertProblem(this.http.get(BASE, key), 401, "UNAUTHORIZED");
		assertProblem(this.http.post(BASE + "/api-keys", this.tenantAdminKey, Map.of("name", "x", "role", "viewer",
				"tenantId", "tenant-c")), 403, "FORBIDDEN");
	}

	@Test
	void engineRestWhenKeyflowApiIsServedThenCamundaRestStillAnswers() {
		RestClient.Response engines = this.http.get("/engine-rest/engine", null);

		assertThat(engines.status()).isEqualTo(200);
		assertThat(engines.body()).contains("\"name\"");
	}

	@Test
	void openApiWhenServedThenEveryImplementedRouteIsDocumented() throws Exception {
		RestClient.Response document = this.http.get(BASE + "/openapi.json", null);
		assertThat(document.status()).isEqualTo(200);
		@SuppressWarnings("unchecked")
		Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) document.json().get("paths");

		java.util.Set<String> implemented = new java.util.TreeSet<>();
		for (var entry : this.handlerMapping.getHandlerMethods().entrySet()) {
			HandlerMethod method = entry.getValue();
			if (!method.getBeanType().getPackageName().equals(ApiKeyFilter.class.getPackageName())) {
				continue;
			}
			for (String pattern : entry.getKey().getPatternValues()) {
				for (var verb : entry.getKey().getMethodsCondition().getMethods()) {
					implemented.add(verb.name().toLowerCase() + " " + pattern);
				}
			}
		}
		java.util.Set<String> documented = new java.util.TreeSet<>();
		paths.forEach((pattern, operations) -> operations.keySet()
			.stream()
			.filter((verb) -> java.util.Set.of("get", "put", "post", "delete", "patch").contains(verb))
			.forEach((verb) -> documented.add(verb + " " + pattern)));
		// every route is documented, and the document promises no route that does not exist
		assertThat(documented).isEqualTo(implemented);
	}

	@Test
	void webPageWhenRequestedThenServedWithoutKeyAndMayNotBeFramed() {
		assertThat(this.http.get("/keyflow", null).header("Location")).endsWith("/keyflow/");
		RestClient.Response page = this.http.get("/keyflow/", null);

		assertThat(page.status()).isEqualTo(200);
		assertThat(page.body()).contains("<script src=\"app.js\"").contains("default-src 'self'");
		assertThat(page.header("Content-Security-Policy")).contains("default-src 'self'", "frame-ancestors 'none'");
		assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
		assertThat(this.http.get("/keyflow/app.js", null).header("Content-Security-Policy")).isNotNull();
	}

	// after every test of the class, whatever their order: each test adds its secrets and responses
	@AfterAll
	void leakScanWhenClassRanThenNoSecretInResponsesDatabaseOrLog() throws Exception {
		assertThat(SECRETS).hasSizeGreaterThan(10);
		assertThat(RestClient.scannable).hasSizeGreaterThan(100);
		for (String body : RestClient.scannable) {
			assertThat(LeakScanner.scanText("response", body, SECRETS)).isEmpty();
		}
		assertThat(LeakScanner.scanDatabase(this.dataSource, SECRETS)).isEmpty();
		assertThat(LeakScanner.scanText("log", log.text(), SECRETS)).isEmpty();
		assertThat(LeakScanner.tableNames(this.dataSource)).contains("KEYFLOW_API_KEY", "KEYFLOW_AUDIT");
	}

	record Endpoint(String method, String path, String role) {
	}

	private String create(String key) {
		RestClient.Response response = this.http.post(BASE, this.editorKey, Map.of("key", key, "type", "api_key", "apiKey",
				secret(key)));
		assertThat(response.status()).as(response.toString()).isIn(200, 201);
		return (String) response.json().get("id");
	}

	@SuppressWarnings("unchecked")
	private Map<String, String> secrets(String id) {
		RestClient.Response revealed = this.http.post(BASE + "/" + id + "/reveal", ADMIN_KEY, Map.of());
		Map<String, String> secrets = (Map<String, String>) revealed.json().get("secrets");
		SECRETS.addAll(secrets.values());
		return secrets;
	}

}
