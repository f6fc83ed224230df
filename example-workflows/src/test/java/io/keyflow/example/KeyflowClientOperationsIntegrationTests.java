package io.keyflow.example;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.keyflow.api.CredentialChangedException;
import io.keyflow.api.CredentialConflictException;
import io.keyflow.api.CredentialType;
import io.keyflow.api.ExternalTaskLockNotOwnedException;
import io.keyflow.api.ExternalTaskNotFoundException;
import io.keyflow.api.ExternalTaskNotLockedException;
import io.keyflow.client.CredentialDetails;
import io.keyflow.client.CredentialRequestDetails;
import io.keyflow.client.CredentialRequests;
import io.keyflow.client.ExternalTaskCredential;
import io.keyflow.client.KeyOperation;
import io.keyflow.client.KeyflowClient;
import io.keyflow.client.KeyflowClientException;
import io.keyflow.client.KeyringStatus;
import io.keyflow.client.NewCredential;
import io.keyflow.client.SavedCredential;
import io.keyflow.plugin.LeakScan;
import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.externaltask.LockedExternalTask;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The Java client's operations calls against the example application over real HTTP: credential requests opened by
 * a real failing job, listed and fulfilled (the job resumed) or rejected; the keyring's status and a background
 * re-encryption run to DONE; a save with a stale {@code If-Match}; the external-task exchange for a worker key, with
 * each refusal as its plugin-api exception. The database and log are scanned for every secret afterwards.
 */
@ExtendWith(LeakScan.class)
class KeyflowClientOperationsIntegrationTests extends ClientTestApplication {

	static final Duration PATIENCE = Duration.ofSeconds(60);

	static final String PROCESS = "client-operations";

	static final String EXTERNAL_TOPIC = "client-exchange";

	static final String EXTERNAL_KEY = "CLIENT_EXCHANGE_API_KEY";

	// a task that needs the API key named by the variable wantedKey; its job fails while the key is missing
	static final String BPMN = """
			<?xml version="1.0" encoding="UTF-8"?>
			<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
			    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="client-operations-defs"
			    targetNamespace="http://keyflow.io/test">
			  <bpmn:process id="client-operations" isExecutable="true" camunda:historyTimeToLive="P1D">
			    <bpmn:startEvent id="start"/>
			    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="callPartner"/>
			    <bpmn:serviceTask id="callPartner" name="Call partner API" camunda:asyncBefore="true"
			        camunda:expression="${credential.apiKey.length() > 0}">
			      <bpmn:extensionElements>
			        <camunda:properties>
			          <camunda:property name="credential.key" value="${wantedKey}"/>
			          <camunda:property name="credential.types" value="api_key"/>
			          <camunda:property name="credential.description" value="The partner API key"/>
			        </camunda:properties>
			      </bpmn:extensionElements>
			    </bpmn:serviceTask>
			    <bpmn:sequenceFlow id="f2" sourceRef="callPartner" targetRef="end"/>
			    <bpmn:endEvent id="end"/>
			  </bpmn:process>
			  <bpmn:process id="client-exchange" isExecutable="true" camunda:historyTimeToLive="P1D">
			    <bpmn:startEvent id="xstart"/>
			    <bpmn:sequenceFlow id="x1" sourceRef="xstart" targetRef="callApi"/>
			    <bpmn:serviceTask id="callApi" name="Call the API" camunda:type="external" camunda:topic="client-exchange">
			      <bpmn:extensionElements>
			        <camunda:properties>
			          <camunda:property name="credential.key" value="CLIENT_EXCHANGE_API_KEY"/>
			        </camunda:properties>
			      </bpmn:extensionElements>
			    </bpmn:serviceTask>
			    <bpmn:sequenceFlow id="x2" sourceRef="callApi" targetRef="xend"/>
			    <bpmn:endEvent id="xend"/>
			  </bpmn:process>
			</bpmn:definitions>
			""";

	@Autowired
	RepositoryService repositoryService;

	@Autowired
	RuntimeService runtimeService;

	@Autowired
	ManagementService managementService;

	@Autowired
	ExternalTaskService externalTaskService;

	@Autowired
	HistoryService historyService;

	LeakScan.Secrets secrets;

	KeyflowClient admin;

	KeyflowClient editor;

	KeyflowClient viewer;

	@BeforeEach
	void clients(LeakScan.Secrets secrets) {
		this.secrets = secrets;
		secrets.add(ADMIN_KEY);
		this.admin = client(ADMIN_KEY);
		this.editor = client(secrets.add(issue("editor")));
		this.viewer = client(secrets.add(issue("viewer")));
		deploy(this.repositoryService);
	}

