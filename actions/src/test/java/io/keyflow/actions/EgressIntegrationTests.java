package io.keyflow.actions;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import io.keyflow.api.CredentialType;
import io.keyflow.api.EgressRefusedException;
import io.keyflow.api.SealedCredentialException;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Where the actions may send, in a real engine: loopback, private, link-local and metadata targets are refused
 * before any connection, with or without a credential, unless allow-listed; a credential's allowedOrigins are
 * checked by scheme, host and port; sealed credentials work in the actions and stay unreadable to task code; and a
 * task reads only the inputs its model maps. The local listeners {@code EGRESS} (127.0.0.1) and {@code EGRESS_V6}
 * (::1) are allow-listed only below {@code /allowed/} (see {@link ActionEngineTestSupport#ALLOWED_URLS}).
 */
class EgressIntegrationTests extends ActionEngineTestSupport {

	static Stream<Arguments> refusedTargets() {
		String port = String.valueOf(EGRESS.port());
		String v6Port = String.valueOf(EGRESS_V6.port());
		return Stream.of("http://127.0.0.1:" + port + "/", "http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/",
				"http://[::1]:" + v6Port + "/", "http://localhost:" + port + "/",
				// https passes the scheme rule; the address is what refuses these
				"https://127.0.0.1:" + port + "/", "https://localhost:" + port + "/", "https://[::1]:" + v6Port + "/",
				"https://10.0.0.1/", "https://169.254.169.254/latest/meta-data/", "https://[::ffff:127.0.0.1]:" + port + "/",
				"https://[::ffff:a9fe:a9fe]/latest/meta-data/", "https://0.0.0.0:" + port + "/",
				// under the allow-listed prefix only on paper
				"http://127.0.0.1:" + port + "/allowed/../admin")
			.flatMap((url) -> Stream.of(Arguments.of(url, false), Arguments.of(url, true)));
	}

	@ParameterizedTest(name = "{0}, credential: {1}")
	@MethodSource("refusedTargets")
	void httpRequestWhenTargetNotPublicAndNotAllowListedThenRefusedBeforeAnyConnection(String url, boolean withCredential) {
		String key = "EGRESS_" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
		String secret = withCredential ? store(CredentialType.API_KEY, key, "svc", null, Set.of(), Map.of()) : null;
		String processKey = "egress-" + UUID.randomUUID();
		deploy(process(processKey, (task) -> task.camundaDelegateExpression("${httpRequestAction}")
			.camundaInputParameter("url", url), withCredential ? Map.of("credential.key", key) : Map.of()));

		assertThatThrownBy(() -> startAs("alice", processKey)).isInstanceOf(EgressRefusedException.class)
			.hasMessageStartingWith("request to ")
			.hasMessageContaining(" refused: ")
			.hasMessageContaining("keyflow.actions.allowed-urls")
			.hasMessageEndingWith("nothing was sent")
			.satisfies((ex) -> {
				if (secret != null) {
					assertThat(ex.getMessage()).doesNotContain(secret);
				}
			});
		assertThat(EGRESS.pending()).isZero();
		assertThat(EGRESS_V6.pending()).isZero();
	}

	static Stream<Arguments> allowListedTargets() {
		return Stream.of(EGRESS.url() + "/allowed/items", "http://localhost:" + EGRESS.port() + "/allowed/items",
				EGRESS_V6.url() + "/allowed/items")
			.flatMap((url) -> Stream.of(Arguments.of(url, false), Arguments.of(url, true)));
	}

	@ParameterizedTest(name = "{0}, credential: {1}")
	@MethodSource("allowListedTargets")
	void httpRequestWhenLoopbackUrlIsAllowListedThenReachesTheListener(String url, boolean withCredential) throws Exception {
		String key = "LISTED_" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
		String secret = withCredential ? store(CredentialType.API_KEY, key, "svc", null, Set.of(), Map.of()) : null;
		String processKey = "listed-" + UUID.randomUUID();
		deploy(process(processKey, (task) -> task.camundaDelegateExpression("${httpRequestAction}")
			.camundaInputParameter("url", url), withCredential ? Map.of("credential.key", key) : Map.of()));
		LocalHttpServer listener = url.startsWith(EGRESS_V6.url()) ? EGRESS_V6 : EGRESS;
		listener.enqueue(200, "text/plain", "ok");

		ProcessInstance instance = startAs("alice", processKey);

		LocalHttpServer.Recorded request = listener.take();
		assertThat(request.path()).isEqualTo("/allowed/items");
		assertThat(request.header("Authorization")).isEqualTo(withCredential ? "Bearer " + secret : null);
		assertThat(storedVariables(instance)).containsEntry("responseBody", "ok");
	}

	static Stream<Arguments> originsOutsideThePolicy() {
		int port = SERVER.port();
		return Stream.of(Arguments.of("scheme", "https://127.0.0.1:" + port + "/items"),
				Arguments.of("host", "http://localhost:" + EGRESS.port() + "/allowed/items"),
				Arguments.of("port", EGRESS.url() + "/allowed/items"));
	}

	@ParameterizedTest(name = "differs by {0}: {1}")
	@MethodSource("originsOutsideThePolicy")
	void httpRequestWhenTargetOutsideCredentialsAllowedOriginsThenRefusedEvenIfAllowListed(String differs, String url) {
		String key = "ORIGINS_" + differs.toUpperCase();
		String secret = store(CredentialType.OAUTH2, key, "svc", null, Set.of(), Map.of(),
				(draft) -> draft.allowedOrigins(SERVER.url(), "https://api.example.com"));
		deploy(process("origins-" + differs, (task) -> task.camundaDelegateExpression("${httpRequestAction}")
			.camundaInputParameter("url", url), Map.of("credential.key", key)));

		assertThatThrownBy(() -> startAs("alice", "origins-" + differs)).isInstanceOf(EgressRefusedException.class)
			.hasMessageContaining("may not be sent to " + url.substring(0, url.indexOf('/', 8)))
			.hasMessageContaining("its allowedOrigins are [" + SERVER.url() + ", https://api.example.com]")
			.hasMessageNotContaining(secret);
		assertThat(SERVER.pending()).isZero();
		assertThat(EGRESS.pending()).isZero();
	}

	@Test
	void httpRequestWhenTargetIsInCredentialsAllowedOriginsThenReachesTheServer() throws Exception {
		String token = store(CredentialType.OAUTH2, "ORIGINS_OK", "svc", null, Set.of(), Map.of(),
				(draft) -> draft.allowedOrigins(SERVER.url()));
		deploy(process("origins-ok", (task) -> task.camundaDelegateExpression("${httpRequestAction}")
			.camundaInputParameter("url", SERVER.url() + "/items"), Map.of("credential.key", "ORIGINS_OK")));
		SERVER.enqueue(200, "application/json", "{}");

		startAs("alice", "origins-ok");

		assertThat(SERVER.take().header("Authorization")).isEqualTo("Bearer " + token);
	}

	@Test
	void httpRequestWhenCredentialIsSealedThenSentInAuthorizationOrNamedHeader() throws Exception {
		String apiKey = store(CredentialType.API_KEY, "SEALED_HTTP", "svc", null, Set.of(), Map.of(),
				(draft) -> draft.sealed(true));
		deploy(process("sealed-bearer", (task) -> task.camundaClass(HttpRequestAction.class)
			.camundaInputParameter("url", SERVER.url() + "/bearer"), Map.of("credential.key", "SEALED_HTTP")));
		deploy(process("sealed-header", (task) -> task.camundaClass(HttpRequestAction.class)
			.camundaInputParameter("url", SERVER.url() + "/header")
			.camundaInputParameter("credentialPlacement", "header:X-API-Key"), Map.of("credential.key", "SEALED_HTTP")));
		SERVER.enqueue(401, "text/plain", "key " + apiKey + " rejected");
		SERVER.enqueue(200, "text/plain", "echo " + apiKey);

		assertThatThrownBy(() -> startAs("alice", "sealed-bearer")).isInstanceOf(ActionFailedException.class)
			.hasMessage("HTTP GET " + SERVER.url() + "/bearer answered 401: key [redacted] rejected");
		ProcessInstance header = startAs("alice", "sealed-header");

		assertThat(SERVER.take().header("Authorization")).isEqualTo("Bearer " + apiKey);
		LocalHttpServer.Recorded second = SERVER.take();
		assertThat(second.header("X-API-Key")).isEqualTo(apiKey);
		assertThat(second.header("Authorization")).isNull();
		// the echo is scrubbed although task code could never read the key
		assertThat(storedVariables(header)).containsEntry("responseBody", "echo [redacted]");
	}

	@Test
	void httpRequestWhenSealedCredentialWouldGoIntoTheQueryThenRefusedAndNothingSent() {
		store(CredentialType.API_KEY, "SEALED_QUERY", "svc", null, Set.of(), Map.of(), (draft) -> draft.sealed(true));
		deploy(process("sealed-query", (task) -> task.camundaClass(HttpRequestAction.class)
			.camundaInputParameter("url", SERVER.url() + "/geocode")
			.camundaInputParameter("credentialPlacement", "query:key"), Map.of("credential.key", "SEALED_QUERY")));

		assertThatThrownBy(() -> startAs("alice", "sealed-query")).isInstanceOf(ActionInputException.class)
			.hasMessage("credential 'SEALED_QUERY' (api_key) is sealed: credentialPlacement query:key would put it into "
					+ "the URL, where logs and proxies keep it; use a header placement (bearer or header:<Name>) or ask "
					+ "an admin to unseal it");
		assertThat(SERVER.pending()).isZero();
	}

	@Test
	void providerActionWhenCredentialIsSealedThenSendsItAndTaskExpressionCannotReadIt() throws Exception {
		String pat = store(CredentialType.API_KEY, "SEALED_GITHUB", "github", null, Set.of(), Map.of(),
				(draft) -> draft.sealed(true));
		deploy(process("sealed-github", (task) -> task.camundaDelegateExpression("${githubGetUserAction}"),
				Map.of("credential.key", "SEALED_GITHUB")));
		deploy(process("sealed-copy", (task) -> task.camundaExpression("${execution.setVariable('copy', credential.apiKey)}"),
				Map.of("credential.key", "SEALED_GITHUB")));
		SERVER.enqueue(200, "application/json", "{\"login\": \"octocat\", \"id\": 1}");

		ProcessInstance instance = startAs("alice", "sealed-github");

		assertThat(SERVER.take().header("Authorization")).isEqualTo("Bearer " + pat);
		assertThat(storedVariables(instance)).containsEntry("githubUserLogin", "octocat");
		assertThatThrownBy(() -> startAs("alice", "sealed-copy")).hasRootCauseInstanceOf(SealedCredentialException.class)
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain(pat));
	}

	@Test
	void httpRequestWhenStarterSetsUrlButTaskDoesNotMapItThenItIsNotUsed() {
		deploy(process("unmapped-url", (task) -> task.camundaClass(HttpRequestAction.class), Map.of()));

		assertThatThrownBy(() -> {
			this.identityService.setAuthenticatedUserId("mallory");
			try {
				this.runtimeService.startProcessInstanceByKey("unmapped-url",
						Map.of("url", SERVER.url() + "/from-the-starter", "method", "DELETE"));
			}
			finally {
				this.identityService.clearAuthentication();
			}
		}).isInstanceOf(ActionInputException.class)
			.hasMessage("input 'url' is required; map it with a camunda:inputParameter");
		assertThat(SERVER.pending()).isZero();
	}

	@Test
	void providerActionWhenStarterSetsResultVariableButTaskDoesNotMapItThenDefaultPrefix() throws Exception {
		store(CredentialType.API_KEY, "GITHUB_PREFIX", "github", null, Set.of(), Map.of());
		deploy(process("unmapped-prefix", (task) -> task.camundaDelegateExpression("${githubGetUserAction}"),
				Map.of("credential.key", "GITHUB_PREFIX")));
		SERVER.enqueue(200, "application/json", "{\"login\": \"octocat\", \"id\": 1}");

		ProcessInstance instance = this.runtimeService.startProcessInstanceByKey("unmapped-prefix",
				Map.of("resultVariable", "initiator"));

		SERVER.take();
		assertThat(storedVariables(instance)).containsEntry("githubUserLogin", "octocat").doesNotContainKey("initiatorLogin");
	}

}
