package io.keyflow.example;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.identity.User;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.keyflow.api.CredentialType;
import io.keyflow.plugin.CredentialDraft;
import io.keyflow.plugin.CredentialService;
import io.keyflow.plugin.LeakScan;
import io.keyflow.plugin.LeakScanner;
import io.keyflow.plugin.LogCapture;
import io.keyflow.plugin.ProcessPrincipal;
import io.keyflow.plugin.ProcessPrincipalService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The attacks of issue 9 as a new user tries them: the example application without the demo profile, Camunda
 * users alice (with a per-user API key for the service {@code acme}) and mallory (without), and mallory's only
 * tools being HTTP basic and {@code /engine-rest}. Whatever mallory sends as {@code initiator} (start
 * instructions, task completion, variable writes, process instance modification, message correlation, a call
 * activity, an asynchronous start event), the service task runs as mallory: the service never receives alice's
 * key and the job ends in an incident that names mallory. Alice starting the same processes gets her key there. The service is a local HTTP server that records what it receives; the tasks run on the
 * application's job executor. Each test has its own alice and mallory, so no test depends on another. After the
 * last test {@link LeakScan} scans the database and the log (captured from the start, {@link LogCapture.Initializer})
 * for every key and password the tests made.
 */
// logging is set up before dynamic properties exist: its level goes here, so Keyflow's DEBUG lines are scanned too
@SpringBootTest(classes = ExampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "logging.level.io.keyflow=DEBUG")
@ContextConfiguration(initializers = LogCapture.Initializer.class)
@DirtiesContext
@ExtendWith(LeakScan.class)
class ExampleApplicationPrincipalIntegrationTests {

	/** A test key (never use it anywhere else). */
	static final String TEST_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

	static final Duration PATIENCE = Duration.ofSeconds(30);

	static final Map<String, String> PASSWORDS = new ConcurrentHashMap<>();

	/** The Authorization header of every request the acme service received, with its query. */
	static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();

	record Received(String query, String authorization) {
	}

	@TempDir
	static Path dataDir;

	static HttpServer acme;

	@LocalServerPort
	int port;

	@Autowired
	IdentityService identityService;

	@Autowired
	RepositoryService repositoryService;

	@Autowired
	CredentialService credentials;

	@Autowired
	ProcessPrincipalService principals;

	@Autowired
	DataSource dataSource;

	final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	final ObjectMapper json = new ObjectMapper();

	String alice;

	String mallory;

	String aliceKey;

	LeakScan.Secrets secrets;

