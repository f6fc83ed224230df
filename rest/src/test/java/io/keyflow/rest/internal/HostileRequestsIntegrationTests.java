package io.keyflow.rest.internal;

import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import io.keyflow.plugin.LeakScanner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A corpus of malformed and hostile requests, one case each: wrong JSON types, missing fields, huge and chunked
 * bodies, invalid JSON, SQL and script fragments in keys and filters, unknown and other tenants' ids, bad paging,
 * wrong content types and methods, bad credentials. Each must answer 4xx with {@code application/problem+json} and
 * its code, and leave the credential, OAuth2 client, flow and API-key tables as they were; audit events it writes
 * are failures. After the corpus, every response and the log are scanned for secrets.
 */
class HostileRequestsIntegrationTests extends RestTestSupport {

	static final String BASE = "/api/credentials";

	static final String JSON = "application/json";

	static final List<String> TABLES = List.of("KEYFLOW_CREDENTIAL", "KEYFLOW_OAUTH2_CLIENT", "KEYFLOW_OAUTH2_FLOW",
			"KEYFLOW_API_KEY");

	static final Function<HostileRequestsIntegrationTests, String> NONE = (test) -> null;

	static final Function<HostileRequestsIntegrationTests, String> VIEWER = (test) -> test.viewerKey;

	static final Function<HostileRequestsIntegrationTests, String> EDITOR = (test) -> test.editorKey;

	static final Function<HostileRequestsIntegrationTests, String> TENANT_EDITOR = (test) -> test.tenantEditorKey;

	static final Function<HostileRequestsIntegrationTests, String> ADMIN = (test) -> ADMIN_KEY;

	/** The outcome of every audit event the corpus wrote: failures only, and some. */
	private static final List<String> auditOutcomes = new CopyOnWriteArrayList<>();

	/** The credentials requests aim at ({ownId} and {otherTenantId} in a path), made once for the class. */
	private static String ownId;

	private static String otherTenantId;

	/**
	 * One hostile request.
	 * @param key who sends it: the API key, from the test's keys
	 * @param chunked whether the body is sent without a length
	 */
	record Case(String name, String method, String path, Function<HostileRequestsIntegrationTests, String> key,
			String contentType, byte[] body, boolean chunked, int status, String code) {

		Case(String name, String method, String path, Function<HostileRequestsIntegrationTests, String> key,
				String contentType, String body, int status, String code) {
			this(name, method, path, key, contentType, (body != null) ? body.getBytes(StandardCharsets.UTF_8) : null,
					false, status, code);
		}

		@Override
		public String toString() {
			String shown = (this.path.length() > 60) ? this.path.substring(0, 60) + "..." : this.path;
			return this.method + " " + shown + ": " + this.name;
		}

	}

