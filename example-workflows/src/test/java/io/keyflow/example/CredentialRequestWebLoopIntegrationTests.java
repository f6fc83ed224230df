package io.keyflow.example;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.camunda.bpm.engine.ManagementService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.keyflow.plugin.HeadlessChromium;
import io.keyflow.plugin.LeakScan;
import io.keyflow.plugin.LogCapture;
import io.keyflow.rest.ApiKeyRole;
import io.keyflow.rest.ApiKeyService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The credential-request loop as people live it, on the example application with the {@code demo} profile: the
 * demo user starts {@code keyflow-demo-partner} over Camunda's REST API; its task needs the API key
 * {@code PARTNER_API_KEY}, which the demo does not store, so its job fails into an incident that names the credential
 * request and links to it ({@code keyflow.public-url}). An editor opens the Keyflow page in headless Chromium, sees
 * the request under "Credential requests", presses Fulfil, enters the key in the prefilled form and submits; the job
 * gets its retries back with no retry by hand and the process ends. The job executor is off: the test runs the due
 * job as the executor would ({@link ManagementService#executeJob}), so nothing waits on the executor's idle back-off.
 * Resumed jobs are due at once ({@code keyflow.resolution-cache-ttl=0s}). After the test {@link LeakScan} scans the
 * database (audit and {@code ACT_} tables included) and the application's log for the key. Skipped where Chromium or
 * chromedriver is missing ({@link HeadlessChromium}).
 */
@SpringBootTest(classes = ExampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
		properties = { "logging.level.io.keyflow=DEBUG", "keyflow.resolution-cache-ttl=0s",
				"camunda.bpm.job-execution.enabled=false" })
@ContextConfiguration(initializers = LogCapture.Initializer.class)
@ActiveProfiles("demo")
@DirtiesContext
@ExtendWith(LeakScan.class)
class CredentialRequestWebLoopIntegrationTests {

	private static final String PROCESS = "keyflow-demo-partner";

	private static final String KEY = "PARTNER_API_KEY";

	private static final Duration PATIENCE = Duration.ofSeconds(15);

	@TempDir
	static Path dataDir;

	static int port;

	private static HeadlessChromium chromium;

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final ObjectMapper json = new ObjectMapper();

	@Autowired
	ManagementService managementService;

	@Autowired
	ApiKeyService apiKeys;

	@DynamicPropertySource
	static void demoProperties(DynamicPropertyRegistry registry) throws IOException {
		// keyflow.public-url and the partner URL name the application's port: chosen before it starts
		port = freePort();
		int oauth2Port = freePort();
		registry.add("server.port", () -> port);
		registry.add("keyflow.demo.oauth2-port", () -> oauth2Port);
		registry.add("keyflow.encryption.key", () -> ExampleApplicationDemoIntegrationTests.TEST_KEY);
		registry.add("keyflow.demo.admin-api-key-file", () -> dataDir.resolve("demo-admin-api-key").toString());
		registry.add("spring.datasource.url", () -> "jdbc:h2:file:" + dataDir.resolve("keyflow") + ";AUTO_SERVER=FALSE");
	}

	@BeforeAll
	static void startBrowser() throws IOException {
		chromium = HeadlessChromium.start();
	}

	@AfterAll
	static void stopBrowser() throws IOException {
		if (chromium != null) {
			chromium.close();
			chromium = null;
		}
	}

	@Test
	void missingPartnerKeyWhenAnEditorFulfilsTheRequestOnThePageThenTheProcessFinishesWithNoRetryByHand(
			LeakScan.Secrets secrets, LogCapture log) throws Exception {
		String editorKey = secrets.add(this.apiKeys.create("web loop editor", ApiKeyRole.EDITOR, null, "test").key());
		String partnerKey = secrets.fresh("partner-api-key");
		String instance = this.json.readTree(send("POST", "/engine-rest/process-definition/key/" + PROCESS + "/start",
				"{}")).get("id").asText();
		String jobId = first(get("/engine-rest/job?processInstanceId=" + instance)).get("id").asText();
		failUntilIncident(instance, jobId);

		WebDriver driver = chromium.driver();
		WebDriverWait wait = new WebDriverWait(driver, PATIENCE);
		wait.ignoring(StaleElementReferenceException.class);
		driver.get("http://localhost:" + port + "/keyflow/");
		wait.until(ExpectedConditions.presenceOfElementLocated(By.id("create-form")));
		driver.findElement(By.id("api-key")).sendKeys(editorKey);
		driver.findElement(By.cssSelector("#key-form button[type='submit']")).click();
		wait.until(ExpectedConditions.textToBe(By.id("auth-status"), "Using the API key of this browser tab."));

		WebElement request = wait.until((d) -> requestRow(d));
		assertThat(request.getText()).contains(KEY, "MISSING", "api_key", PROCESS + " / callPartnerApi",
				"The partner API key, to read the partner's status", "Ask the partner's account manager");
		String requestId = request.getAttribute("data-id");
		// what Cockpit shows: the incident names the request and links to the page that fulfils it
		assertThat(first(get("/engine-rest/incident?processInstanceId=" + instance)).get("incidentMessage").asText())
			.contains("requires a credential")
			.endsWith("Keyflow credential request " + requestId + ": fulfil it at http://localhost:" + port
					+ "/keyflow/#requests/" + requestId + " (the job resumes by itself once it is fulfilled).");

		request.findElement(By.xpath(".//button[.='Fulfil']")).click();
		wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("fulfilling")));
		WebElement keyInput = driver.findElement(By.cssSelector("#create-form [name='key']"));
		assertThat(keyInput.getAttribute("value")).isEqualTo(KEY);
		WebElement secretInput = driver.findElement(By.cssSelector("#create-form [name='apiKey']"));
		secretInput.clear();
		secretInput.sendKeys(partnerKey);
		new Select(driver.findElement(By.cssSelector("#create-form [name='type']"))).selectByValue("api_key");
		driver.findElement(By.cssSelector("#create-form button[type='submit']")).click();
		wait.until((d) -> requestRow(d) == null);
		assertThat(driver.getPageSource()).doesNotContain(partnerKey);

		// the fulfilment gave the job its retries back, due now, and resolved the incident: nobody pressed Retry
		JsonNode job = first(get("/engine-rest/job?processInstanceId=" + instance));
		assertThat(job.get("id").asText()).isEqualTo(jobId);
		assertThat(job.get("retries").asInt()).isPositive();
		assertThat(get("/engine-rest/incident?processInstanceId=" + instance)).isEmpty();
		assertThat(this.managementService.createJobQuery().jobId(jobId).executable().count())
			.as("the job executor would acquire it now").isOne();
		// what the job executor does with a due job
		this.managementService.executeJob(jobId);

		JsonNode history = get("/engine-rest/history/process-instance/" + instance);
		assertThat(history.get("state").asText()).isEqualTo("COMPLETED");
		assertThat(first(get("/engine-rest/history/variable-instance?processInstanceId=" + instance
				+ "&variableName=partnerStatus")).get("value").asInt()).isEqualTo(200);
		assertThat(log.text()).contains("KEYFLOW-E005");
	}

	/** Runs the job as the executor would until its retries are spent and it has an incident (at most 3 runs). */
	private void failUntilIncident(String instance, String jobId) throws Exception {
		for (int attempt = 0; attempt < 3 && get("/engine-rest/incident?processInstanceId=" + instance).isEmpty();
				attempt++) {
			assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> this.managementService.executeJob(jobId));
		}
		assertThat(first(get("/engine-rest/incident?processInstanceId=" + instance)).get("incidentType").asText())
			.isEqualTo("failedJob");
	}

	/** @return the open request for {@value #KEY} in the page's "Credential requests" table, or null */
	private static WebElement requestRow(WebDriver driver) {
		return driver.findElements(By.cssSelector("#requests tbody tr[data-id]"))
			.stream()
			.filter((row) -> row.getText().contains(KEY))
			.findFirst()
			.orElse(null);
	}

	private JsonNode get(String path) throws Exception {
		return this.json.readTree(send("GET", path, null));
	}

	/** A call to Camunda's REST API as the demo user, who becomes the initiator of what it starts. */
	private String send(String method, String path, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.header("Accept", "application/json")
			.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString("demo:demo".getBytes(StandardCharsets.UTF_8)));
		if (body != null) {
			request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
		}
		else {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(200);
		return response.body();
	}

	private static JsonNode first(JsonNode array) {
		assertThat(array.isArray() && !array.isEmpty()).as("a non-empty array: " + array).isTrue();
		return array.get(0);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
