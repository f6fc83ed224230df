package io.keyflow.rest.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.identity.User;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;

import io.keyflow.plugin.HeadlessChromium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The credential web page ({@code /keyflow/}) in a real headless Chromium, driven through Debian's chromedriver:
 * API-key entry, create (with a usage policy), validation errors from problem+json, delete, escaping of hostile data, and an OAuth2
 * connection through the dev server's login form; and "My connections" ({@code /keyflow/me.html}): a Camunda user
 * logs in, connects through the dev server, sees the connection (never a secret) and disconnects it. Credential
 * requests: an editor fulfils an open request from the prefilled form, and a user connects with one click from the
 * request shown in My connections; either way the failed job resumes with no retry by hand. Skipped where Chromium or
 * chromedriver is missing ({@link HeadlessChromium}).
 */
class CredentialWebPageIntegrationTests extends RestTestSupport {

	private static final String HOSTILE = "<img src=x onerror=alert(1)>";

	private static HeadlessChromium chromium;

	private static WebDriver driver;

	private WebDriverWait wait;

	@Autowired
	IdentityService identityService;

	@Autowired
	RuntimeService runtimeService;

	@Autowired
	RepositoryService repositoryService;

	@Autowired
	ManagementService managementService;

	@Autowired
	HistoryService historyService;

	@BeforeAll
	static void startBrowser() throws IOException {
		chromium = HeadlessChromium.start();
		driver = chromium.driver();
	}

	@AfterAll
	static void stopBrowser() throws IOException {
		if (chromium != null) {
			chromium.close();
			chromium = null;
			driver = null;
		}
	}

	/**
	 * The application context is shared with the other REST tests, and the page lists 20 credentials at a time:
	 * every test here starts from no stored credential, so the rows it looks for are on the first page whatever
	 * ran before it.
	 */
	@BeforeEach
	void startFromNoCredentials() {
		new org.springframework.jdbc.core.JdbcTemplate(this.dataSource).update("delete from KEYFLOW_CREDENTIAL");
	}