	@DynamicPropertySource
	static void applicationProperties(DynamicPropertyRegistry registry) throws IOException {
		acme = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		acme.createContext("/acme", (exchange) -> {
			RECEIVED.add(new Received(exchange.getRequestURI().getQuery(),
					exchange.getRequestHeaders().getFirst("Authorization")));
			byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		acme.start();
		// the URL comes from configuration, as in the example processes: no caller can redirect the key
		registry.add(ExampleApis.PROFILE_URL,
				() -> "http://127.0.0.1:" + acme.getAddress().getPort() + "/acme/me");
		// a local plain-http stand-in for the provider's API: the actions refuse it unless allow-listed
		registry.add("keyflow.actions.allowed-urls", () -> "http://127.0.0.1:" + acme.getAddress().getPort() + "/acme/");
		registry.add("keyflow.encryption.key", () -> TEST_KEY);
		registry.add("spring.datasource.url", () -> "jdbc:h2:file:" + dataDir.resolve("keyflow") + ";AUTO_SERVER=FALSE");
	}

	@AfterAll
	static void stop() {
		if (acme != null) {
			acme.stop(0);
		}
	}

	@BeforeEach
	void aliceAndMallory(LeakScan.Secrets secrets) {
		this.secrets = secrets;
		String run = UUID.randomUUID().toString().substring(0, 8);
		// Camunda user ids are letters and digits only
		this.alice = createUser("alice" + run);
		this.mallory = createUser("mallory" + run);
		this.aliceKey = "acme-key-" + UUID.randomUUID();
		secrets.add(this.aliceKey);
		this.credentials.save(CredentialDraft.builder(CredentialType.API_KEY)
			.provider("acme")
			.principalId(this.alice)
			.secrets(Map.of("apiKey", this.aliceKey))
			.build());
	}

	@ParameterizedTest(name = "skipCustomListeners={0}")
	@ValueSource(booleans = { false, true })
	void startWhenStartInstructionsCarryAlicesInitiatorThenTheTaskRunsAsMallory(boolean skipCustomListeners)
			throws Exception {
		deploy("attack-review");
		ObjectNode body = this.json.createObjectNode();
		variable(body.putObject("variables"), "initiator", this.alice);
		ObjectNode instruction = body.putArray("startInstructions").addObject()
			.put("type", "startBeforeActivity")
			.put("activityId", "callAcme");
		variable(instruction.putObject("variables"), "initiator", this.alice);
		body.put("skipCustomListeners", skipCustomListeners);

		JsonNode started = send(this.mallory, "POST", "/engine-rest/process-definition/key/attack-review/start", body, 200);

		assertRunsAsMallory(started.get("id").asText());
	}

	@Test
	void completeWhenMalloryCompletesTheUserTaskWithAlicesInitiatorThenTheNextTaskRunsAsMallory() throws Exception {
		deploy("attack-review");
		String instance = start(this.mallory, "attack-review", Map.of());

		ObjectNode body = this.json.createObjectNode();
		variable(body.putObject("variables"), "initiator", this.alice);
		send(this.mallory, "POST", "/engine-rest/task/" + task(instance) + "/complete", body, 204);

		assertRunsAsMallory(instance);
	}

	@Test
	void setVariablesWhenMalloryWritesAlicesInitiatorOverRestThenTheNextTaskRunsAsMallory() throws Exception {
		deploy("attack-review");
		String instance = start(this.mallory, "attack-review", Map.of());
		String task = task(instance);

		send(this.mallory, "PUT", "/engine-rest/process-instance/" + instance + "/variables/initiator",
				value(this.alice), 204);
		ObjectNode modifications = this.json.createObjectNode();
		variable(modifications.putObject("modifications"), "initiator", this.alice);
		send(this.mallory, "POST", "/engine-rest/process-instance/" + instance + "/variables", modifications, 204);
		send(this.mallory, "PUT", "/engine-rest/task/" + task + "/localVariables/initiator", value(this.alice), 204);
		// the write took: the variable names alice when the task runs
		assertThat(send(this.mallory, "GET", "/engine-rest/process-instance/" + instance + "/variables/initiator", null,
				200).get("value").asText()).isEqualTo(this.alice);
		send(this.mallory, "POST", "/engine-rest/task/" + task + "/complete", this.json.createObjectNode(), 204);

		assertRunsAsMallory(instance);
	}

	@Test
	void modifyWhenMalloryStartsTheTaskByModificationWithAlicesInitiatorThenItRunsAsMallory() throws Exception {
		deploy("attack-review");
		String instance = start(this.mallory, "attack-review", Map.of());

		ObjectNode body = this.json.createObjectNode();
		ObjectNode instruction = body.putArray("instructions").addObject()
			.put("type", "startBeforeActivity")
			.put("activityId", "callAcme");
		variable(instruction.putObject("variables"), "initiator", this.alice);
		send(this.mallory, "POST", "/engine-rest/process-instance/" + instance + "/modification", body, 204);

		assertRunsAsMallory(instance);
	}

	@Test
	void correlateWhenMallorysMessageCarriesAlicesInitiatorThenTheTaskRunsAsMallory() throws Exception {
		deploy("attack-message");
		String instance = start(this.mallory, "attack-message", Map.of());

		ObjectNode message = this.json.createObjectNode()
			.put("messageName", "attack-go")
			.put("processInstanceId", instance);
		variable(message.putObject("processVariables"), "initiator", this.alice);
		variable(message.putObject("processVariablesLocal"), "initiator", this.alice);
		send(this.mallory, "POST", "/engine-rest/message", message, 204);

		assertRunsAsMallory(instance);
	}

	@Test
	void callActivityWhenMallorysProcessPassesAlicesInitiatorThenTheCalledTaskRunsAsMallory() throws Exception {
		deploy("attack-call");
		String parent = start(this.mallory, "attack-parent", Map.of("forgedInitiator", this.alice));

		String child = await().atMost(PATIENCE)
			.until(() -> first(send(this.mallory, "GET", "/engine-rest/process-instance?superProcessInstance=" + parent,
					null, 200)), (found) -> found != null)
			.get("id")
			.asText();
		assertThat(send(this.mallory, "GET", "/engine-rest/process-instance/" + child + "/variables/initiator", null, 200)
			.get("value")
			.asText()).as("the called process was handed alice as its initiator").isEqualTo(this.alice);

		assertRunsAsMallory(child);
	}

	@Test
	void startWhenTheStartEventIsAsyncAndMalloryPassesAlicesInitiatorThenTheTaskRunsAsMallory() throws Exception {
		deploy("attack-async-start");

		String instance = start(this.mallory, "attack-async-start", Map.of("initiator", this.alice));

		assertRunsAsMallory(instance);
	}

	@ParameterizedTest
	@ValueSource(strings = { "attack-review", "attack-message", "attack-call", "attack-async-start" })
	void startWhenAliceStartsThenTheServiceReceivesHerKey(String model) throws Exception {
		deploy(model);

		String instance = switch (model) {
			case "attack-review" -> {
				String started = start(this.alice, "attack-review", Map.of());
				send(this.alice, "POST", "/engine-rest/task/" + task(started) + "/complete", this.json.createObjectNode(), 204);
				yield started;
			}
			case "attack-message" -> {
				String started = start(this.alice, "attack-message", Map.of());
				send(this.alice, "POST", "/engine-rest/message", this.json.createObjectNode()
					.put("messageName", "attack-go")
					.put("processInstanceId", started), 204);
				yield started;
			}
			// the called process runs as alice, whatever initiator it is handed
			case "attack-call" -> start(this.alice, "attack-parent", Map.of("forgedInitiator", this.mallory));
			default -> start(this.alice, model, Map.of());
		};

		await().atMost(PATIENCE).until(() -> historicState(instance), "COMPLETED"::equals);
		assertThat(received(this.aliceKey)).as("the acme service received alice's key").isTrue();
		assertThat(this.principals.find(instance)).map(ProcessPrincipal::principalId).hasValue(this.alice);
	}

	@Test
	void reviewWhenMalloryAttacksAndAliceRunsItThenOnlyAlicesRunGetsHerKey(LogCapture log) throws Exception {
		deploy("attack-review");
		String attacked = start(this.mallory, "attack-review", Map.of("initiator", this.alice));
		send(this.mallory, "PUT", "/engine-rest/process-instance/" + attacked + "/variables/initiator", value(this.alice),
				204);
		send(this.mallory, "POST", "/engine-rest/task/" + task(attacked) + "/complete", this.json.createObjectNode(), 204);
		assertRunsAsMallory(attacked);
		String legitimate = start(this.alice, "attack-review", Map.of());
		send(this.alice, "POST", "/engine-rest/task/" + task(legitimate) + "/complete", this.json.createObjectNode(), 204);
		await().atMost(PATIENCE).until(() -> historicState(legitimate), "COMPLETED"::equals);
		assertThat(received(this.aliceKey)).as("the acme service received alice's key").isTrue();

		// both runs left their traces where LeakScan looks after the last test: the principal table and the log
		assertThat(LeakScanner.tableNames(this.dataSource)).contains("KEYFLOW_CREDENTIAL", "KEYFLOW_PROCESS_PRINCIPAL",
				"ACT_RU_VARIABLE", "ACT_HI_VARINST", "ACT_RU_INCIDENT", "ACT_GE_BYTEARRAY");
		assertThat(log.text()).contains("KEYFLOW-E009", "requires a credential for provider 'acme'");
	}

	// --- assertions

	/**
	 * What must hold after each attack: the principal Keyflow recorded is mallory, the service never received
	 * alice's key, and the task's job failed into an incident naming mallory and the provider, without anything
	 * of alice's secret in it.
	 */
	private void assertRunsAsMallory(String instance) throws Exception {
		// until the task's job has given up, or the instance went past it
		await().atMost(PATIENCE)
			.until(() -> incident(instance) != null || !"ACTIVE".equals(historicState(instance)));

		assertThat(received(this.aliceKey)).as("the acme service received alice's key").isFalse();
		assertThat(RECEIVED).extracting(Received::query).doesNotContain("instance=" + instance);
		assertThat(this.principals.find(instance)).map(ProcessPrincipal::principalId).hasValue(this.mallory);
		JsonNode incident = incident(instance);
		assertThat(incident).as("incident of " + instance).isNotNull();
		assertThat(incident.get("incidentType").asText()).isEqualTo("failedJob");
		assertThat(incident.get("activityId").asText()).isEqualTo("callAcme");
		String message = incident.get("incidentMessage").asText();
		assertThat(message).contains("requires a credential for provider 'acme'")
			.contains("(principal '" + this.mallory + "')")
			.doesNotContain(this.alice);
		JsonNode job = first(send(this.mallory, "GET", "/engine-rest/job?processInstanceId=" + instance, null, 200));
		assertThat(job.get("retries").asInt()).isZero();
		String stacktrace = sendForText(this.mallory, "/engine-rest/job/" + job.get("id").asText() + "/stacktrace");
		assertThat(LeakScanner.scanText("incident", message + "\n" + stacktrace, Set.of(this.aliceKey))).isEmpty();
	}

	/** Without printing it: a failed assertion must not put the key into the test report. */
	private static boolean received(String apiKey) {
		return RECEIVED.stream().anyMatch((request) -> ("Bearer " + apiKey).equals(request.authorization()));
	}

	private JsonNode incident(String instance) throws Exception {
		return first(send(this.mallory, "GET", "/engine-rest/incident?processInstanceId=" + instance, null, 200));
	}

	// --- the application's REST API, as mallory and alice call it

	private String start(String user, String processKey, Map<String, String> variables) throws Exception {
		ObjectNode body = this.json.createObjectNode();
		ObjectNode values = body.putObject("variables");
		variables.forEach((name, value) -> variable(values, name, value));
		return send(user, "POST", "/engine-rest/process-definition/key/" + processKey + "/start", body, 200).get("id")
			.asText();
	}

	private String task(String instance) throws Exception {
		return await().atMost(PATIENCE)
			.until(() -> first(send(this.mallory, "GET", "/engine-rest/task?processInstanceId=" + instance, null, 200)),
					(found) -> found != null)
			.get("id")
			.asText();
	}

	private String historicState(String instance) throws Exception {
		return send(this.alice, "GET", "/engine-rest/history/process-instance/" + instance, null, 200).get("state").asText();
	}

	private void variable(ObjectNode variables, String name, String value) {
		variables.set(name, value(value));
	}

	private ObjectNode value(String value) {
		return this.json.createObjectNode().put("value", value).put("type", "String");
	}

	private JsonNode send(String user, String method, String path, JsonNode body, int expectedStatus) throws Exception {
		HttpRequest.Builder request = request(user, path).header("Accept", "application/json");
		if (body != null) {
			request.header("Content-Type", "application/json")
				.method(method, HttpRequest.BodyPublishers.ofString(this.json.writeValueAsString(body)));
		}
		else {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(expectedStatus);
		return response.body().isEmpty() ? null : this.json.readTree(response.body());
	}

	private String sendForText(String user, String path) throws Exception {
		HttpResponse<String> response = this.http.send(request(user, path).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
		return response.body();
	}

	private HttpRequest.Builder request(String user, String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.header("Authorization", "Basic " + Base64.getEncoder()
				.encodeToString((user + ":" + password(user)).getBytes(StandardCharsets.UTF_8)));
	}

	private static JsonNode first(JsonNode array) {
		return (array != null && array.isArray() && !array.isEmpty()) ? array.get(0) : null;
	}

	// --- fixtures

	private String createUser(String id) {
		User user = this.identityService.newUser(id);
		user.setPassword(password(id));
		user.setFirstName(id);
		this.identityService.saveUser(user);
		this.secrets.add(password(id));
		return id;
	}

	private static String password(String user) {
		return PASSWORDS.computeIfAbsent(user, (id) -> "pw-" + UUID.randomUUID());
	}

	private void deploy(String model) {
		this.repositoryService.createDeployment()
			.name(model)
			.addClasspathResource("principal/" + model + ".bpmn")
			.enableDuplicateFiltering(true)
			.deploy();
	}

}
