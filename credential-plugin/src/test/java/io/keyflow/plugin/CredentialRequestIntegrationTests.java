package io.keyflow.plugin;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.keyflow.api.CredentialConflictException;
import io.keyflow.api.CredentialInfo;
import io.keyflow.api.CredentialQuery;
import io.keyflow.api.CredentialType;
import io.keyflow.api.InvalidCredentialException;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Credential requests on a real engine (H2, history full, jobs driven through the management service as the job
 * executor would run them): a missing required credential raises one request however many jobs wait, fulfilling
 * it stores the credential and resumes every job with no manual retry, atomically; rejection, refused drafts and
 * racing fulfilments. The leak scan reads the request tables too.
 */
@SpringBootTest(classes = KeyflowTestApplication.class, properties = "keyflow.public-url=https://camunda.example.com/")
@ExtendWith(LeakScan.class)
class CredentialRequestIntegrationTests {

	private LeakScan.Secrets secrets;

	@Autowired
	RuntimeService runtimeService;

	@Autowired
	RepositoryService repositoryService;

	@Autowired
	ManagementService managementService;

	@Autowired
	HistoryService historyService;

	@Autowired
	CredentialService credentials;

	@Autowired
	CredentialRequestService requests;

	@BeforeEach
	void secrets(LeakScan.Secrets secrets) {
		this.secrets = secrets;
		RecordingActions.reset();
		if (this.repositoryService.createProcessDefinitionQuery().processDefinitionKey("request-required").count() == 0) {
			this.repositoryService.createDeployment().addClasspathResource("bpmn/request-required.bpmn").deploy();
		}
	}

	@Test
	void threeInstancesMissingOneCredentialThenOneRequestAndFulfilmentResumesAllThree() {
		String key = uniqueKey();
		List<ProcessInstance> instances = List.of(start(key), start(key), start(key));
		List<String> jobIds = instances.stream().map(this::job).map(Job::getId).sorted().toList();

		instances.forEach(this::failUntilIncident);

		List<CredentialRequest> open = requestsFor(key);
		assertThat(open).hasSize(1);
		CredentialRequest request = open.get(0);
		assertThat(request.status()).isEqualTo(CredentialRequest.Status.OPEN);
		assertThat(request.kind()).isEqualTo(CredentialRequest.Kind.MISSING);
		assertThat(request.key()).isEqualTo(key);
		assertThat(request.acceptedTypes()).containsExactly(CredentialType.API_KEY);
		assertThat(request.processDefinitionKey()).isEqualTo("request-required");
		assertThat(request.activityId()).isEqualTo("callPartner");
		assertThat(request.description()).isEqualTo("The partner API key of the order service");
		assertThat(request.obtain()).isEqualTo("Ask the partner desk for a key with read access");
		// the links are the real failed jobs, each once however often it failed
		assertThat(request.jobIds()).containsExactlyInAnyOrderElementsOf(jobIds);
		List<Incident> incidents = incidents(instances);
		assertThat(incidents).hasSize(3);
		assertThat(this.requests.incidentIds(request)).containsExactlyInAnyOrderElementsOf(
				incidents.stream().map(Incident::getId).toList());
		assertThat(incidents).allSatisfy((incident) -> assertThat(incident.getIncidentMessage())
			.contains("(key '" + key + "')")
			.endsWith("Keyflow credential request " + request.id()
					+ ": fulfil it at https://camunda.example.com/keyflow/#requests/" + request.id()
					+ " (the job resumes by itself once it is fulfilled)."));

		String secret = this.secrets.fresh("partner-key");
		long before = ClockUtil.getCurrentTime().getTime();
		CredentialRequestService.Fulfilment fulfilment = this.requests.fulfil(request.id(), apiKey(key, secret), "tester");
		long after = ClockUtil.getCurrentTime().getTime();

		assertThat(fulfilment.resumedJobIds()).containsExactlyElementsOf(jobIds);
		assertThat(incidents(instances)).isEmpty();
		assertThat(this.requests.get(request.id()).orElseThrow().status()).isEqualTo(CredentialRequest.Status.FULFILLED);
		assertThat(this.requests.get(request.id()).orElseThrow().resolvedBy()).isEqualTo("tester");
		for (ProcessInstance instance : instances) {
			Job job = job(instance);
			// what the job executor acquires: retries left, due once every node's resolution cache (TTL 5s) has
			// forgotten its "not found"
			assertThat(job.getRetries()).isEqualTo(3);
			assertThat(job.getDuedate()).isBetween(new Date(before + 4_000), new Date(after + 5_000));
			this.managementService.executeJob(job.getId());
			assertThat(ended(instance)).isTrue();
			assertThat(RecordingActions.SEEN).containsEntry(instance.getId(), secret);
		}
	}