	static List<Case> corpus() {
		List<Case> corpus = new ArrayList<>();
		// malformed JSON and wrong shapes
		corpus.add(new Case("truncated JSON", "POST", BASE, EDITOR, JSON, "{\"key\":", 400, "BAD_REQUEST"));
		corpus.add(new Case("not JSON", "POST", BASE, EDITOR, JSON, "hello", 400, "BAD_REQUEST"));
		corpus.add(new Case("JSON array", "POST", BASE, EDITOR, JSON, "[]", 400, "BAD_REQUEST"));
		corpus.add(new Case("JSON string", "POST", BASE, EDITOR, JSON, "\"x\"", 400, "BAD_REQUEST"));
		corpus.add(new Case("JSON null", "POST", BASE, EDITOR, JSON, "null", 400, "BAD_REQUEST"));
		corpus.add(new Case("empty body", "POST", BASE, EDITOR, JSON, "", 400, "BAD_REQUEST"));
		corpus.add(new Case("deep nesting", "POST", BASE, EDITOR, JSON, "{\"metadata\":" + "[".repeat(2000)
				+ "]".repeat(2000) + "}", 400, "BAD_REQUEST"));
		corpus.add(new Case("trailing garbage", "POST", BASE, EDITOR, JSON,
				"{\"key\":\"A\",\"type\":\"api_key\",\"apiKey\":\"x\"} }", 400, "BAD_REQUEST"));
		corpus.add(new Case("duplicate field", "POST", BASE, EDITOR, JSON,
				"{\"key\":\"A_B\",\"key\":\"C_D\",\"type\":\"api_key\",\"apiKey\":\"s\"}", 400, "BAD_REQUEST"));
		// wrong JSON types
		corpus.add(body("key as number", "{\"key\":5,\"type\":\"api_key\",\"apiKey\":\"s\"}"));
		corpus.add(body("apiKey as number", "{\"key\":\"A_B\",\"type\":\"api_key\",\"apiKey\":12345}"));
		corpus.add(body("apiKey as object", "{\"key\":\"A_B\",\"type\":\"api_key\",\"apiKey\":{\"v\":\"x\"}}"));
		corpus.add(body("metadata as string", "{\"key\":\"A_B\",\"type\":\"api_key\",\"apiKey\":\"s\",\"metadata\":\"x\"}"));
		corpus.add(body("metadata naming the reserved entry", "{\"key\":\"A_B\",\"type\":\"api_key\",\"apiKey\":\"s\",\"metadata\":{\"keyflow.jsonValues\":\"[]\"}}"));
		corpus.add(body("scopes as string", "{\"key\":\"A_B\",\"type\":\"oauth2\",\"accessToken\":\"t\",\"scopes\":\"repo\"}"));
		corpus.add(body("scopes of numbers", "{\"key\":\"A_B\",\"type\":\"oauth2\",\"accessToken\":\"t\",\"scopes\":[1,2]}"));
		corpus.add(body("type as boolean", "{\"key\":\"A_B\",\"type\":true,\"apiKey\":\"s\"}"));
		corpus.add(body("tenantId as number", "{\"key\":\"A_B\",\"type\":\"api_key\",\"apiKey\":\"s\",\"tenantId\":7}"));
		corpus.add(body("tokenExpiresAt not ISO", "{\"key\":\"A_B\",\"accessToken\":\"t\",\"tokenExpiresAt\":\"tomorrow\"}"));
		// missing and invalid fields
		corpus.add(body("no type, no accessToken", "{\"key\":\"A_B\",\"apiKey\":\"s\"}"));
		corpus.add(body("unknown type", "{\"key\":\"A_B\",\"type\":\"ftp\",\"apiKey\":\"s\"}"));
		corpus.add(body("missing secret part", "{\"key\":\"A_B\",\"type\":\"api_key\"}"));
		corpus.add(body("empty secret part", "{\"key\":\"A_B\",\"type\":\"api_key\",\"apiKey\":\"\"}"));
		corpus.add(body("part of another type", "{\"key\":\"A_B\",\"type\":\"basic\",\"username\":\"u\",\"password\":\"p\",\"apiKey\":\"s\"}"));
		corpus.add(body("neither key nor principal", "{\"type\":\"api_key\",\"apiKey\":\"s\"}"));
		corpus.add(new Case("principal without service", "POST", BASE, ADMIN, JSON,
				"{\"principalId\":\"eve\",\"type\":\"api_key\",\"apiKey\":\"s\"}", 400, "BAD_REQUEST"));
		corpus.add(new Case("editor names a principal", "POST", BASE, EDITOR, JSON,
				"{\"principalId\":\"eve\",\"service\":\"github\",\"type\":\"api_key\",\"apiKey\":\"s\"}", 403,
				"PRINCIPAL_NOT_ALLOWED"));
		corpus.add(new Case("editor pastes tokens for a principal", "POST", BASE, EDITOR, JSON,
				"{\"principalId\":\"eve\",\"service\":\"devserver\",\"accessToken\":\"t\",\"refreshToken\":\"r\"}", 403,
				"PRINCIPAL_NOT_ALLOWED"));
		corpus.add(new Case("editor starts a connection for a principal", "POST", BASE + "/oauth2/start", EDITOR, JSON,
				"{\"providerId\":\"devserver\",\"principalId\":\"eve\"}", 403, "PRINCIPAL_NOT_ALLOWED"));
		corpus.add(body("lower-case key", "{\"key\":\"github_acme\",\"type\":\"api_key\",\"apiKey\":\"s\"}"));
		corpus.add(body("SQL in key", "{\"key\":\"X'; DROP TABLE KEYFLOW_CREDENTIAL;--\",\"type\":\"api_key\",\"apiKey\":\"s\"}"));
		corpus.add(body("script in key", "{\"key\":\"<script>alert(1)</script>\",\"type\":\"api_key\",\"apiKey\":\"s\"}"));
		corpus.add(body("key too long", "{\"key\":\"" + "A".repeat(200) + "\",\"type\":\"api_key\",\"apiKey\":\"s\"}"));
		corpus.add(new Case("principal too long", "POST", BASE, ADMIN, JSON, "{\"principalId\":\"" + "p".repeat(300)
				+ "\",\"service\":\"github\",\"type\":\"api_key\",\"apiKey\":\"s\"}", 400, "BAD_REQUEST"));
		corpus.add(body("SQL in service", "{\"key\":\"A_B\",\"service\":\"github' OR '1'='1\",\"type\":\"api_key\",\"apiKey\":\"s\"}"));
		corpus.add(body("name too long", "{\"key\":\"A_B\",\"name\":\"" + "n".repeat(300) + "\",\"type\":\"api_key\",\"apiKey\":\"s\"}"));
		StringBuilder metadata = new StringBuilder("{");
		for (int i = 0; i < 60; i++) {
			metadata.append(i > 0 ? "," : "").append("\"m").append(i).append("\":\"v\"");
		}
		corpus.add(body("too many metadata entries", "{\"key\":\"A_B\",\"type\":\"api_key\",\"apiKey\":\"s\",\"metadata\":"
				+ metadata + "}}"));
		corpus.add(body("secret part too large", "{\"key\":\"A_B\",\"type\":\"api_key\",\"apiKey\":\""
				+ "x".repeat(17 * 1024) + "\"}"));
		corpus.add(body("unknown field", "{\"key\":\"A_B\",\"type\":\"api_key\",\"apikey\":\"s\"}"));
		corpus.add(body("unknown field with odd name", "{\"key\":\"A_B\",\"type\":\"api_key\",\"apiKey\":\"s\",\"<x>\":1}"));
		corpus.add(body("refreshToken without service", "{\"key\":\"A_B\",\"accessToken\":\"t\",\"refreshToken\":\"r\"}"));
		corpus.add(new Case("refreshToken with unknown service", "POST", BASE, EDITOR, JSON,
				"{\"key\":\"A_B\",\"service\":\"nope\",\"accessToken\":\"t\",\"refreshToken\":\"r\"}", 400, "PROVIDER_UNKNOWN"));
		corpus.add(body("client without refreshToken", "{\"key\":\"A_B\",\"type\":\"api_key\",\"apiKey\":\"s\",\"clientId\":\"c\"}"));
		corpus.add(new Case("other tenant in body", "POST", BASE, EDITOR, JSON,
				"{\"key\":\"A_B\",\"type\":\"api_key\",\"apiKey\":\"s\",\"tenantId\":\"tenant-b\"}", 403, "FORBIDDEN"));
		// body size and content types
		corpus.add(new Case("huge body", "POST", BASE, EDITOR, JSON, "{\"name\":\"" + "x".repeat(200_000) + "\"}", 413,
				"BAD_REQUEST"));
		corpus.add(new Case("text/plain", "POST", BASE, EDITOR, "text/plain", "{\"key\":\"A_B\"}", 415, "BAD_REQUEST"));
		corpus.add(new Case("application/xml", "POST", BASE, EDITOR, "application/xml", "<key>A_B</key>", 415, "BAD_REQUEST"));
		corpus.add(new Case("form", "POST", BASE, EDITOR, "application/x-www-form-urlencoded", "key=A_B", 415, "BAD_REQUEST"));
		corpus.add(new Case("no content type", "POST", BASE, EDITOR, null, "{\"key\":\"A_B\"}", 415, "BAD_REQUEST"));
		// ids, paths, methods
		corpus.add(new Case("unknown id", "GET", BASE + "/3f1d0c9e-0000-4000-8000-000000000000", EDITOR, null, null, 404, "NOT_FOUND"));
		corpus.add(new Case("other tenant's id: get", "GET", BASE + "/{otherTenantId}", VIEWER, null, null, 404, "NOT_FOUND"));
		corpus.add(new Case("other tenant's id: delete", "DELETE", BASE + "/{otherTenantId}", EDITOR, null, null, 404, "NOT_FOUND"));
		corpus.add(new Case("other tenant's id: refresh", "POST", BASE + "/{otherTenantId}/refresh", EDITOR, JSON, "{}", 404, "NOT_FOUND"));
		corpus.add(new Case("other tenant's id: reveal", "POST", BASE + "/{otherTenantId}/reveal", ADMIN, JSON, "{}", 404, "NOT_FOUND"));
		corpus.add(new Case("own id from tenant key", "DELETE", BASE + "/{ownId}", TENANT_EDITOR, null, null, 404, "NOT_FOUND"));
		corpus.add(new Case("SQL in id", "GET", BASE + "/" + encode("' OR 1=1 --"), EDITOR, null, null, 404, "NOT_FOUND"));
		// (an encoded '/' in a path is refused by Tomcat itself, before any filter: see REST.md)
		corpus.add(new Case("script in id", "GET", BASE + "/" + encode("<script>alert(1)<script>"), EDITOR, null, null, 404, "NOT_FOUND"));
		corpus.add(new Case("id too long", "GET", BASE + "/" + "a".repeat(300), EDITOR, null, null, 404, "NOT_FOUND"));
		corpus.add(new Case("unknown path", "GET", BASE + "/nope/deeper/path", EDITOR, null, null, 404, "NOT_FOUND"));
		corpus.add(new Case("unknown path, no key", "GET", BASE + "/nope/deeper/path", NONE, null, null, 401, "UNAUTHORIZED"));
		corpus.add(new Case("PUT collection", "PUT", BASE, EDITOR, JSON, "{}", 405, "BAD_REQUEST"));
		corpus.add(new Case("DELETE collection", "DELETE", BASE, EDITOR, null, null, 405, "BAD_REQUEST"));
		corpus.add(new Case("PATCH credential", "PATCH", BASE + "/{ownId}", EDITOR, JSON, "{}", 405, "BAD_REQUEST"));
		corpus.add(new Case("GET reveal", "GET", BASE + "/{ownId}/reveal", ADMIN, null, null, 405, "BAD_REQUEST"));
		// paging and filters
		corpus.add(query("negative page", "?page=-1"));
		corpus.add(query("zero size", "?size=0"));
		corpus.add(query("huge size", "?size=10000"));
		corpus.add(query("page not a number", "?page=abc"));
		corpus.add(query("page and offset", "?page=1&offset=2"));
		corpus.add(query("limit overflow", "?limit=99999999999999"));
		corpus.add(query("unknown type filter", "?type=ftp"));
		corpus.add(query("bad key filter", "?key=" + encode("bad key")));
		corpus.add(query("SQL in service filter", "?service=" + encode("' OR 1=1 --")));
		corpus.add(query("SQL in key filter", "?key=" + encode("A' OR 'A'='A")));
		corpus.add(new Case("audit bad size", "GET", BASE + "/audit?size=abc", ADMIN, null, null, 400, "BAD_REQUEST"));
		// OAuth2
		corpus.add(new Case("start without provider", "POST", BASE + "/oauth2/start", EDITOR, JSON, "{\"key\":\"A_B\"}", 400, "BAD_REQUEST"));
		corpus.add(new Case("start unknown provider", "POST", BASE + "/oauth2/start", EDITOR, JSON,
				"{\"providerId\":\"nope\",\"key\":\"A_B\"}", 400, "PROVIDER_UNKNOWN"));
		corpus.add(new Case("start bad key", "POST", BASE + "/oauth2/start", EDITOR, JSON,
				"{\"providerId\":\"devserver\",\"key\":\"a b\"}", 400, "BAD_REQUEST"));
		corpus.add(new Case("start without target", "POST", BASE + "/oauth2/start", EDITOR, JSON,
				"{\"providerId\":\"devserver\",\"clientId\":\"keyflow\",\"clientSecret\":\"x\"}", 400, "BAD_REQUEST"));
		corpus.add(new Case("start scopes wrong type", "POST", BASE + "/oauth2/start", EDITOR, JSON,
				"{\"providerId\":\"devserver\",\"key\":\"A_B\",\"scopes\":{}}", 400, "BAD_REQUEST"));
		corpus.add(new Case("callback unknown state", "POST", BASE + "/oauth2/callback", EDITOR, JSON,
				"{\"code\":\"c\",\"state\":\"unknown\"}", 400, "OAUTH_STATE_INVALID"));
		corpus.add(new Case("callback missing code", "POST", BASE + "/oauth2/callback", EDITOR, JSON,
				"{\"state\":\"unknown\"}", 400, "BAD_REQUEST"));
		corpus.add(new Case("provider javascript: URL", "POST", BASE + "/oauth2/providers", ADMIN, JSON,
				"{\"id\":\"evil\",\"name\":\"Evil\",\"authorizationUrl\":\"javascript:alert(1)\",\"tokenUrl\":\"https://x.example/t\"}",
				400, "BAD_REQUEST"));
		corpus.add(new Case("provider bad id", "POST", BASE + "/oauth2/providers", ADMIN, JSON,
				"{\"id\":\"Evil Corp\",\"name\":\"Evil\",\"authorizationUrl\":\"https://x.example/a\",\"tokenUrl\":\"https://x.example/t\"}",
				400, "BAD_REQUEST"));
		corpus.add(new Case("provider bad auth method", "POST", BASE + "/oauth2/providers", ADMIN, JSON,
				"{\"id\":\"evil\",\"name\":\"Evil\",\"authorizationUrl\":\"https://x.example/a\",\"tokenUrl\":\"https://x.example/t\","
						+ "\"tokenEndpointAuthMethod\":\"magic\"}", 400, "BAD_REQUEST"));
		corpus.add(new Case("provider replaces built-in", "POST", BASE + "/oauth2/providers", ADMIN, JSON,
				"{\"id\":\"github\",\"name\":\"Fake\",\"authorizationUrl\":\"https://x.example/a\",\"tokenUrl\":\"https://x.example/t\"}",
				409, "CONFLICT"));
		// authentication and roles
		corpus.add(new Case("no key", "GET", BASE, NONE, null, null, 401, "UNAUTHORIZED"));
		corpus.add(new Case("SQL as key", "GET", BASE, literal("' OR 1=1 --"), null, null, 401, "UNAUTHORIZED"));
		corpus.add(new Case("long key", "GET", BASE, literal("k".repeat(2000)), null, null, 401, "UNAUTHORIZED"));
		corpus.add(new Case("viewer creates", "POST", BASE, VIEWER, JSON, "{\"key\":\"A_B\",\"type\":\"api_key\",\"apiKey\":\"s\"}",
				403, "FORBIDDEN"));
		corpus.add(new Case("editor reveals", "POST", BASE + "/{ownId}/reveal", EDITOR, JSON, "{}", 403, "FORBIDDEN"));
		corpus.add(new Case("editor creates API key", "POST", BASE + "/api-keys", EDITOR, JSON,
				"{\"name\":\"x\",\"role\":\"admin\"}", 403, "FORBIDDEN"));
		corpus.add(new Case("bad API key role", "POST", BASE + "/api-keys", ADMIN, JSON,
				"{\"name\":\"x\",\"role\":\"root\"}", 400, "BAD_REQUEST"));
		corpus.add(new Case("revoke unknown API key", "DELETE", BASE + "/api-keys/unknown", ADMIN, null, null, 404, "NOT_FOUND"));
		corpus.add(new Case("accepts only HTML", "GET", BASE, EDITOR, null, null, 406, "BAD_REQUEST"));
		corpus.add(new Case("chunked huge body", "POST", BASE, EDITOR, JSON,
				("{\"name\":\"" + "y".repeat(200_000) + "\"}").getBytes(StandardCharsets.UTF_8), true, 413, "BAD_REQUEST"));
		corpus.add(new Case("invalid UTF-8", "POST", BASE, EDITOR, JSON, new byte[] { '{', '"', 'k', 'e', 'y', '"', ':', '"',
				(byte) 0xff, (byte) 0xfe, '"', '}' }, false, 400, "BAD_REQUEST"));
		return corpus;
	}