	/** Deploys this class's processes, unless another test class of the shared application has. */
	static synchronized void deploy(RepositoryService repositoryService) {
		if (repositoryService.createProcessDefinitionQuery().processDefinitionKey(PROCESS).count() == 0) {
			repositoryService.createDeployment().addString("client-operations.bpmn", BPMN).deploy();
		}
	}

	@Test
	void requestsWhenAJobMissesItsKeyThenListedAndFulfilledResumesTheJob() {
		String key = unique("CLIENT_REQUESTED");
		String instance = failing(key);
		CredentialRequestDetails request = openRequest(key);
		String job = this.managementService.createJobQuery().processInstanceId(instance).singleResult().getId();

		assertThat(request.status()).isEqualTo(CredentialRequestDetails.Status.OPEN);
		assertThat(request.kind()).isEqualTo("MISSING");
		assertThat(request.types()).containsExactly("api_key");
		assertThat(request.description()).isEqualTo("The partner API key");
		assertThat(request.activityId()).isEqualTo("callPartner");
		assertThat(request.jobIds()).containsExactly(job);
		assertThat(request.incidentIds()).hasSize(1);
		assertThat(this.viewer.requests().get(request.id())).contains(request);
		assertThat(this.viewer.requests().get("no-such-request")).isEmpty();

		String secret = this.secrets.fresh("requested");
		CredentialRequests.Fulfilment fulfilment = this.editor.requests()
			.fulfil(request.id(), NewCredential.apiKey(key, secret).build());

		assertThat(fulfilment.resumedJobIds()).containsExactly(job);
		assertThat(fulfilment.request().status()).isEqualTo(CredentialRequestDetails.Status.FULFILLED);
		assertThat(fulfilment.credential().key()).isEqualTo(key);
		assertThat(fulfilment.toString()).doesNotContain(secret);
		assertThat(this.viewer.requests().get(request.id()).orElseThrow().incidentIds()).isEmpty();
		// the job executor runs the resumed job (due after the resolution cache's TTL): the task gets its key
		await().atMost(PATIENCE).until(() -> this.historyService.createHistoricProcessInstanceQuery()
			.processInstanceId(instance).finished().count() == 1);
		assertThat(this.viewer.requests().list(CredentialRequestDetails.Status.FULFILLED, null, null, 0, 200).items())
			.extracting(CredentialRequestDetails::id).contains(request.id());
		assertThat(this.viewer.requests().listOpen().items()).extracting(CredentialRequestDetails::id)
			.doesNotContain(request.id());

		// a second fulfilment: REQUEST_NOT_OPEN as a conflict, nothing stored
		assertThatExceptionOfType(CredentialConflictException.class)
			.isThrownBy(() -> this.editor.requests()
				.fulfil(request.id(), NewCredential.apiKey(key, this.secrets.fresh("late")).build()))
			.satisfies((ex) -> assertThat(KeyflowClientException.of(ex).getCode()).isEqualTo("REQUEST_NOT_OPEN"));
	}

	@Test
	void requestsWhenRejectedThenRejectedWithTheReasonAndTheJobKeepsItsIncident() {
		String key = unique("CLIENT_REJECTED");
		String instance = failing(key);
		CredentialRequestDetails request = openRequest(key);

		CredentialRequestDetails rejected = this.editor.requests().reject(request.id(), "no partner contract yet");

		assertThat(rejected.status()).isEqualTo(CredentialRequestDetails.Status.REJECTED);
		assertThat(rejected.reason()).isEqualTo("no partner contract yet");
		assertThat(this.managementService.createJobQuery().processInstanceId(instance).singleResult().getRetries())
			.isZero();
		assertThatExceptionOfType(CredentialConflictException.class)
			.isThrownBy(() -> this.editor.requests().reject(request.id(), "again"));
	}

	@Test
	void keysWhenAdminThenPrimaryKeyNamedAndReEncryptionRunsToDone() {
		this.editor.credentials().save(NewCredential.staticValue(unique("CLIENT_KEYS"), this.secrets.fresh("keys")).build());

		KeyringStatus status = this.admin.keys().status();

		assertThat(status.primary()).isNotNull();
		assertThat(status.primary().inKeyring()).isTrue();
		assertThat(status.primary().credentials()).isPositive();
		assertThat(status.keys()).extracting(KeyringStatus.EncryptionKey::id).contains(status.primary().id());

		KeyOperation started = this.admin.keys().reEncrypt();
		assertThat(started.operation()).isEqualTo("re-encrypt");
		KeyOperation ended = await().atMost(PATIENCE)
			.until(() -> this.admin.keys().reEncryption().orElseThrow(), (progress) -> !progress.running());
		assertThat(ended.state()).as(String.valueOf(ended.error())).isEqualTo("DONE");
		assertThat(ended.remaining()).isZero();
		assertThat(this.admin.keys().status().reEncryption().done()).isTrue();

		assertThat(KeyflowClientException.of(org.assertj.core.api.Assertions
			.catchThrowable(() -> this.editor.keys().status())).getStatus()).isEqualTo(403);
	}