	@Test
	void rejectWhenReasonGivenThenIncidentsStayAndRequestIsClosed() {
		String key = uniqueKey();
		ProcessInstance instance = start(key);
		failUntilIncident(instance);
		CredentialRequest request = requestsFor(key).get(0);

		CredentialRequest rejected = this.requests.reject(request.id(), "the partner contract ended", "tester");

		assertThat(rejected.status()).isEqualTo(CredentialRequest.Status.REJECTED);
		assertThat(rejected.reason()).isEqualTo("the partner contract ended");
		assertThat(incidents(List.of(instance))).hasSize(1);
		assertThat(job(instance).getRetries()).isZero();
		assertThatThrownBy(() -> this.requests.fulfil(request.id(), apiKey(key, this.secrets.fresh("late")), "tester"))
			.isInstanceOf(CredentialConflictException.class)
			.hasMessage("credential request " + request.id() + " is REJECTED, not OPEN; nothing was stored");
		assertThat(stored(key)).isEmpty();
		// the next failure opens a new request
		this.managementService.setJobRetries(job(instance).getId(), 1);
		assertThatThrownBy(() -> this.managementService.executeJob(job(instance).getId()));
		assertThat(requestsFor(key)).hasSize(2).first().satisfies((newest) -> {
			assertThat(newest.status()).isEqualTo(CredentialRequest.Status.OPEN);
			assertThat(newest.id()).isNotEqualTo(request.id());
		});
	}

	@Test
	void fulfilWhenDraftIsNotWhatWasRequestedThenRefusedAndNothingStored() {
		String key = uniqueKey();
		ProcessInstance instance = start(key);
		failUntilIncident(instance);
		String requestId = requestsFor(key).get(0).id();

		assertThatThrownBy(() -> this.requests.fulfil(requestId, apiKey("OTHER_" + key, this.secrets.fresh("other")), "tester"))
			.isInstanceOf(InvalidCredentialException.class)
			.hasMessage("key must be '" + key + "', as the credential request asks; nothing was stored");
		assertThatThrownBy(() -> this.requests.fulfil(requestId, CredentialDraft.builder(CredentialType.BASIC)
			.key(key)
			.secret("username", "u")
			.secret("password", this.secrets.fresh("basic"))
			.build(), "tester")).isInstanceOf(InvalidCredentialException.class)
			.hasMessage("credential request " + requestId + " accepts types [api_key]; nothing was stored");
		assertThatThrownBy(() -> this.requests.fulfil(requestId, CredentialDraft.builder(CredentialType.API_KEY)
			.key(key)
			.principalId("mallory")
			.provider("partner")
			.secret("apiKey", this.secrets.fresh("mallory"))
			.build(), "tester")).isInstanceOf(InvalidCredentialException.class)
			.hasMessage("principalId must be absent, as the credential request asks; nothing was stored");

		assertThat(stored(key)).isEmpty();
		assertThat(stored("OTHER_" + key)).isEmpty();
		assertThat(this.requests.get(requestId).orElseThrow().status()).isEqualTo(CredentialRequest.Status.OPEN);
		assertThat(incidents(List.of(instance))).hasSize(1);
	}

	@Test
	void fulfilWhenStoringFailsAfterJobsWereResumedThenBothRollBack() {
		String key = uniqueKey();
		ProcessInstance instance = start(key);
		failUntilIncident(instance);
		String requestId = requestsFor(key).get(0).id();
		// matches the request, but the store refuses it: the request is claimed and the jobs resumed before the
		// credential is stored, so the store's refusal must undo both
		CredentialDraft tooLarge = CredentialDraft.builder(CredentialType.API_KEY)
			.key(key)
			.secret("apiKey", "x".repeat(CredentialService.MAX_SECRET_BYTES + 1))
			.build();

		assertThatThrownBy(() -> this.requests.fulfil(requestId, tooLarge, "tester"))
			.isInstanceOf(InvalidCredentialException.class)
			.hasMessageContaining("secret part apiKey must be at most");

		assertThat(stored(key)).isEmpty();
		assertThat(this.requests.get(requestId).orElseThrow().status()).isEqualTo(CredentialRequest.Status.OPEN);
		assertThat(job(instance).getRetries()).isZero();
		assertThat(incidents(List.of(instance))).hasSize(1);
		// and the request can still be fulfilled
		String secret = this.secrets.fresh("after-rollback");
		this.requests.fulfil(requestId, apiKey(key, secret), "tester");
		this.managementService.executeJob(job(instance).getId());
		assertThat(RecordingActions.SEEN).containsEntry(instance.getId(), secret);
	}

