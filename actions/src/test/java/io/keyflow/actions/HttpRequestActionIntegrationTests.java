package io.keyflow.actions;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.keyflow.api.CredentialType;
import io.keyflow.api.EgressRefusedException;
import io.keyflow.plugin.LeakScan;
import io.keyflow.plugin.LeakScanner;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code http.request} action in a real engine against a local HTTP server: the credential Keyflow
 * resolved reaches the request where the task says, the answer becomes process variables, and failures are
 * clear and secret-free. No stored secret reaches a table or the log ({@link LeakScan}, after the last test).
 */
class HttpRequestActionIntegrationTests extends ActionEngineTestSupport {

	@Test
	void executeWhenOAuth2CredentialByKeyThenBearerTokenJsonBodyAndResultVariables() throws Exception {
		String token = store(CredentialType.OAUTH2, "ITEMS_API", "github", null, Set.of(), Map.of());
		deploy(process("http-bearer", (task) -> task.camundaClass(HttpRequestAction.class)
			.camundaInputParameter("method", "post")
			.camundaInputParameter("url", SERVER.url() + "/v1/items?tag=blue")
			.camundaInputParameter("query", "{\"page\": \"2\"}")
			.camundaInputParameter("headers", "{\"X-Request-Id\": \"r-1\"}")
			.camundaInputParameter("body", "{\"name\": \"widget\"}")
			.camundaInputParameter("contentType", "application/json")
			.camundaOutputParameter("itemId", "${responseJson.id}"), Map.of("credential.key", "ITEMS_API")));
		SERVER.enqueue(new LocalHttpServer.Answer(201, "application/json", "{\"id\": 42, \"name\": \"widget\"}",
				Map.of("X-RateLimit-Remaining", "99", "Set-Cookie", "session=server-secret"), Duration.ZERO));

		ProcessInstance instance = startAs("alice", "http-bearer");

		LocalHttpServer.Recorded request = SERVER.take();
		assertThat(request.method()).isEqualTo("POST");
		assertThat(request.path()).isEqualTo("/v1/items");
		assertThat(request.rawQuery()).isEqualTo("tag=blue&page=2");
		assertThat(request.header("Authorization")).isEqualTo("Bearer " + token);
		assertThat(request.header("X-Request-Id")).isEqualTo("r-1");
		assertThat(request.header("Content-Type")).isEqualTo("application/json");
		assertThat(request.header("User-Agent")).isEqualTo("keyflow-actions");
		assertThat(request.body()).isEqualTo("{\"name\": \"widget\"}");

		Map<String, Object> variables = storedVariables(instance);
		assertThat(variables).containsEntry("responseStatus", 201)
			.containsEntry("responseBody", "{\"id\": 42, \"name\": \"widget\"}")
			.containsEntry("itemId", 42)
			.doesNotContainKeys("responseJson", "credential");
		assertThat((String) variables.get("responseHeaders")).contains("\"x-ratelimit-remaining\":\"99\"")
			.doesNotContain("server-secret");
	}

	@Test
	void executeWhenApiKeyInNamedHeaderThenOnlyThatHeaderCarriesIt() throws Exception {
		String apiKey = store(CredentialType.API_KEY, "WEATHER", "weather", null, Set.of(), Map.of());
		deploy(process("http-header", (task) -> task.camundaDelegateExpression("${httpRequestAction}")
			.camundaInputParameter("url", SERVER.url() + "/forecast")
			.camundaInputParameter("credentialPlacement", "header:X-API-Key")
			.camundaInputParameter("resultVariable", "weather"), Map.of("credential.key", "WEATHER")));
		SERVER.enqueue(200, "application/json; charset=utf-8", "[{\"day\": \"mon\", \"celsius\": 21.5}]");

		ProcessInstance instance = startAs("alice", "http-header");

		LocalHttpServer.Recorded request = SERVER.take();
		assertThat(request.method()).isEqualTo("GET");
		assertThat(request.header("X-API-Key")).isEqualTo(apiKey);
		assertThat(request.header("Authorization")).isNull();
		assertThat(request.body()).isEmpty();
		assertThat(storedVariables(instance)).containsEntry("weatherStatus", 200)
			.containsEntry("weatherBody", "[{\"day\": \"mon\", \"celsius\": 21.5}]");
	}