	@Test
	void saveWhenIfMatchIsStaleThenCredentialChangedAndNothingStored() {
		String key = unique("CLIENT_IF_MATCH");
		SavedCredential saved = this.editor.credentials().save(NewCredential.apiKey(key, this.secrets.fresh("v1")).build());
		CredentialDetails read = this.editor.credentials().get(saved.credential().id()).orElseThrow();
		assertThat(read.etag()).isNotBlank();

		String second = this.secrets.fresh("v2");
		SavedCredential replaced = this.editor.credentials().save(NewCredential.apiKey(key, second).build(), read.etag());
		assertThat(replaced.created()).isFalse();

		assertThatExceptionOfType(CredentialChangedException.class)
			.isThrownBy(() -> this.editor.credentials()
				.save(NewCredential.apiKey(key, this.secrets.fresh("v3")).build(), read.etag()))
			.satisfies((ex) -> {
				assertThat(KeyflowClientException.of(ex).getStatus()).isEqualTo(412);
				assertThat(KeyflowClientException.of(ex).getCode()).isEqualTo("PRECONDITION_FAILED");
			});
		assertThat(this.admin.credentials().reveal(read.id()).secret("apiKey")).isEqualTo(second);
		assertThat(this.editor.credentials().get(read.id()).orElseThrow().etag()).isNotEqualTo(read.etag());
	}

	@Test
	void exchangeWhenWorkerHoldsTheLockThenCredentialElseTheTypedRefusal() {
		String secret = this.secrets.fresh("exchanged");
		this.editor.credentials().save(NewCredential.apiKey(EXTERNAL_KEY, secret).build());
		KeyflowClient worker = client(this.secrets.add(issue("worker")));
		String businessKey = unique("exchange");
		String instance = this.runtimeService.startProcessInstanceByKey(EXTERNAL_TOPIC, businessKey).getId();
		String task = this.externalTaskService.createExternalTaskQuery().processInstanceId(instance).singleResult()
			.getId();

		assertThatExceptionOfType(ExternalTaskNotLockedException.class)
			.isThrownBy(() -> worker.externalTasks().exchange(task, "worker-1"))
			.satisfies((ex) -> assertThat(KeyflowClientException.of(ex).getStatus()).isEqualTo(409));
		assertThatExceptionOfType(ExternalTaskNotFoundException.class)
			.isThrownBy(() -> worker.externalTasks().exchange("no-such-task", "worker-1"))
			.satisfies((ex) -> assertThat(ex.getExternalTaskId()).isEqualTo("no-such-task"));

		List<LockedExternalTask> locked = this.externalTaskService.fetchAndLock(1, "worker-1")
			.topic(EXTERNAL_TOPIC, 60_000)
			.businessKey(businessKey)
			.execute();
		assertThat(locked).extracting(LockedExternalTask::getId).containsExactly(task);

		ExternalTaskCredential credential = worker.externalTasks().exchange(task, "worker-1");

		assertThat(credential.type()).isEqualTo(CredentialType.API_KEY);
		assertThat(credential.secret("apiKey")).isEqualTo(secret);
		assertThat(credential.key()).isEqualTo(EXTERNAL_KEY);
		assertThat(credential.toString()).contains(task, EXTERNAL_KEY).doesNotContain(secret);
		assertThatExceptionOfType(ExternalTaskLockNotOwnedException.class)
			.isThrownBy(() -> worker.externalTasks().exchange(task, "worker-2"));
		assertThat(KeyflowClientException.of(org.assertj.core.api.Assertions
			.catchThrowable(() -> this.editor.externalTasks().exchange(task, "worker-1"))).getCode())
			.isEqualTo("FORBIDDEN");
		this.externalTaskService.complete(task, "worker-1");
	}

	/** @return the started instance, whose job fails because the key is missing (the job executor runs it) */
	private String failing(String key) {
		return this.runtimeService.startProcessInstanceByKey(PROCESS, Map.of("wantedKey", key)).getId();
	}

	private CredentialRequestDetails openRequest(String key) {
		return openRequest(this.viewer, key);
	}

	/** @return the open request for the key, once the failing job has opened it (and its incident is raised) */
	static CredentialRequestDetails openRequest(KeyflowClient viewer, String key) {
		return await().atMost(PATIENCE)
			.until(() -> viewer.requests().listOpen().items().stream()
				.filter((request) -> key.equals(request.key()))
				.filter((request) -> !request.incidentIds().isEmpty())
				.findFirst(), java.util.Optional::isPresent)
			.orElseThrow();
	}

}