	@BeforeEach
	void createTargets() {
		if (ownId == null) {
			otherTenantId = (String) this.http.post(BASE, this.tenantEditorKey, Map.of("key", "TENANT_B_TARGET",
					"type", "api_key", "apiKey", secret("b"))).json().get("id");
			ownId = (String) this.http.post(BASE, this.editorKey, Map.of("key", "HOSTILE_TARGET", "type",
					"api_key", "apiKey", secret("own"))).json().get("id");
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("corpus")
	void hostileRequestWhenSentThen4xxProblemAndNothingStored(Case hostile) {
		Map<String, List<Map<String, Object>>> before = snapshot();
		Map<String, String> auditBefore = audit();

		RestClient.Response response = send(hostile);

		assertThat(response.status()).as(response.toString()).isEqualTo(hostile.status());
		assertThat(response.contentType()).as(response.toString()).startsWith("application/problem+json");
		assertThat(response.json()).as(response.toString()).containsEntry("code", hostile.code());
		assertThat(snapshot()).isEqualTo(before);
		Map<String, String> written = audit();
		written.keySet().removeAll(auditBefore.keySet());
		assertThat(written.values()).as("audit events of this request").allSatisfy((outcome) -> assertThat(outcome)
			.isEqualTo("failure"));
		auditOutcomes.addAll(written.values());
		assertThat(LeakScanner.scanText("response", response.body(), SECRETS)).isEmpty();
	}

	@AfterAll
	static void corpusWhenSentThenFailedAttemptsAuditedAndNoSecretInResponsesOrLog() {
		assertThat(corpus().size()).isGreaterThanOrEqualTo(50);
		assertThat(auditOutcomes).isNotEmpty().containsOnly("failure");
		for (String body : RestClient.scannable) {
			assertThat(LeakScanner.scanText("response", body, SECRETS)).isEmpty();
		}
		assertThat(LeakScanner.scanText("log", log.text(), SECRETS)).isEmpty();
		System.out.println("KEYFLOW hostile corpus: " + corpus().size() + " requests, all 4xx problem+json");
		ownId = null;
		otherTenantId = null;
	}

	private RestClient.Response send(Case hostile) {
		String path = hostile.path().replace("{ownId}", ownId).replace("{otherTenantId}", otherTenantId);
		HttpRequest.Builder builder = this.http.request(path, hostile.key().apply(this));
		if (hostile.contentType() != null) {
			builder.header("Content-Type", hostile.contentType());
		}
		if (hostile.name().equals("accepts only HTML")) {
			builder.header("Accept", "text/html");
		}
		byte[] body = hostile.body();
		HttpRequest.BodyPublisher publisher = (body == null) ? HttpRequest.BodyPublishers.noBody()
				: hostile.chunked() ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
						: HttpRequest.BodyPublishers.ofByteArray(body);
		return this.http.send(builder.method(hostile.method(), publisher));
	}

	private static Case body(String name, String body) {
		return new Case(name, "POST", BASE, EDITOR, JSON, body, 400, "BAD_REQUEST");
	}

	private static Case query(String name, String query) {
		return new Case(name, "GET", BASE + query, VIEWER, null, null, 400, "BAD_REQUEST");
	}

	private static Function<HostileRequestsIntegrationTests, String> literal(String key) {
		return (test) -> key;
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
	}

	private Map<String, List<Map<String, Object>>> snapshot() {
		JdbcTemplate jdbc = new JdbcTemplate(this.dataSource);
		Map<String, List<Map<String, Object>>> snapshot = new java.util.LinkedHashMap<>();
		for (String table : TABLES) {
			snapshot.put(table, jdbc.queryForList("select * from " + table + " order by 1"));
		}
		return snapshot;
	}

	/** @return the audit trail's outcomes by event id */
	private Map<String, String> audit() {
		Map<String, String> outcomes = new HashMap<>();
		new JdbcTemplate(this.dataSource).query("select ID_, OUTCOME_ from KEYFLOW_AUDIT",
				(row) -> {
					outcomes.put(row.getString("ID_"), row.getString("OUTCOME_"));
				});
		return outcomes;
	}

}
