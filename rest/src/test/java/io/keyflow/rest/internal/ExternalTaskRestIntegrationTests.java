package io.keyflow.rest.internal;

import java.net.URI;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.keyflow.api.CredentialType;
import io.keyflow.api.UsagePolicy;
import io.keyflow.externaltask.KeyflowCredentials;
import io.keyflow.externaltask.KeyflowExchangeException;
import io.keyflow.externaltask.TaskCredential;
import io.keyflow.plugin.CredentialDraft;
import io.keyflow.plugin.CredentialService;
import io.keyflow.plugin.LeakScanner;
import org.camunda.bpm.client.ExternalTaskClient;
import org.camunda.bpm.client.task.ExternalTask;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 12 over real HTTP: a worker built on Camunda's official Java external task client fetches and locks a task
 * from the engine's {@code /engine-rest}, exchanges it with a {@code worker} key at
 * {@code POST /api/credentials/external-tasks/{id}/credential} (through {@link KeyflowCredentials}) and completes it.
 * After completion, after the lock expired (engine clock moved with {@link ClockUtil}), for another worker id, with a
 * non-worker key and with a worker key of another tenant the exchange is refused with its code; a worker key can do
 * nothing else. Every exchange is audited; no secret reaches a log, the audit trail or a table.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExternalTaskRestIntegrationTests extends RestTestSupport {

	static final String TOPIC = "keyflow-external";

	static final String PATH = "/api/credentials/external-tasks/%s/credential";

	@Autowired
	RuntimeService runtimeService;

	@Autowired
	RepositoryService repositoryService;

	@Autowired
	HistoryService historyService;

	@Autowired
	CredentialService credentials;

	@Autowired
	ProcessEngine processEngine;

	String workerKey;

	String tenantWorkerKey;

	String businessKey;

	@BeforeEach
	void deployAndIssueWorkerKeys() {
		this.repositoryService.createDeployment().addClasspathResource("bpmn/external-task.bpmn").deploy();
		this.repositoryService.createDeployment().addClasspathResource("bpmn/external-task.bpmn").tenantId("tenant-b")
			.deploy();
		this.workerKey = issue("worker", null);
		this.tenantWorkerKey = issue("worker", "tenant-b");
		this.businessKey = "bk-" + UUID.randomUUID();
	}

	@AfterEach
	void resetClock() {
		ClockUtil.reset();
	}

	@Test
	void officialClientWhenItFetchesExchangesAndCompletesThenTheTaskRanWithItsCredentialAndTheExchangeIsAudited()
			throws Exception {
		String secret = storeApiKey(null, "EXTERNAL_KEY", false);
		ProcessInstance instance = start(null);
		KeyflowCredentials keyflow = KeyflowCredentials.of(URI.create("http://127.0.0.1:" + this.port), this.workerKey,
				"worker-a");
		BlockingQueue<Object> outcomes = new LinkedBlockingQueue<>();
		ExternalTaskClient client = client("worker-a");
		try {
			client.subscribe(TOPIC).businessKey(this.businessKey).handler((task, service) -> {
				try {
					TaskCredential credential = keyflow.forTask(task);
					service.complete(task);
					outcomes.add(task);
					outcomes.add(credential);
				}
				catch (RuntimeException ex) {
					outcomes.add(ex);
				}
			}).open();
			Object first = outcomes.poll(30, TimeUnit.SECONDS);
			assertThat(first).as("the worker's outcome").isInstanceOf(ExternalTask.class);
			ExternalTask task = (ExternalTask) first;
			TaskCredential credential = (TaskCredential) outcomes.poll(5, TimeUnit.SECONDS);

			assertThat(credential.type()).isEqualTo("api_key");
			assertThat(credential.apiKey()).contains(secret);
			assertThat(credential.authorizationHeader()).isEqualTo("Bearer " + secret);
			assertThat(credential.key()).contains("EXTERNAL_KEY");
			assertThat(credential.toString()).doesNotContain(secret).contains(task.getId());
			assertThat(keyflow.toString()).doesNotContain(this.workerKey);
			assertThat(this.historyService.createHistoricProcessInstanceQuery().processInstanceId(instance.getId())
				.finished()
				.count()).isOne();

			assertThatThrownBy(() -> keyflow.forTask(task)).isInstanceOfSatisfying(KeyflowExchangeException.class,
					(refused) -> assertThat(refused.getCode()).isEqualTo("TASK_NOT_LOCKED"));
			List<Map<String, Object>> audit = new JdbcTemplate(this.dataSource).queryForList(
					"select ACTOR_ID_, CREDENTIAL_ID_, CREDENTIAL_KEY_, SUBJECT_, OUTCOME_, ERROR_CODE_ from KEYFLOW_AUDIT "
							+ "where ACTION_ = ? and SUBJECT_ like ? order by AT_",
					ExternalTaskController.ACTION, "%" + task.getId() + "%");
			assertThat(audit).hasSize(2);
			assertThat(audit.get(0)).containsEntry("CREDENTIAL_ID_", credential.credentialId())
				.containsEntry("CREDENTIAL_KEY_", "EXTERNAL_KEY")
				.containsEntry("OUTCOME_", "success")
				.containsEntry("SUBJECT_", "external task " + task.getId() + " of process instance " + instance.getId()
						+ " for worker 'worker-a'");
			assertThat((String) audit.get(0).get("ACTOR_ID_")).isNotBlank().doesNotContain(this.workerKey);
			assertThat(audit).extracting((row) -> row.get("ERROR_CODE_")).containsOnly(null, "TASK_NOT_LOCKED");
		}
		finally {
			client.stop();
		}
	}

	@Test
	void exchangeWhenTheLockExpiredAnotherWorkerAsksOrTheKeyIsNoWorkerOfTheTasksTenantThenRefusedWithItsCode() {
		storeApiKey(null, "EXTERNAL_KEY", false);
		start(null);
		ExternalTask task = lockWithTheOfficialClient("worker-a");
		String path = String.format(PATH, task.getId());
		Map<String, Object> asWorkerA = Map.of("workerId", "worker-a");

		assertProblem(this.http.post(path, this.workerKey, Map.of("workerId", "worker-b")), 403, "LOCK_NOT_OWNED");
		for (String notAWorker : new String[] { ADMIN_KEY, this.editorKey, this.viewerKey, this.tenantAdminKey }) {
			assertProblem(this.http.post(path, notAWorker, asWorkerA), 403, "FORBIDDEN");
		}
		assertProblem(this.http.post(path, this.tenantWorkerKey, asWorkerA), 404, "NOT_FOUND");
		assertProblem(this.http.post(path, null, asWorkerA), 401, "UNAUTHORIZED");
		assertProblem(this.http.post(String.format(PATH, "no-such-task"), this.workerKey, asWorkerA), 404, "NOT_FOUND");
		assertProblem(this.http.post(path, this.workerKey, Map.of()), 400, "BAD_REQUEST");
		assertProblem(this.http.post(path, this.workerKey, Map.of("workerId", "worker-a", "tenantId", "x")), 400,
				"BAD_REQUEST");
		RestClient.Response answered = this.http.post(path, this.workerKey, asWorkerA);
		assertThat(answered.status()).as(answered.toString()).isEqualTo(200);
		assertThat(answered.header("Cache-Control")).isEqualTo("no-store");
		assertThat(answered.json()).containsKeys("type", "apiKey", "authorizationHeader", "tokenExpiresAt",
				"credentialId", "key", "provider", "principalId");

		ClockUtil.setCurrentTime(new Date(task.getLockExpirationTime().getTime() + 1_000));

		assertProblem(this.http.post(path, this.workerKey, asWorkerA), 409, "TASK_NOT_LOCKED");
	}

	@Test
	void exchangeWhenTheCredentialIsSealedOrMissingThenRefusedWithTheIncidentsExplanation() {
		storeApiKey(null, "EXTERNAL_KEY", true);
		start(null);
		ExternalTask sealedTask = lockWithTheOfficialClient("worker-a");
		assertProblem(this.http.post(String.format(PATH, sealedTask.getId()), this.workerKey,
				Map.of("workerId", "worker-a")), 403, "CREDENTIAL_SEALED");

		// a tenant of its own, where no test stores EXTERNAL_KEY
		String tenant = "tenant-" + UUID.randomUUID().toString().substring(0, 8);
		this.repositoryService.createDeployment().addClasspathResource("bpmn/external-task.bpmn").tenantId(tenant)
			.deploy();
		this.businessKey = "bk-" + UUID.randomUUID();
		start(tenant);
		ExternalTask missingTask = lockWithTheOfficialClient("worker-a");
		RestClient.Response missing = this.http.post(String.format(PATH, missingTask.getId()), issue("worker", tenant),
				Map.of("workerId", "worker-a"));
		assertProblem(missing, 422, "CREDENTIAL_MISSING");
		assertThat((String) missing.json().get("detail"))
			.startsWith("Task 'Call the API' (activity callApi, process definition external-keyed:")
			.contains("none is usable in tenant '" + tenant + "' (key 'EXTERNAL_KEY'): key 'EXTERNAL_KEY': not found");
	}

	@Test
	void exchangeWhenATenantBoundWorkerKeyServesItsTenantThenItGetsTheTenantsCredentialAndTheUnboundKeyDoesNot() {
		String secret = storeApiKey("tenant-b", "EXTERNAL_KEY", false);
		start("tenant-b");
		ExternalTask task = lockWithTheOfficialClient("worker-a");

		TaskCredential credential = KeyflowCredentials
			.of(URI.create("http://127.0.0.1:" + this.port), this.tenantWorkerKey, "worker-a")
			.forTask(task);

		assertThat(credential.apiKey()).contains(secret);
		assertThatThrownBy(() -> KeyflowCredentials
			.of(URI.create("http://127.0.0.1:" + this.port), this.workerKey, "worker-a")
			.forTask(task)).isInstanceOfSatisfying(KeyflowExchangeException.class,
					(refused) -> assertThat(refused.getStatus()).isEqualTo(404));
	}

	@Test
	void workerKeyWhenUsedForAnythingButTheExchangeThenForbidden() {
		String id = (String) this.http.post("/api/credentials", this.editorKey,
				Map.of("key", "W_" + UUID.randomUUID().toString().substring(0, 8), "type", "api_key", "apiKey",
						secret("worker-probe")))
			.json()
			.get("id");

		assertProblem(this.http.get("/api/credentials", this.workerKey), 403, "FORBIDDEN");
		assertProblem(this.http.get("/api/credentials/" + id, this.workerKey), 403, "FORBIDDEN");
		assertProblem(this.http.post("/api/credentials/" + id + "/reveal", this.workerKey, Map.of()), 403, "FORBIDDEN");
		assertProblem(this.http.post("/api/credentials", this.workerKey, Map.of("key", "X", "type", "api_key",
				"apiKey", "x")), 403, "FORBIDDEN");
		assertProblem(this.http.delete("/api/credentials/" + id, this.workerKey), 403, "FORBIDDEN");
		assertProblem(this.http.get("/api/credentials/api-keys", this.workerKey), 403, "FORBIDDEN");
		assertProblem(this.http.get("/api/credentials/audit", this.workerKey), 403, "FORBIDDEN");
		assertProblem(this.http.get("/api/credentials/oauth2/providers", this.workerKey), 403, "FORBIDDEN");
		assertProblem(this.http.get("/api/credentials/me/connections", this.workerKey), 403, "FORBIDDEN");
	}

	// after every test of the class, whatever their order
	@AfterAll
	void leakScanWhenClassRanThenNoSecretInLogAuditOrTables() throws Exception {
		assertThat(SECRETS).hasSizeGreaterThan(5);
		assertThat(LeakScanner.scanDatabase(this.dataSource, SECRETS)).isEmpty();
		assertThat(LeakScanner.scanText("log", log.text(), SECRETS)).isEmpty();
		for (String body : RestClient.scannable) {
			assertThat(LeakScanner.scanText("response", body, SECRETS)).isEmpty();
		}
	}

	private String storeApiKey(String tenant, String key, boolean sealed) {
		String secret = secret("external");
		this.credentials.save(CredentialDraft.builder(CredentialType.API_KEY).tenantId(tenant).key(key)
			.provider("external-api")
			// tests share the tenant-less EXTERNAL_KEY: name the whole policy, so an upsert replaces it
			.policy(new UsagePolicy(Set.of(), Set.of(), sealed))
			.secrets(Map.of("apiKey", secret))
			.build());
		return secret;
	}

	private ProcessInstance start(String tenant) {
		var builder = this.runtimeService.createProcessInstanceByKey("external-keyed").businessKey(this.businessKey);
		return ((tenant != null) ? builder.processDefinitionTenantId(tenant) : builder.processDefinitionWithoutTenantId())
			.execute();
	}

	private ExternalTaskClient client(String workerId) {
		return ExternalTaskClient.create()
			// the test engines have unique names, so the client names its engine
			.baseUrl("http://127.0.0.1:" + this.port + "/engine-rest/engine/" + this.processEngine.getName())
			.workerId(workerId)
			.maxTasks(1)
			.lockDuration(60_000)
			.asyncResponseTimeout(1_000)
			.build();
	}

	/**
	 * Fetches and locks this test's task with the official client, then stops the client so it does not fetch the
	 * task again once the test moves the engine's clock past the lock.
	 */
	private ExternalTask lockWithTheOfficialClient(String workerId) {
		BlockingQueue<ExternalTask> locked = new LinkedBlockingQueue<>();
		ExternalTaskClient client = client(workerId);
		try {
			client.subscribe(TOPIC).businessKey(this.businessKey).handler((task, service) -> locked.add(task)).open();
			ExternalTask task = locked.poll(30, TimeUnit.SECONDS);
			assertThat(task).as("a task fetched and locked by the official client").isNotNull();
			return task;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		finally {
			client.stop();
		}
	}

}