	@Test
	void twoFulfilmentsRacingThenOneWinsAndTheOtherIsAConflict() throws Exception {
		String key = uniqueKey();
		ProcessInstance instance = start(key);
		failUntilIncident(instance);
		String requestId = requestsFor(key).get(0).id();
		String first = this.secrets.fresh("first");
		String second = this.secrets.fresh("second");
		CountDownLatch go = new CountDownLatch(1);
		ExecutorService pool = Executors.newFixedThreadPool(2);
		try {
			List<Future<String>> outcomes = new ArrayList<>();
			for (String secret : List.of(first, second)) {
				outcomes.add(pool.submit(() -> {
					go.await();
					try {
						this.requests.fulfil(requestId, apiKey(key, secret), "tester");
						return secret;
					}
					catch (CredentialConflictException ex) {
						return "409";
					}
				}));
			}
			go.countDown();
			List<String> results = new ArrayList<>();
			for (Future<String> outcome : outcomes) {
				results.add(outcome.get(30, TimeUnit.SECONDS));
			}

			assertThat(results).containsOnlyOnce("409");
			String winner = results.get(0).equals("409") ? results.get(1) : results.get(0);
			this.managementService.executeJob(job(instance).getId());
			assertThat(RecordingActions.SEEN).containsEntry(instance.getId(), winner);
			assertThat(stored(key)).hasSize(1);
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void synchronousTaskWhenCredentialMissingThenRequestWithoutJob() {
		if (this.repositoryService.createProcessDefinitionQuery().processDefinitionKey("explicit-key").count() == 0) {
			this.repositoryService.createDeployment().addClasspathResource("bpmn/explicit-key.bpmn").deploy();
		}
		String key = uniqueKey();

		assertThatThrownBy(() -> this.runtimeService.createProcessInstanceByKey("explicit-key")
			.setVariable("tenantKey", key)
			.execute()).hasMessageContaining("Keyflow credential request ");

		assertThat(requestsFor(key)).singleElement().satisfies((request) -> {
			assertThat(request.activityId()).isEqualTo("useKey");
			assertThat(request.jobIds()).isEmpty();
			assertThat(request.status()).isEqualTo(CredentialRequest.Status.OPEN);
		});
	}

	@Test
	void getWhenUnknownThenEmptyAndFulfilNamesIt() {
		assertThat(this.requests.get("no-such-request")).isEmpty();
		assertThatThrownBy(() -> this.requests.fulfil("no-such-request", apiKey("NOPE", "x"), "tester"))
			.hasMessage("no credential request no-such-request");
	}

	private String uniqueKey() {
		return "PARTNER_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase();
	}

	private ProcessInstance start(String key) {
		return this.runtimeService.startProcessInstanceByKey("request-required", Map.of("wantedKey", key));
	}

	private Job job(ProcessInstance instance) {
		return this.managementService.createJobQuery().processInstanceId(instance.getId()).singleResult();
	}

	private void failUntilIncident(ProcessInstance instance) {
		for (int attempt = 0; attempt < 3; attempt++) {
			String jobId = job(instance).getId();
			assertThatThrownBy(() -> this.managementService.executeJob(jobId))
				.hasMessageContaining("requires a credential");
		}
	}

	private List<Incident> incidents(List<ProcessInstance> instances) {
		return instances.stream()
			.flatMap((instance) -> this.runtimeService.createIncidentQuery()
				.processInstanceId(instance.getId())
				.list()
				.stream())
			.toList();
	}

	private List<CredentialRequest> requestsFor(String key) {
		return this.requests.list(null, null, null, null, 0, 1000)
			.stream()
			.filter((request) -> key.equals(request.key()))
			.toList();
	}

	private List<CredentialInfo> stored(String key) {
		return this.credentials.list(new CredentialQuery(null, null, null, null, key, 0, 10));
	}

	private boolean ended(ProcessInstance instance) {
		return this.historyService.createHistoricProcessInstanceQuery()
			.processInstanceId(instance.getId())
			.finished()
			.count() == 1;
	}

	private static CredentialDraft apiKey(String key, String secret) {
		return CredentialDraft.builder(CredentialType.API_KEY).key(key).secret("apiKey", secret).build();
	}

}
