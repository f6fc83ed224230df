package io.keyflow.rest.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.keyflow.plugin.LeakScanner;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code /api/credentials/requests} over real HTTP on a real engine: list, get, fulfil (which resumes the waiting
 * job), reject, refused fulfilments, the roles, the audit trail, and a user seeing the requests for its own
 * credentials in My connections. After them all, responses, database and log are scanned for the secrets sent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CredentialRequestRestIntegrationTests extends RestTestSupport {

	static final String REQUESTS = "/api/credentials/requests";

	@Autowired
	RuntimeService runtimeService;

	@Autowired
	RepositoryService repositoryService;

	@Autowired
	ManagementService managementService;

	@Autowired
	HistoryService historyService;

	@Autowired
	IdentityService identityService;

	@BeforeEach
	void deploy() {
		if (this.repositoryService.createProcessDefinitionQuery().processDefinitionKey("request-rest").count() == 0) {
			this.repositoryService.createDeployment().addClasspathResource("bpmn/request-rest.bpmn").deploy();
		}
	}

	@Test
	void fulfilWhenEditorSendsTheRequestedCredentialThenStoredJobResumesAndAudited() {
		String key = uniqueKey();
		ProcessInstance instance = failing(key);
		Map<String, Object> listed = this.http.get(REQUESTS + "?status=OPEN&size=200", this.viewerKey)
			.items()
			.stream()
			.filter((item) -> key.equals(item.get("key")))
			.findFirst()
			.orElseThrow();
		String id = (String) listed.get("id");
		assertThat(listed).containsEntry("kind", "MISSING")
			.containsEntry("types", List.of("api_key"))
			.containsEntry("description", "The partner API key")
			.containsEntry("activityId", "callPartner")
			.containsEntry("jobIds", List.of(job(instance).getId()));
		assertThat((List<?>) listed.get("incidentIds")).hasSize(1);
		assertThat(this.http.get(REQUESTS + "/" + id, this.viewerKey).json()).containsEntry("key", key);

		String secret = secret("partner");
		assertProblem(this.http.post(REQUESTS + "/" + id + "/fulfil", this.viewerKey,
				Map.of("type", "api_key", "key", key, "apiKey", secret)), 403, "FORBIDDEN");
		RestClient.Response wrongKey = this.http.post(REQUESTS + "/" + id + "/fulfil", this.editorKey,
				Map.of("type", "api_key", "key", "OTHER_" + key, "apiKey", secret));
		assertProblem(wrongKey, 400, "BAD_REQUEST");
		assertThat(wrongKey.json()).containsEntry("field", "key");
		assertThat(this.http.get("/api/credentials?key=OTHER_" + key, this.viewerKey).items()).isEmpty();

		RestClient.Response fulfilled = this.http.post(REQUESTS + "/" + id + "/fulfil", this.editorKey,
				Map.of("type", "api_key", "key", key, "apiKey", secret));

		assertThat(fulfilled.status()).as(fulfilled.toString()).isEqualTo(200);
		assertThat(fulfilled.json()).containsEntry("resumedJobIds", List.of(job(instance).getId()));
		assertThat(this.http.get(REQUESTS + "/" + id, this.viewerKey).json()).containsEntry("status", "FULFILLED")
			.containsEntry("incidentIds", List.of());
		assertThat(job(instance).getRetries()).isPositive();
		this.managementService.executeJob(job(instance).getId());
		assertThat(this.historyService.createHistoricProcessInstanceQuery().processInstanceId(instance.getId())
			.finished().count()).isEqualTo(1);
		assertProblem(this.http.post(REQUESTS + "/" + id + "/fulfil", this.editorKey,
				Map.of("type", "api_key", "key", key, "apiKey", secret("late"))), 409, "REQUEST_NOT_OPEN");
		List<Map<String, Object>> audit = this.http.get("/api/credentials/audit?size=20", ADMIN_KEY).items();
		assertThat(audit).anySatisfy((event) -> assertThat(event).containsEntry("action", "credential.request.fulfil")
			.containsEntry("outcome", "success")
			.containsEntry("credentialKey", key));
		assertThat(audit).anySatisfy((event) -> assertThat(event).containsEntry("action", "credential.request.fulfil")
			.containsEntry("outcome", "failure")
			.containsEntry("errorCode", "BAD_REQUEST"));
	}

	@Test
	void rejectWhenReasonThenRequestRejectedIncidentStaysAndReasonAudited() {
		String key = uniqueKey();
		ProcessInstance instance = failing(key);
		String id = openRequestFor(key);

		assertProblem(this.http.post(REQUESTS + "/" + id + "/reject", this.editorKey, Map.of()), 400, "BAD_REQUEST");
		RestClient.Response rejected = this.http.post(REQUESTS + "/" + id + "/reject", this.editorKey,
				Map.of("reason", "contract ended"));

		assertThat(rejected.status()).as(rejected.toString()).isEqualTo(200);
		assertThat(rejected.json()).containsEntry("status", "REJECTED").containsEntry("reason", "contract ended");
		assertThat(this.runtimeService.createIncidentQuery().processInstanceId(instance.getId()).count()).isEqualTo(1);
		assertThat(this.http.get("/api/credentials/audit?size=5", ADMIN_KEY).items())
			.anySatisfy((event) -> assertThat(event).containsEntry("action", "credential.request.reject")
				.containsEntry("subject", "request " + id + " rejected: contract ended"));
	}

	@Test
	void requestsWhenAnotherTenantsKeyOrUnknownThenNotFound() {
		String id = openRequestFor(failingKey());

		assertProblem(this.http.get(REQUESTS + "/" + id, this.tenantEditorKey), 404, "NOT_FOUND");
		assertProblem(this.http.post(REQUESTS + "/" + id + "/reject", this.tenantEditorKey, Map.of("reason", "x")),
				404, "NOT_FOUND");
		assertProblem(this.http.get(REQUESTS + "/no-such-request", this.viewerKey), 404, "NOT_FOUND");
		assertProblem(this.http.get(REQUESTS + "?status=WAITING", this.viewerKey), 400, "BAD_REQUEST");
		assertProblem(this.http.get(REQUESTS, null), 401, "UNAUTHORIZED");
	}

	@Test
	void myRequestsWhenUserProcessFailedThenUserSeesOwnRequestAndEditorCannotFulfilIt() {
		String erin = user("erin");
		this.identityService.setAuthenticatedUserId(erin);
		ProcessInstance instance;
		try {
			instance = this.runtimeService.startProcessInstanceByKey("request-rest-user");
		}
		finally {
			this.identityService.clearAuthentication();
		}
		failThreeTimes(instance);
		String basic = "Basic " + Base64.getEncoder()
			.encodeToString((erin + ":" + password(erin)).getBytes(StandardCharsets.UTF_8));

		RestClient.Response mine = this.http.send(this.http.request("/api/credentials/me/requests", null)
			.header("Authorization", basic)
			.GET());
		String frank = user("frank");
		RestClient.Response others = this.http.send(this.http.request("/api/credentials/me/requests", null)
			.header("Authorization", "Basic " + Base64.getEncoder()
				.encodeToString((frank + ":" + password(frank)).getBytes(StandardCharsets.UTF_8)))
			.GET());

		assertThat(mine.status()).as(mine.toString()).isEqualTo(200);
		Map<String, Object> request = mine.items().get(0);
		assertThat(mine.items()).singleElement().satisfies((item) -> assertThat(item)
			.containsEntry("principalId", erin)
			.containsEntry("service", "partner-user"));
		assertThat(others.status()).as(others.toString()).isEqualTo(200);
		assertThat(others.items()).isEmpty();
		// an editor may not name erin as principal: only erin (self-service) or an admin fulfils it
		assertProblem(this.http.post(REQUESTS + "/" + request.get("id") + "/fulfil", this.editorKey,
				Map.of("type", "api_key", "service", "partner-user", "principalId", erin, "apiKey", secret("erin"))),
				403, "PRINCIPAL_NOT_ALLOWED");
		RestClient.Response byAdmin = this.http.post(REQUESTS + "/" + request.get("id") + "/fulfil", ADMIN_KEY,
				Map.of("type", "api_key", "service", "partner-user", "principalId", erin, "apiKey", secret("erin")));
		assertThat(byAdmin.status()).as(byAdmin.toString()).isEqualTo(200);
		this.managementService.executeJob(job(instance).getId());
		assertThat(this.historyService.createHistoricProcessInstanceQuery().processInstanceId(instance.getId())
			.finished().count()).isEqualTo(1);
	}

	@AfterAll
	void leakScanWhenRequestsRanThenNoSecretInResponsesDatabaseOrLog() throws Exception {
		for (String body : RestClient.scannable) {
			assertThat(LeakScanner.scanText("response", body, SECRETS)).isEmpty();
		}
		assertThat(LeakScanner.scanDatabase(this.dataSource, SECRETS)).isEmpty();
		assertThat(LeakScanner.scanText("log", log.text(), SECRETS)).isEmpty();
	}

	private String failingKey() {
		String key = uniqueKey();
		failing(key);
		return key;
	}

	private ProcessInstance failing(String key) {
		ProcessInstance instance = this.runtimeService.startProcessInstanceByKey("request-rest", Map.of("wantedKey", key));
		failThreeTimes(instance);
		return instance;
	}

	private void failThreeTimes(ProcessInstance instance) {
		for (int attempt = 0; attempt < 3; attempt++) {
			String jobId = job(instance).getId();
			assertThatThrownBy(() -> this.managementService.executeJob(jobId)).hasMessageContaining("credential request");
		}
	}

	private String openRequestFor(String key) {
		return (String) this.http.get(REQUESTS + "?status=OPEN&size=200", this.viewerKey)
			.items()
			.stream()
			.filter((item) -> key.equals(item.get("key")))
			.findFirst()
			.orElseThrow()
			.get("id");
	}

	private Job job(ProcessInstance instance) {
		return this.managementService.createJobQuery().processInstanceId(instance.getId()).singleResult();
	}

	private static String uniqueKey() {
		return "REST_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase();
	}

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

}
