package io.keyflow.example;

import io.keyflow.plugin.BrowserLogin;
import io.keyflow.plugin.LeakScan;
import io.keyflow.plugin.LeakScanner;
import io.keyflow.plugin.LogCapture;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.keyflow.api.Credential;
import io.keyflow.example.demo.DemoOAuth2Server;
import io.keyflow.plugin.KeyflowEngine;
import io.keyflow.plugin.autoconfigure.KeyflowProperties;
import io.keyflow.rest.ApiKeyRole;
import io.keyflow.rest.ApiKeyService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The main job end to end, as a newcomer runs it: the example application with the {@code demo} profile on a
 * free port (its demo OAuth2 provider on another), the H2 database in a temporary folder, and a fixed
 * test key. The demo user connects its own demo account over HTTP as a browser does (self-service login, start,
 * login at the provider, callback with the start's cookies; the first test that needs the connection makes it),
 * then every example process is started through Camunda's REST API as an authenticated user, who becomes the
 * process's initiator, and runs on the application's own job executor. Keyflow's REST answers are scanned when they
 * arrive; after the last test, in whatever order they ran, {@link LeakScan} scans the database and the
 * application's log (captured from the start, {@link LogCapture.Initializer}) for every secret the run saw.
 */
// logging is set up before dynamic properties exist: its level goes here, so Keyflow's DEBUG lines are scanned too
@SpringBootTest(classes = ExampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
		properties = "logging.level.io.keyflow=DEBUG")
@ContextConfiguration(initializers = LogCapture.Initializer.class)
@ActiveProfiles("demo")
@DirtiesContext
@ExtendWith(LeakScan.class)
class ExampleApplicationDemoIntegrationTests {

	/** A test key (never use it anywhere else): the demo must not write a key file into the source tree. */
	static final String TEST_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

	static final Duration PATIENCE = Duration.ofSeconds(30);

	@TempDir
	static Path dataDir;

	static int port;

	final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	final ObjectMapper json = new ObjectMapper();

	@Autowired
	KeyflowEngine keyflow;

	@Autowired
	KeyflowProperties keyflowProperties;

	@Autowired
	IdentityService identityService;

	@Autowired
	DemoOAuth2Server demoServer;

	@Autowired
	ApiKeyService apiKeys;

	LeakScan.Secrets secrets;

	LogCapture log;

	@DynamicPropertySource
	static void demoProperties(DynamicPropertyRegistry registry) throws IOException {
		// the redirect URI registered with the demo provider names the application's port, so the port is
		// chosen before the application starts instead of by the server
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		// likewise the demo provider's port: the demo profile's keyflow.actions.allowed-urls names it
		int oauth2Port;
		try (ServerSocket socket = new ServerSocket(0)) {
			oauth2Port = socket.getLocalPort();
		}
		registry.add("server.port", () -> port);
		registry.add("keyflow.demo.oauth2-port", () -> oauth2Port);
		registry.add("keyflow.encryption.key", () -> TEST_KEY);
		registry.add("spring.datasource.url", () -> "jdbc:h2:file:" + dataDir.resolve("keyflow") + ";AUTO_SERVER=FALSE");
	}

	@BeforeEach
	void demoSecretsAndLog(LeakScan.Secrets secrets, LogCapture log) {
		this.secrets = secrets;
		this.log = log;
		// the capture holds the whole run, start-up included: the scan after the last test is not over an empty log
		assertThat(log.text()).contains("Keyflow demo is running");
		// stored or configured at start-up
		addSecret(this.keyflow.localStore().findByKey(null, "DEMO_CHAT_API_KEY").orElseThrow().apiKey());
		addSecret(this.keyflowProperties.getOauth2().getClients().get(DemoOAuth2Server.PROVIDER_ID).getClientSecret());
		addSecret("mary-password");
	}

	@AfterEach
	void connectionTokensAreSecrets() {
		// as they are now: a refresh during the test rotates them
		demoConnection().ifPresent((connected) -> {
			addSecret(connected.accessToken());
			addSecret(connected.refreshToken());
		});
	}

	@Test
	void whoamiWhenDemoAccountConnectedThenDemoApiAnswerIsProcessVariable() throws Exception {
		demoAccountConnected();

		String instance = start("demo", "keyflow-demo-whoami", Map.of());

		JsonNode task = awaitTask(instance);
		assertThat(task.get("taskDefinitionKey").asText()).isEqualTo("reviewAnswer");
		assertThat(task.get("assignee").asText()).isEqualTo("demo");
		JsonNode variables = variables(instance);
		assertThat(variables.at("/initiator/value").asText()).isEqualTo("demo");
		assertThat(variables.at("/meStatus/value").asInt()).isEqualTo(200);
		assertThat(variables.at("/demoSubject/value").asText()).isEqualTo("demo");
		assertThat(variables.at("/meBody/value").asText()).contains("\"subject\":\"demo\"").contains("read");
		assertThat(variables.has("meJson")).as("the parsed answer is transient").isFalse();
		assertThat(variables.has("credential")).as("the credential is transient").isFalse();

		completeTask(task);
		assertThat(historicState(instance)).isEqualTo("COMPLETED");
		assertThat(this.log.text()).contains("KEYFLOW-E003");
	}

	@Test
	void chatWhenDemoKeyStoredThenAnswerIsProcessVariable() throws Exception {
		String instance = start("demo", "keyflow-demo-chat", Map.of("question", "Is Keyflow on?"));

		JsonNode task = awaitTask(instance);
		assertThat(task.get("taskDefinitionKey").asText()).isEqualTo("readAnswer");
		JsonNode variables = variables(instance);
		assertThat(variables.at("/chatStatus/value").asInt()).isEqualTo(200);
		assertThat(variables.at("/chatContent/value").asText())
			.isEqualTo("Keyflow demo chat API: your API key was accepted. You asked: \"Is Keyflow on?\"");
		assertThat(variables.at("/chatModel/value").asText()).isEqualTo("demo-model");

		completeTask(task);
		assertThat(historicState(instance)).isEqualTo("COMPLETED");
		assertThat(this.log.text()).contains("KEYFLOW-E003");
	}

	/**
	 * The Node.js example worker (worker-js, the official camunda-external-task-client-js from its committed lockfile)
	 * run as a process: it fetches and locks the task, exchanges it with a worker key for the demo chat API key, calls
	 * the chat API and completes the task. Skipped only where node or npm is missing.
	 */
	@Test
	void externalWorkerWhenTheNodeWorkerRunsThenItExchangesCallsTheChatApiAndCompletes() throws Exception {
		Assumptions.assumeTrue(onPath("node") && onPath("npm"),
				"node and npm are not installed: the Node.js example worker (example-workflows/worker-js) cannot run");
		Path worker = Path.of("worker-js").toAbsolutePath();
		if (!Files.isDirectory(worker.resolve("node_modules"))) {
			assertThat(run(worker, Map.of(), Duration.ofMinutes(5), "npm", "ci", "--no-audit", "--no-fund"))
				.as("npm ci in " + worker).isZero();
		}
		String workerKey = this.secrets.add(this.apiKeys.create("example worker", ApiKeyRole.WORKER, null, "test").key());
		String instance = start("demo", "keyflow-demo-external-chat", Map.of("question", "Asked from Node?"));

		Path output = dataDir.resolve("worker-js.log");
		int exit = run(worker, Map.of("KEYFLOW_URL", "http://localhost:" + port, "KEYFLOW_WORKER_API_KEY", workerKey,
				"WORKER_ID", "example-worker-js", "WORKER_ONCE", "true"), Duration.ofMinutes(2), output, "node",
				"worker.js");

		String printed = Files.readString(output);
		assertThat(exit).as(printed).isZero();
		assertThat(printed).contains("completed task ").contains("with credential DEMO_CHAT_API_KEY");
		assertThat(LeakScanner.scanText("worker output", printed, this.secrets.all())).isEmpty();
		assertThat(historicState(instance)).isEqualTo("COMPLETED");
		assertThat(historicVariable(instance, "chatContent"))
			.isEqualTo("Keyflow demo chat API: your API key was accepted. You asked: \"Asked from Node?\"");
		assertThat(this.log.text()).contains("KEYFLOW-A001 externaltask.credential success");
	}

	@Test
	void optionalWhenStarterConnectedThenGreetedByNameElseAnonymously() throws Exception {
		demoAccountConnected();
		createUser("mary", "mary-password");

		String connected = start("demo", "keyflow-demo-optional", Map.of());
		String stranger = start("mary", "keyflow-demo-optional", Map.of());

		awaitCompleted(connected);
		awaitCompleted(stranger);
		assertThat(endEvent(connected)).isEqualTo("greetedByName");
		assertThat(historicVariable(connected, "greeting")).isEqualTo("Hello, demo");
		assertThat(endEvent(stranger)).isEqualTo("greetedAnonymously");
		assertThat(historicVariable(stranger, "greeting")).isEqualTo("Hello, stranger");
		assertThat(historicVariable(stranger, "meStatus")).isEqualTo("401");
		assertThat(this.log.text()).contains("KEYFLOW-E004");
	}

	@Test
	void missingWhenNoGitHubConnectionThenIncidentWithClearMessage() throws Exception {
		String instance = start("demo", "keyflow-demo-missing", Map.of());

		JsonNode incident = await().atMost(PATIENCE).until(() -> first(get("/engine-rest/incident?processInstanceId="
				+ instance)), (found) -> found != null);

		assertThat(incident.get("incidentType").asText()).isEqualTo("failedJob");
		assertThat(incident.get("activityId").asText()).isEqualTo("readGitHubProfile");
		assertThat(incident.get("incidentMessage").asText())
			.startsWith("Task 'Read my GitHub profile' (activity readGitHubProfile, process definition keyflow-demo-missing:")
			.contains("requires a credential for provider 'github'")
			.contains("(principal 'demo')")
			.contains("Keyflow credential request ")
			.endsWith("(the job resumes by itself once it is fulfilled).");
		JsonNode job = first(get("/engine-rest/job?processInstanceId=" + instance));
		assertThat(job.get("retries").asInt()).isZero();
		assertThat(historicState(instance)).isEqualTo("ACTIVE");
		assertThat(this.log.text()).contains("KEYFLOW-E005");
	}

	// --- the browser and the REST clients

	/** Connects the demo user's demo account, unless an earlier test of this class has. */
	private void demoAccountConnected() throws Exception {
		if (demoConnection().isEmpty()) {
			connectDemoAccount("demo", "demo");
		}
	}

	private Optional<Credential> demoConnection() {
		return this.keyflow.localStore().findByPrincipal(null, "demo", DemoOAuth2Server.PROVIDER_ID);
	}

	/**
	 * What the connect page and the user's browser do: log in as the Camunda user (Keyflow's self-service login),
	 * start the flow for that user, log in at the demo provider, follow its redirect to Keyflow's callback in the same
	 * browser (its cookies: session and the flow's browser binding), land on the connect page.
	 */
	private void connectDemoAccount(String user, String password) throws Exception {
		HttpClient browser = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ORIGINAL_SERVER))
			.build();
		HttpResponse<String> login = sendToKeyflow(browser, "POST", "/api/credentials/me/login",
				this.json.writeValueAsString(this.json.createObjectNode().put("username", user).put("password", password)));
		assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
		ObjectNode request = this.json.createObjectNode();
		request.putArray("scopes").add("read");
		HttpResponse<String> started = sendToKeyflow(browser, "POST",
				"/api/credentials/me/connections/" + DemoOAuth2Server.PROVIDER_ID + "/start",
				this.json.writeValueAsString(request));
		assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
		JsonNode start = this.json.readTree(started.body());
		URI authorizationUrl = URI.create(start.get("authorizationUrl").asText());
		assertThat(authorizationUrl).hasHost("127.0.0.1").hasPort(this.demoServer.baseUrl().getPort());

		String redirectUri = this.keyflowProperties.getOauth2().getRedirectUri().toString();
		assertThat(redirectUri).isEqualTo("http://localhost:" + port + "/api/credentials/oauth2/callback");
		Map<String, String> redirect = new BrowserLogin().authorize(authorizationUrl, redirectUri, "demo", "demo");
		addSecret(redirect.get("state"));
		addSecret(redirect.get("code"));

		HttpResponse<String> callback = sendToKeyflow(browser, "GET", "/api/credentials/oauth2/callback?code="
				+ encode(redirect.get("code")) + "&state=" + encode(redirect.get("state")), null);
		assertThat(callback.statusCode()).isEqualTo(302);
		URI result = URI.create("http://localhost:" + port).resolve(callback.headers().firstValue("Location").orElseThrow());
		assertThat(result.getPath()).isEqualTo("/demo/");
		assertThat(result.getQuery()).startsWith("credentialId=");
		HttpResponse<String> page = browser.send(HttpRequest.newBuilder(result).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("Connect demo account");

		HttpResponse<String> listed = sendToKeyflow(browser, "GET", "/api/credentials/me/connections", null);
		assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
		JsonNode credential = first(this.json.readTree(listed.body()).get("items"));
		assertThat(credential.get("type").asText()).isEqualTo("oauth2");
		assertThat(credential.get("principalId").asText()).isEqualTo(user);
		assertThat(credential.get("service").asText()).isEqualTo(DemoOAuth2Server.PROVIDER_ID);
		assertThat(credential.get("scopes").toString()).contains("read");
		assertThat(result.getQuery()).isEqualTo("credentialId=" + credential.get("id").asText());
		assertThat(this.log.text()).contains("KEYFLOW-O003");
		Credential connected = demoConnection().orElseThrow();
		addSecret(connected.accessToken());
		addSecret(connected.refreshToken());
		// the start answer carries the state inside the authorization URL by design; the others carry nothing secret
		assertThat(LeakScanner.scanText("Keyflow REST answers", page.body() + "\n" + listed.body(), this.secrets.all()))
			.isEmpty();
	}

	private void addSecret(String secret) {
		if (secret != null) {
			this.secrets.add(secret);
		}
	}

	/** A call as the connect page makes it: no API key (the demo profile's open REST API, or a logged-in user). */
	private HttpResponse<String> sendToKeyflow(String method, String path, String body) throws Exception {
		return sendToKeyflow(this.http, method, path, body);
	}

	private HttpResponse<String> sendToKeyflow(HttpClient client, String method, String path, String body)
			throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.header("Accept", "application/json")
			.header("X-Keyflow-Request", "true");
		if (body != null) {
			request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
		}
		else {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static boolean onPath(String command) {
		String path = System.getenv("PATH");
		return path != null && java.util.Arrays.stream(path.split(java.io.File.pathSeparator))
			.anyMatch((dir) -> Files.isExecutable(Path.of(dir, command)));
	}

	private static int run(Path dir, Map<String, String> environment, Duration timeout, String... command)
			throws Exception {
		return run(dir, environment, timeout, dir.getParent().resolve("target").resolve("worker-js-npm.log"), command);
	}

	private static int run(Path dir, Map<String, String> environment, Duration timeout, Path output,
			String... command) throws Exception {
		ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
			.redirectErrorStream(true)
			.redirectOutput(output.toFile());
		builder.environment().putAll(environment);
		Process process = builder.start();
		if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new AssertionError(String.join(" ", command) + " did not end within " + timeout + ": "
					+ Files.readString(output));
		}
		return process.exitValue();
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private String start(String user, String processKey, Map<String, String> variables) throws Exception {
		ObjectNode body = this.json.createObjectNode();
		ObjectNode values = body.putObject("variables");
		variables.forEach((name, value) -> values.putObject(name).put("value", value).put("type", "String"));
		HttpResponse<String> response = send(user, "POST", "/engine-rest/process-definition/key/" + processKey + "/start",
				this.json.writeValueAsString(body));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return this.json.readTree(response.body()).get("id").asText();
	}

	private JsonNode awaitTask(String instance) {
		return await().atMost(PATIENCE)
			.until(() -> first(get("/engine-rest/task?processInstanceId=" + instance)), (task) -> task != null);
	}

	private void awaitCompleted(String instance) {
		await().atMost(PATIENCE).until(() -> historicState(instance), "COMPLETED"::equals);
	}

	private void completeTask(JsonNode task) throws Exception {
		HttpResponse<String> response = send("demo", "POST", "/engine-rest/task/" + task.get("id").asText() + "/complete",
				"{}");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
	}

	private JsonNode variables(String instance) throws Exception {
		return get("/engine-rest/process-instance/" + instance + "/variables");
	}

	private String historicState(String instance) throws Exception {
		return get("/engine-rest/history/process-instance/" + instance).get("state").asText();
	}

	private String historicVariable(String instance, String name) throws Exception {
		return first(get("/engine-rest/history/variable-instance?processInstanceId=" + instance + "&variableName=" + name))
			.get("value")
			.asText();
	}

	private String endEvent(String instance) throws Exception {
		return first(get("/engine-rest/history/activity-instance?processInstanceId=" + instance
				+ "&activityType=noneEndEvent")).get("activityId").asText();
	}

	private void createUser(String id, String password) {
		User user = this.identityService.newUser(id);
		user.setPassword(password);
		user.setFirstName(id);
		this.identityService.saveUser(user);
	}

	private JsonNode get(String path) throws Exception {
		HttpResponse<String> response = send("demo", "GET", path, null);
		assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
		return this.json.readTree(response.body());
	}

	private static JsonNode first(JsonNode array) {
		return (array.isArray() && !array.isEmpty()) ? array.get(0) : null;
	}

	private HttpResponse<String> send(String user, String method, String path, String body) throws Exception {
		String password = "demo".equals(user) ? "demo" : user + "-password";
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.header("Accept", "application/json")
			.header("Authorization", "Basic " + Base64.getEncoder()
				.encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
		if (body != null) {
			request.header("Content-Type", "application/json")
				.method(method, HttpRequest.BodyPublishers.ofString(body));
		}
		else {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