	@Test
	void executeWhenApiKeyInQueryAndServerEchoesItInAnErrorThenFailureShowsStatusAndScrubbedExcerpt() throws Exception {
		String apiKey = store(CredentialType.API_KEY, "MAPS", "maps", null, Set.of(), Map.of());
		deploy(process("http-query", (task) -> task.camundaClass(HttpRequestAction.class)
			.camundaInputParameter("url", SERVER.url() + "/geocode?address=Main+St")
			.camundaInputParameter("credentialPlacement", "query:key"), Map.of("credential.key", "MAPS")));
		SERVER.enqueue(403, "application/json",
				"{\"error\": \"key " + apiKey + " is not enabled for /geocode?address=Main+St&key=" + apiKey + "\"}");

		assertThatThrownBy(() -> startAs("alice", "http-query")).isInstanceOf(ActionFailedException.class)
			.hasMessageStartingWith("HTTP GET " + SERVER.url() + "/geocode answered 403: {\"error\": \"key [redacted] is not enabled")
			.hasMessageNotContaining(apiKey);

		LocalHttpServer.Recorded request = SERVER.take();
		assertThat(request.rawQuery()).isEqualTo("address=Main+St&key=" + apiKey);
		assertThat(request.header("Authorization")).isNull();
	}

	@Test
	void executeWhenBasicCredentialThenAuthorizationBasic() throws Exception {
		String password = store(CredentialType.BASIC, "LEGACY_ERP", "erp", null, Set.of(), Map.of());
		deploy(process("http-basic", (task) -> task.camundaClass(HttpRequestAction.class)
			.camundaInputParameter("method", "PUT")
			.camundaInputParameter("url", SERVER.url() + "/orders/7")
			.camundaInputParameter("body", "status=shipped"), Map.of("credential.key", "LEGACY_ERP")));
		SERVER.enqueue(204, null, "");

		ProcessInstance instance = startAs("alice", "http-basic");

		LocalHttpServer.Recorded request = SERVER.take();
		assertThat(request.method()).isEqualTo("PUT");
		assertThat(request.header("Authorization")).isEqualTo("Basic "
				+ Base64.getEncoder().encodeToString(("robot:" + password).getBytes(StandardCharsets.UTF_8)));
		assertThat(request.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
		assertThat(request.body()).isEqualTo("status=shipped");
		assertThat(storedVariables(instance)).containsEntry("responseStatus", 204).containsEntry("responseBody", "");
	}

	@Test
	void executeWhenCredentialMetadataSetsPlacementThenAutoFollowsIt() throws Exception {
		String apiKey = store(CredentialType.API_KEY, "TOKEN_IN_HEADER", "svc", null, Set.of(),
				Map.of("credentialPlacement", "header:X-Token"),
				(draft) -> draft.allowedOrigins(SERVER.url(), "https://api.example.com"));
		deploy(process("http-auto", (task) -> task.camundaClass(HttpRequestAction.class)
			.camundaInputParameter("url", SERVER.url() + "/ping"), Map.of("credential.key", "TOKEN_IN_HEADER")));
		SERVER.enqueue(200, "text/plain", "pong");

		ProcessInstance instance = startAs("alice", "http-auto");

		LocalHttpServer.Recorded request = SERVER.take();
		assertThat(request.header("X-Token")).isEqualTo(apiKey);
		assertThat(request.header("Authorization")).isNull();
		assertThat(storedVariables(instance)).containsEntry("responseBody", "pong");
	}

	@Test
	void executeWhenHostNotInCredentialsAllowedOriginsThenNothingIsSent() {
		store(CredentialType.API_KEY, "PINNED", "svc", null, Set.of(), Map.of(),
				(draft) -> draft.allowedOrigins("https://api.example.com"));
		deploy(process("http-pinned", (task) -> task.camundaClass(HttpRequestAction.class)
			.camundaInputParameter("url", SERVER.url() + "/steal"), Map.of("credential.key", "PINNED")));

		assertThatThrownBy(() -> startAs("alice", "http-pinned")).isInstanceOf(EgressRefusedException.class)
			.hasMessageStartingWith("credential PINNED (id ")
			.hasMessageEndingWith(") may not be sent to " + SERVER.url()
					+ ": its allowedOrigins are [https://api.example.com]; nothing was sent");
		assertThat(SERVER.pending()).isZero();
	}

	@Test
	void executeWhenErrorBodyIsLongAndEchoesTheTokenThenExcerptIsShortAndScrubbed() {
		String token = store(CredentialType.OAUTH2, "ECHO", "github", null, Set.of(), Map.of());
		deploy(process("http-401", (task) -> task.camundaClass(HttpRequestAction.class)
			.camundaInputParameter("url", SERVER.url() + "/me"), Map.of("credential.key", "ECHO")));
		SERVER.enqueue(401, "text/plain", "Bad credentials: Authorization: Bearer " + token + "\n" + "x".repeat(500));

		assertThatThrownBy(() -> startAs("alice", "http-401")).isInstanceOf(ActionFailedException.class)
			.satisfies((ex) -> {
				ActionFailedException failure = (ActionFailedException) ex;
				assertThat(failure.getStatus()).isEqualTo(401);
				String prefix = "HTTP GET " + SERVER.url() + "/me answered 401: ";
				assertThat(failure.getMessage()).startsWith(prefix + "Bad credentials: Authorization: Bearer [redacted] xxx")
					.doesNotContain(token);
				assertThat(failure.getMessage().substring(prefix.length())).hasSize(200).endsWith("x…");
			});
	}

	@Test
	void executeWhenFailOnErrorStatusFalseThenStatusGoesToTheProcess() {
		deploy(process("http-404", (task) -> task.camundaClass(HttpRequestAction.class)
			.camundaInputParameter("url", SERVER.url() + "/missing")
			.camundaInputParameter("failOnErrorStatus", "false"), Map.of()));
		SERVER.enqueue(404, "application/json", "{\"message\": \"Not Found\"}");

		ProcessInstance instance = startAs("alice", "http-404");

		assertThat(storedVariables(instance)).containsEntry("responseStatus", 404)
			.containsEntry("responseBody", "{\"message\": \"Not Found\"}");
	}

	@Test
	void executeWhenTaskDeclaresNoCredentialThenNoneIsSent() throws Exception {
		store(CredentialType.API_KEY, "UNRELATED", "svc", null, Set.of(), Map.of());
		deploy(process("http-anonymous", (task) -> task.camundaClass(HttpRequestAction.class)
			.camundaInputParameter("url", SERVER.url() + "/public"), Map.of()));
		SERVER.enqueue(200, "application/json", "{}");

		startAs("alice", "http-anonymous");

		LocalHttpServer.Recorded request = SERVER.take();
		assertThat(request.headers()).doesNotContainKeys("authorization", "x-api-key");
	}

	@Test
	void jobWhenServiceTooSlowThenRetriesEndInIncidentNamingTheTimeout() throws Exception {
		String token = store(CredentialType.OAUTH2, "SLOW", "github", null, Set.of(), Map.of());
		deploy(process("http-slow", (task) -> task.camundaClass(HttpRequestAction.class)
			.camundaAsyncBefore()
			.camundaInputParameter("url", SERVER.url() + "/slow?token=" + "none")
			.camundaInputParameter("timeout", "PT0.3S"), Map.of("credential.key", "SLOW")));
		ProcessInstance instance = startAs("alice", "http-slow");

		for (int attempt = 0; attempt < 3; attempt++) {
			SERVER.enqueue(new LocalHttpServer.Answer(200, "text/plain", "late", Map.of(), Duration.ofSeconds(2)));
			Job job = this.managementService.createJobQuery().processInstanceId(instance.getId()).singleResult();
			assertThatThrownBy(() -> this.managementService.executeJob(job.getId()))
				.isInstanceOf(ServiceUnreachableException.class)
				.hasMessage("HTTP GET " + SERVER.url() + "/slow: no answer within PT0.3S (SocketTimeoutException)");
			assertThat(SERVER.take().header("Authorization")).isEqualTo("Bearer " + token);
		}

		Incident incident = this.runtimeService.createIncidentQuery().processInstanceId(instance.getId()).singleResult();
		assertThat(incident.getIncidentType()).isEqualTo(Incident.FAILED_JOB_HANDLER_TYPE);
		assertThat(incident.getActivityId()).isEqualTo(TASK);
		assertThat(incident.getIncidentMessage()).contains("no answer within PT0.3S");
		// the job exception stack traces are among what the leak scan reads after the last test
		assertThat(this.historyService.createHistoricJobLogQuery()
			.processInstanceId(instance.getId())
			.failureLog()
			.count()).isEqualTo(3);
	}

	@Test
	void executeWhenUrlMissingThenInputErrorNamesIt() {
		deploy(process("http-no-url", (task) -> task.camundaClass(HttpRequestAction.class)
			.camundaInputParameter("method", "GET"), Map.of()));

		assertThatThrownBy(() -> startAs("alice", "http-no-url")).isInstanceOf(ActionInputException.class)
			.hasMessage("input 'url' is required; map it with a camunda:inputParameter");
	}

	@Test
	void leakScanWhenValueStoredInANormalVariableThenFound() throws Exception {
		// the scan finds what is there; the canary is no registered secret, or the class's scan would fail
		String canary = "canary-" + UUID.randomUUID();
		deploy(process("canary", (task) -> task.camundaExpression("${true}"), Map.of()));
		this.runtimeService.startProcessInstanceByKey("canary", Map.of("canary", canary));

		assertThat(LeakScanner.scanDatabase(this.dataSource, Set.of(canary))).isNotEmpty();
	}

}