	@Test
	void pageWhenAdminKeyEnteredThenCreatesListsRefusesBadKeyAndDeletes() {
		open();
		driver.findElement(By.id("forget-key")).click();
		this.wait.until(ExpectedConditions.textToBe(By.id("auth-status"), "Enter an API key."));
		assertThat(storage("sessionStorage")).isNull();
		useKey(ADMIN_KEY);
		assertThat(storage("sessionStorage")).isEqualTo(ADMIN_KEY);
		assertThat(storage("localStorage")).isNull();
		assertThat(driver.getCurrentUrl()).doesNotContain(ADMIN_KEY);

		String key = "WEB_PAGE_" + UUID.randomUUID().toString().substring(0, 8).toUpperCase().replace('-', '_');
		String apiKey = secret("web-page");
		fill("key", key);
		fill("service", "stripe");
		fill("apiKey", apiKey);
		submitCreateForm();
		WebElement row = this.wait.until((d) -> row(key));
		assertThat(row.getText()).contains("api_key", "stripe", "ACTIVE");
		assertThat(driver.getPageSource()).doesNotContain(apiKey);

		fill("key", "not a key");
		fill("apiKey", apiKey);
		submitCreateForm();
		this.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("create-error"),
				"key: key must be UPPER_SNAKE_CASE"));
		assertThat(input("key").getAttribute("aria-invalid")).isEqualTo("true");

		row.findElement(By.xpath(".//button[.='Delete']")).click();
		this.wait.until(ExpectedConditions.alertIsPresent()).accept();
		this.wait.until(ExpectedConditions.stalenessOf(row));
		assertThat(row(key)).isNull();
		assertThat(this.http.get("/api/credentials?key=" + key, this.viewerKey).items()).isEmpty();
	}

	@Test
	void pageWhenStatusFilterChosenThenFlaggedCredentialsAreListedWithWhatToDo() {
		String suffix = UUID.randomUUID().toString().substring(0, 8).toUpperCase();
		String expired = "WEB_EXPIRED_" + suffix;
		String reauthorize = "WEB_REAUTH_" + suffix;
		String expiredId = oauth2Credential(expired, java.time.Instant.now().minusSeconds(3600));
		String reauthorizeId = oauth2Credential(reauthorize, java.time.Instant.now().plusSeconds(3600));
		new org.springframework.jdbc.core.JdbcTemplate(this.dataSource)
			.update("update KEYFLOW_CREDENTIAL set STATUS_ = 'NEEDS_REAUTHORIZATION' where ID_ = ?", reauthorizeId);
		try {
			showsFlagged(expired, reauthorize);
		}
		finally {
			// the context is shared: the other page tests look for their rows on the first page
			this.http.delete("/api/credentials/" + expiredId, ADMIN_KEY);
			this.http.delete("/api/credentials/" + reauthorizeId, ADMIN_KEY);
		}
	}

	private void showsFlagged(String expired, String reauthorize) {
		open();
		useKey(this.viewerKey);

		// the filtered list has only flagged rows: ours, and none of the other kind
		new Select(driver.findElement(By.id("status-filter"))).selectByValue("EXPIRED");
		this.wait.until((d) -> row(expired) != null && row(reauthorize) == null && everyRowFlagged());
		assertThat(row(expired).findElement(By.cssSelector("td.status.attention")).getText())
			.contains("ACTIVE", "expired, cannot refresh");

		new Select(driver.findElement(By.id("status-filter"))).selectByValue("NEEDS_REAUTHORIZATION");
		this.wait.until((d) -> row(reauthorize) != null && row(expired) == null && everyRowFlagged());
		assertThat(row(reauthorize).findElement(By.cssSelector("td.status.attention")).getText())
			.contains("NEEDS_REAUTHORIZATION", "connect the account again");
	}

	private static boolean everyRowFlagged() {
		return driver.findElements(By.cssSelector("#credentials tbody tr"))
			.stream()
			.allMatch((row) -> !row.findElements(By.cssSelector("td.status.attention")).isEmpty());
	}

	private String oauth2Credential(String key, java.time.Instant expiresAt) {
		RestClient.Response created = this.http.post("/api/credentials", this.editorKey, java.util.Map.of("key", key,
				"type", "oauth2", "service", "devserver", "accessToken", secret("web-" + key), "tokenExpiresAt",
				expiresAt.toString()));
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		return (String) created.json().get("id");
	}

	@Test
	void pageWhenRequestOpenThenEditorFulfilsItFromThePrefilledFormAndTheWaitingJobResumes() {
		deployRequestProcesses();
		String key = "WEB_REQUEST_" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
		ProcessInstance instance = this.runtimeService.startProcessInstanceByKey("request-rest", Map.of("wantedKey", key));
		failThreeTimes(instance);
		open();
		useKey(this.editorKey);

		WebElement request = this.wait.until((d) -> requestRow(key));
		assertThat(request.getText()).contains("MISSING", "api_key", "request-rest / callPartner", "The partner API key");
		request.findElement(By.xpath(".//button[.='Fulfil']")).click();
		this.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("fulfilling")));
		assertThat(input("key").getAttribute("value")).isEqualTo(key);
		String apiKey = secret("web-request");
		fill("apiKey", apiKey);
		submitCreateForm();

		this.wait.until((d) -> requestRow(key) == null);
		assertThat(this.http.get("/api/credentials?key=" + key, this.viewerKey).items()).hasSize(1);
		assertThat(driver.findElement(By.id("fulfilling")).isDisplayed()).isFalse();
		assertThat(driver.getPageSource()).doesNotContain(apiKey);
		String jobId = this.managementService.createJobQuery().processInstanceId(instance.getId()).singleResult().getId();
		assertThat(this.runtimeService.createIncidentQuery().processInstanceId(instance.getId()).count()).isZero();
		this.managementService.executeJob(jobId);
		assertThat(this.historyService.createHistoricProcessInstanceQuery().processInstanceId(instance.getId())
			.finished().count()).isEqualTo(1);
	}

	@Test
	void myConnectionsWhenAProcessWaitsOnTheUsersAccountThenOneClickConnectFulfilsTheRequestAndTheJobResumes() {
		String userId = "requser" + UUID.randomUUID().toString().substring(0, 8);
		String password = secret("camunda-password");
		saveUser(userId, password);
		deployRequestProcesses();
		this.identityService.setAuthenticatedUserId(userId);
		ProcessInstance instance;
		try {
			instance = this.runtimeService.startProcessInstanceByKey("request-rest-devserver");
		}
		finally {
			this.identityService.clearAuthentication();
		}
		failThreeTimes(instance);

		logInToMyConnections(userId, password);
		WebElement request = this.wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#requests li[data-id]")));
		assertThat(request.getText()).contains("devserver", "request-rest-devserver / callDevserver",
				"Your dev server account, to read your profile");
		request.findElement(By.xpath(".//button[.='Connect']")).click();
		logInAtDevServerIfAsked();
		this.wait.until(ExpectedConditions.attributeToBe(By.id("result"), "data-status", "connected"));

		// the connection fulfilled the request: no incident, the job runs with the new credential
		assertThat(this.runtimeService.createIncidentQuery().processInstanceId(instance.getId()).count()).isZero();
		String jobId = this.managementService.createJobQuery().processInstanceId(instance.getId()).singleResult().getId();
		this.managementService.executeJob(jobId);
		assertThat(this.historyService.createHistoricProcessInstanceQuery().processInstanceId(instance.getId())
			.finished().count()).isEqualTo(1);
		driver.findElement(By.linkText("My connections")).click();
		WebElement row = this.wait.until((d) -> connectionRow("devserver"));
		@SuppressWarnings("unchecked")
		Map<String, String> secrets = (Map<String, String>) this.http
			.post("/api/credentials/" + row.getAttribute("data-id") + "/reveal", ADMIN_KEY, Map.of())
			.json()
			.get("secrets");
		SECRETS.addAll(secrets.values());
		this.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("requests"),
				"No process waits on your accounts."));
		driver.findElement(By.id("logout")).click();
		this.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-section")));
	}

	private void saveUser(String userId, String password) {
		User user = this.identityService.newUser(userId);
		user.setPassword(password);
		this.identityService.saveUser(user);
	}

	private void logInToMyConnections(String userId, String password) {
		this.wait = new WebDriverWait(driver, Duration.ofSeconds(15));
		this.wait.ignoring(StaleElementReferenceException.class);
		driver.get("http://127.0.0.1:" + this.port + "/keyflow/me.html");
		this.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys(userId);
		driver.findElement(By.id("password")).sendKeys(password);
		driver.findElement(By.cssSelector("#login-form button[type='submit']")).click();
	}

	private void deployRequestProcesses() {
		if (this.repositoryService.createProcessDefinitionQuery().processDefinitionKey("request-rest").count() == 0) {
			this.repositoryService.createDeployment().addClasspathResource("bpmn/request-rest.bpmn").deploy();
		}
	}

	private void failThreeTimes(ProcessInstance instance) {
		for (int attempt = 0; attempt < 3; attempt++) {
			String jobId = this.managementService.createJobQuery().processInstanceId(instance.getId()).singleResult().getId();
			assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> this.managementService.executeJob(jobId));
		}
	}

	@Test
	void pageWhenPolicyEnteredThenCreatedWithItListedAndAnInvalidOriginIsRefusedOnItsField() {
		open();
		useKey(this.editorKey);
		String key = "WEB_POLICY_" + UUID.randomUUID().toString().substring(0, 8).toUpperCase().replace('-', '_');
		fill("key", key);
		fill("apiKey", secret("web-policy"));
		fill("allowedProcesses", "invoice-approval, billing.sync");
		fill("allowedOrigins", "HTTPS://API.Stripe.com:443");
		input("sealed").click();
		submitCreateForm();

		WebElement row = this.wait.until((d) -> row(key));
		WebElement policy = row.findElement(By.className("policy"));
		assertThat(policy.getText()).contains("processes: billing.sync invoice-approval",
				"origins: https://api.stripe.com", "sealed");
		assertThat(this.http.get("/api/credentials?key=" + key, this.viewerKey).items()).singleElement()
			.satisfies((item) -> assertThat(item).containsEntry("sealed", true)
				.containsEntry("allowedOrigins", java.util.List.of("https://api.stripe.com")));
		assertThat(input("sealed").isSelected()).as("the form is reset").isFalse();

		String refused = key + "_HTTP";
		fill("key", refused);
		fill("apiKey", secret("web-policy-http"));
		fill("allowedOrigins", "http://api.stripe.com");
		submitCreateForm();
		this.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("create-error"),
				"allowedOrigins: allowedOrigins entry 1 must be an origin"));
		assertThat(input("allowedOrigins").getAttribute("aria-invalid")).isEqualTo("true");
		assertThat(this.http.get("/api/credentials?key=" + refused, this.viewerKey).items()).isEmpty();
		assertThat(this.http.delete("/api/credentials/" + row.getAttribute("data-id"), this.editorKey).status())
			.isEqualTo(204);
	}

	@Test
	void pageWhenTokensPastedThenStoredAndARefusedRefreshTokenStoresNothingAndMarksTheField() {
		open();
		useKey(this.editorKey);
		String key = "WEB_PASTED_" + UUID.randomUUID().toString().substring(0, 8).toUpperCase().replace('-', '_');
		String accessToken = secret("web-pasted-access");
		fillIn("tokens-form", "service", "devserver");
		fillIn("tokens-form", "key", key);
		fillIn("tokens-form", "accessToken", accessToken);
		driver.findElement(By.cssSelector("#tokens-form button[type='submit']")).click();

		WebElement row = this.wait.until((d) -> row(key));
		assertThat(row.getText()).contains("oauth2", "devserver", "ACTIVE");
		assertThat(driver.getPageSource()).doesNotContain(accessToken);

		String refused = key + "_REFUSED";
		fillIn("tokens-form", "service", "devserver");
		fillIn("tokens-form", "key", refused);
		fillIn("tokens-form", "accessToken", secret("web-pasted-access"));
		fillIn("tokens-form", "refreshToken", secret("web-pasted-refresh"));
		driver.findElement(By.cssSelector("#tokens-form button[type='submit']")).click();
		this.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("tokens-error"), "refreshToken: "));
		assertThat(driver.findElement(By.cssSelector("#tokens-form [name='refreshToken']")).getAttribute("aria-invalid"))
			.isEqualTo("true");
		assertThat(this.http.get("/api/credentials?key=" + refused, this.viewerKey).items()).isEmpty();
		assertThat(this.http.delete("/api/credentials/" + row.getAttribute("data-id"), this.editorKey).status())
			.isEqualTo(204);
	}

	@Test
	void pageWhenClientCredentialsEnteredThenTheProviderIssuesATokenAndTheConnectionIsListed() {
		open();
		useKey(this.editorKey);
		String key = "WEB_MACHINE_" + UUID.randomUUID().toString().substring(0, 8).toUpperCase().replace('-', '_');
		fillIn("machine-form", "providerId", "devserver");
		fillIn("machine-form", "key", key);
		fillIn("machine-form", "clientId", "keyflow");
		fillIn("machine-form", "clientSecret", CLIENT_SECRET);
		fillIn("machine-form", "scopes", "read");
		driver.findElement(By.cssSelector("#machine-form button[type='submit']")).click();

		WebElement row = this.wait.until((d) -> row(key));
		assertThat(row.getText()).contains("oauth2", "devserver", "ACTIVE", "read");
		assertThat(driver.getPageSource()).doesNotContain(CLIENT_SECRET);
		assertThat(driver.findElement(By.cssSelector("#machine-form [name='clientSecret']")).getAttribute("value"))
			.as("the form is reset").isEmpty();

		fillIn("machine-form", "providerId", "devserver");
		fillIn("machine-form", "key", key + "_HALF");
		fillIn("machine-form", "clientId", "keyflow");
		driver.findElement(By.cssSelector("#machine-form button[type='submit']")).click();
		this.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("machine-error"),
				"clientSecret: clientId and clientSecret go together"));
		assertThat(this.http.delete("/api/credentials/" + row.getAttribute("data-id"), this.editorKey).status())
			.isEqualTo(204);
	}

	@Test
	void pageWhenCredentialNamedWithMarkupThenRendersItAsText() {
		String principal = HOSTILE + UUID.randomUUID();
		RestClient.Response created = this.http.post("/api/credentials", ADMIN_KEY,
				Map.of("type", "static", "name", "<script>alert(2)</script>", "service", "stripe", "principalId",
						principal, "value", secret("hostile")));
		assertThat(created.status()).as(created.toString()).isEqualTo(201);

		open();
		useKey(this.viewerKey);
		WebElement row = this.wait.until((d) -> row(principal));
		assertThat(row.findElements(By.tagName("td")).get(3).getText()).isEqualTo(principal);
		assertThat(row.findElement(By.className("name")).getText()).isEqualTo("<script>alert(2)</script>");
		assertThat(driver.findElements(By.cssSelector("#credentials img, #credentials script"))).isEmpty();
		assertThatExceptionOfType(NoAlertPresentException.class).isThrownBy(() -> driver.switchTo().alert());
	}

	@Test
	void connectWhenUserLogsInAtProviderThenOAuth2CredentialIsListed() throws IOException {
		String principal = "web-" + UUID.randomUUID();
		open();
		useKey(ADMIN_KEY);
		driver.findElement(By.id("connect-principal")).sendKeys(principal);
		driver.findElement(By.id("connect-scopes")).sendKeys("read");
		// the connection's usage policy travels with the flow to the stored credential
		driver.findElement(By.id("connect-processes")).sendKeys("invoice-approval");
		driver.findElement(By.id("connect-origins")).sendKeys("https://API.GitHub.com");
		this.wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("li[data-provider='devserver'] button")))
			.click();

		// the dev server's login form, then its redirect to Keyflow's callback and the result page
		logInAtDevServerIfAsked();
		this.wait.until(ExpectedConditions.attributeToBe(By.id("result"), "data-status", "connected"));

		open();
		WebElement row = this.wait.until((d) -> row(principal));
		assertThat(row.getText()).contains("oauth2", "devserver", "ACTIVE", "read",
				"processes: invoice-approval", "origins: https://api.github.com");
		row.findElement(By.xpath(".//button[.='Refresh']")).click();
		this.wait.until(ExpectedConditions.stalenessOf(row));
		assertThat(this.wait.until((d) -> row(principal)).getText()).contains("ACTIVE");
		assertThat(driver.findElement(By.id("list-error")).getText()).isEmpty();

		Path screenshot = Paths.get("target", "keyflow-web-page.png");
		Files.createDirectories(screenshot.getParent());
		Files.copy(((ChromeDriver) driver).getScreenshotAs(OutputType.FILE).toPath(), screenshot,
				StandardCopyOption.REPLACE_EXISTING);
	}

	@Test
	void myConnectionsWhenUserLogsInThenConnectsSeesTheConnectionWithoutSecretAndDisconnects() {
		String userId = "webuser" + UUID.randomUUID().toString().substring(0, 8);
		String password = secret("camunda-password");
		saveUser(userId, password);

		logInToMyConnections(userId, password);
		this.wait.until(ExpectedConditions.textToBe(By.id("auth-status"), "Logged in as " + userId + "."));
		this.wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("li[data-provider='devserver'] button")))
			.click();

		// the dev server's login form, then Keyflow's callback
		logInAtDevServerIfAsked();
		this.wait.until(ExpectedConditions.attributeToBe(By.id("result"), "data-status", "connected"));
		driver.findElement(By.linkText("My connections")).click();

		WebElement row = this.wait.until((d) -> connectionRow("devserver"));
		assertThat(row.getText()).contains("devserver", "ACTIVE", "read");
		String credentialId = row.getAttribute("data-id");
		assertThat(this.http.get("/api/credentials/" + credentialId, this.viewerKey).json()).containsEntry("principalId",
				userId);
		@SuppressWarnings("unchecked")
		Map<String, String> secrets = (Map<String, String>) this.http
			.post("/api/credentials/" + credentialId + "/reveal", ADMIN_KEY, Map.of())
			.json()
			.get("secrets");
		SECRETS.addAll(secrets.values());
		assertThat(driver.getPageSource()).doesNotContain(secrets.get("accessToken"), secrets.get("refreshToken"),
				password);

		row.findElement(By.xpath(".//button[.='Disconnect']")).click();
		this.wait.until(ExpectedConditions.alertIsPresent()).accept();
		this.wait.until(ExpectedConditions.stalenessOf(row));
		assertThat(connectionRow("devserver")).isNull();
		assertProblem(this.http.get("/api/credentials/" + credentialId, this.viewerKey), 404, "NOT_FOUND");
		driver.findElement(By.id("logout")).click();
		this.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-section")));
	}

	/**
	 * Logs in at the dev server when it asks (the browser keeps its session there from an earlier test).
	 */
	private void logInAtDevServerIfAsked() {
		this.wait.until((d) -> !d.getCurrentUrl().contains("/keyflow/"));
		this.wait.until(ExpectedConditions.or(ExpectedConditions.presenceOfElementLocated(By.id("result")),
				ExpectedConditions.presenceOfElementLocated(By.cssSelector("input[name='password']"))));
		if (!driver.findElements(By.cssSelector("input[name='password']")).isEmpty()) {
			driver.findElement(By.cssSelector("input[name='username']")).sendKeys("demo");
			driver.findElement(By.cssSelector("input[name='password']")).sendKeys("demo");
			driver.findElement(By.cssSelector("button[type='submit']")).click();
		}
	}

	/** @return the row of My connections for the provider, or null */
	private static WebElement connectionRow(String provider) {
		return driver.findElements(By.cssSelector("#connections tbody tr[data-provider='" + provider + "']"))
			.stream()
			.findFirst()
			.orElse(null);
	}

	/** Opens the page on 127.0.0.1, the host of the OAuth2 redirect URI, so the tab keeps one sessionStorage. */
	private void open() {
		this.wait = new WebDriverWait(driver, Duration.ofSeconds(15));
		this.wait.ignoring(StaleElementReferenceException.class);
		driver.get("http://127.0.0.1:" + this.port + "/keyflow/");
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("create-form")));
	}

	private void useKey(String key) {
		driver.findElement(By.id("api-key")).sendKeys(key);
		driver.findElement(By.cssSelector("#key-form button[type='submit']")).click();
		this.wait.until(ExpectedConditions.textToBe(By.id("auth-status"), "Using the API key of this browser tab."));
	}

	private WebElement input(String name) {
		return driver.findElement(By.cssSelector("#create-form [name='" + name + "']"));
	}

	private void fill(String name, String value) {
		fillIn("create-form", name, value);
	}

	private void fillIn(String form, String name, String value) {
		WebElement input = driver.findElement(By.cssSelector("#" + form + " [name='" + name + "']"));
		input.clear();
		input.sendKeys(value);
	}

	private void submitCreateForm() {
		new Select(input("type")).selectByValue("api_key");
		driver.findElement(By.cssSelector("#create-form button[type='submit']")).click();
	}

	private String storage(String area) {
		return (String) ((JavascriptExecutor) driver).executeScript("return window." + area + ".getItem('keyflow.apiKey')");
	}

	/** @return the table row whose text contains {@code text}, or null */
	private static WebElement requestRow(String text) {
		return driver.findElements(By.cssSelector("#requests tbody tr"))
			.stream()
			.filter((row) -> row.getText().contains(text))
			.findFirst()
			.orElse(null);
	}

	private static WebElement row(String text) {
		return driver.findElements(By.cssSelector("#credentials tbody tr"))
			.stream()
			.filter((row) -> row.getText().contains(text))
			.findFirst()
			.orElse(null);
	}

}
