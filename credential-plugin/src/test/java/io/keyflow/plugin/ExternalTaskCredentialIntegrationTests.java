package io.keyflow.plugin;

import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.keyflow.api.CredentialMissingException;
import io.keyflow.api.CredentialType;
import io.keyflow.api.ExternalTaskLockNotOwnedException;
import io.keyflow.api.ExternalTaskNotFoundException;
import io.keyflow.api.ExternalTaskNotLockedException;
import io.keyflow.api.InvalidCredentialException;
import io.keyflow.api.SealedCredentialException;
import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.externaltask.LockedExternalTask;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 12 on a real engine: an external task declares its credential like any task, and the worker holding the
 * task's lock exchanges it for the credential, resolved as a Java task's would be (key, recorded principal, tenant,
 * usage policy); every other caller is refused with a typed exception. The lock is checked against the engine's
 * clock, moved with {@link ClockUtil}. Each test works in its own tenant; the leak scan runs after the last test.
 */
@SpringBootTest(classes = KeyflowTestApplication.class)
@ExtendWith(LeakScan.class)
class ExternalTaskCredentialIntegrationTests {

	static final String TOPIC = "keyflow-external";

	@Autowired
	RuntimeService runtimeService;

	@Autowired
	RepositoryService repositoryService;

	@Autowired
	ExternalTaskService externalTaskService;

	@Autowired
	IdentityService identityService;

	@Autowired
	CredentialService credentials;

	@Autowired
	ExternalTaskCredentialService externalTasks;

	LeakScan.Secrets secrets;

	String tenant;

	@BeforeEach
	void tenant(LeakScan.Secrets secrets) {
		this.secrets = secrets;
		this.tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
		this.repositoryService.createDeployment().addClasspathResource("bpmn/external-task.bpmn").tenantId(this.tenant)
			.deploy();
	}

	@AfterEach
	void resetClock() {
		ClockUtil.reset();
	}

	@Test
	void exchangeWhenTheWorkerHoldsTheLockThenItGetsTheTasksCredentialUntilItCompletes() {
		String secret = store("EXTERNAL_KEY", null, false);
		ProcessInstance instance = start("external-keyed");
		LockedExternalTask task = fetch("worker-1");

		ExternalTaskCredential exchanged = this.externalTasks.exchange(task.getId(), "worker-1");

		assertThat(exchanged.credential().apiKey()).isEqualTo(secret);
		assertThat(exchanged.credential().key()).isEqualTo("EXTERNAL_KEY");
		assertThat(exchanged.processInstanceId()).isEqualTo(instance.getId());
		assertThat(exchanged.activityId()).isEqualTo("callApi");
		assertThat(exchanged.tenantId()).isEqualTo(this.tenant);
		assertThat(exchanged.toString()).doesNotContain(secret).contains(task.getId());

		this.externalTaskService.complete(task.getId(), "worker-1");
		assertThatThrownBy(() -> this.externalTasks.exchange(task.getId(), "worker-1"))
			.isInstanceOf(ExternalTaskNotLockedException.class)
			.hasMessageContaining("it was completed, failed for good or deleted");
	}

	@Test
	void exchangeWhenTheLockExpiredOnTheEngineClockThenNotLocked() {
		store("EXTERNAL_KEY", null, false);
		start("external-keyed");
		LockedExternalTask task = fetch("worker-1");

		ClockUtil.setCurrentTime(new Date(task.getLockExpirationTime().getTime() + 1));

		assertThatThrownBy(() -> this.externalTasks.exchange(task.getId(), "worker-1"))
			.isInstanceOf(ExternalTaskNotLockedException.class)
			.hasMessageContaining("its lock expired at " + task.getLockExpirationTime().toInstant());
	}

	@Test
	void exchangeWhenAnotherWorkerOrNoneHoldsTheTaskThenRefused() {
		store("EXTERNAL_KEY", null, false);
		start("external-keyed");
		String unlocked = this.externalTaskService.createExternalTaskQuery().tenantIdIn(this.tenant).singleResult()
			.getId();

		assertThatThrownBy(() -> this.externalTasks.exchange(unlocked, "worker-1"))
			.isInstanceOf(ExternalTaskNotLockedException.class)
			.hasMessageContaining("no worker has fetched and locked it");

		LockedExternalTask task = fetch("worker-1");
		assertThatThrownBy(() -> this.externalTasks.exchange(task.getId(), "worker-2"))
			.isInstanceOf(ExternalTaskLockNotOwnedException.class)
			.hasMessage("external task '" + task.getId() + "' is locked by another worker than 'worker-2'; only the "
					+ "worker holding the lock gets its credential");
	}

	@Test
	void exchangeWhenTheTaskIsUnknownOrOfATenantTheCallerMayNotServeThenNotFound() {
		store("EXTERNAL_KEY", null, false);
		start("external-keyed");
		LockedExternalTask task = fetch("worker-1");

		assertThatThrownBy(() -> this.externalTasks.exchange("no-such-task", "worker-1"))
			.isInstanceOf(ExternalTaskNotFoundException.class);
		assertThatThrownBy(() -> this.externalTasks.exchange(task.getId(), "worker-1", "other-tenant"::equals))
			.isInstanceOf(ExternalTaskNotFoundException.class);
		assertThatThrownBy(() -> this.externalTasks.exchange(task.getId(), "worker\n1"))
			.isInstanceOf(InvalidCredentialException.class);
	}

	@Test
	void exchangeWhenPerUserThenTheRecordedPrincipalsCredentialAndNeverTheVariables() {
		String alice = "alice-" + UUID.randomUUID();
		String mallory = "mallory-" + UUID.randomUUID();
		String aliceSecret = store(null, alice, false);
		String mallorySecret = store(null, mallory, false);
		this.identityService.setAuthentication(alice, null, List.of(this.tenant));
		try {
			this.runtimeService.createProcessInstanceByKey("external-principal").processDefinitionTenantId(this.tenant)
				.setVariable("initiator", mallory)
				.execute();
		}
		finally {
			this.identityService.clearAuthentication();
		}
		LockedExternalTask task = fetch("worker-1");
		this.runtimeService.setVariable(task.getProcessInstanceId(), "initiator", mallory);

		ExternalTaskCredential exchanged = this.externalTasks.exchange(task.getId(), "worker-1");

		assertThat(exchanged.credential().apiKey()).isEqualTo(aliceSecret).isNotEqualTo(mallorySecret);
		assertThat(exchanged.credential().principalId()).isEqualTo(alice);
	}

	@Test
	void exchangeWhenNoCredentialIsUsableThenMissingWithTheIncidentsExplanation() {
		start("external-keyed");
		LockedExternalTask task = fetch("worker-1");

		assertThatThrownBy(() -> this.externalTasks.exchange(task.getId(), "worker-1"))
			.isInstanceOf(CredentialMissingException.class)
			.hasMessageStartingWith("Task 'Call the API' (activity callApi, process definition external-keyed:")
			.hasMessageContaining("requires a credential and none is usable in tenant '" + this.tenant
					+ "' (key 'EXTERNAL_KEY'): key 'EXTERNAL_KEY': not found. Store or connect the credential in "
					+ "Keyflow, then retry the job.");
	}

	@Test
	void exchangeWhenTheUsagePolicyRefusesTheProcessThenMissingNamingThePolicy() {
		String secret = this.secrets.fresh("policy");
		this.credentials.save(CredentialDraft.builder(CredentialType.API_KEY).tenantId(this.tenant).key("EXTERNAL_KEY")
			.provider("external-api")
			.allowedProcesses("another-process")
			.secrets(Map.of("apiKey", secret))
			.build());
		start("external-keyed");
		LockedExternalTask task = fetch("worker-1");

		assertThatThrownBy(() -> this.externalTasks.exchange(task.getId(), "worker-1"))
			.isInstanceOf(CredentialMissingException.class)
			.hasMessageContaining("may not be used by process 'external-keyed': its allowedProcesses are "
					+ "[another-process]")
			.hasMessageNotContaining(secret);
	}

	@Test
	void exchangeWhenTheTaskDeclaresNoCredentialThenMissingSayingSo() {
		start("external-plain");
		LockedExternalTask task = fetch("worker-1");

		assertThatThrownBy(() -> this.externalTasks.exchange(task.getId(), "worker-1"))
			.isInstanceOf(CredentialMissingException.class)
			.hasMessageContaining("declares no credential; add credential.* properties to the task in the model");
	}

	@Test
	void exchangeWhenTheCredentialIsSealedThenRefused() {
		String secret = store("EXTERNAL_KEY", null, true);
		start("external-keyed");
		LockedExternalTask task = fetch("worker-1");

		assertThatThrownBy(() -> this.externalTasks.exchange(task.getId(), "worker-1"))
			.isInstanceOf(SealedCredentialException.class)
			.hasMessageContaining("credential EXTERNAL_KEY (id ")
			.hasMessageNotContaining(secret);
	}

	@Test
	void deployWhenAnExternalTaskNamesAnUnknownOAuth2ProviderThenTheDeploymentFailsNamingIt() {
		assertThatThrownBy(() -> this.repositoryService.createDeployment()
			.addClasspathResource("bpmn/external-unknown-provider.bpmn")
			.tenantId(this.tenant)
			.deploy()).hasMessageContaining("Task 'callNowhere'")
			.hasMessageContaining("unknown OAuth2 provider 'no-such-provider'");
	}

	private String store(String key, String principalId, boolean sealed) {
		String secret = this.secrets.fresh("external");
		this.credentials.save(CredentialDraft.builder(CredentialType.API_KEY).tenantId(this.tenant).key(key)
			.principalId(principalId)
			.provider("external-api")
			.sealed(sealed)
			.secrets(Map.of("apiKey", secret))
			.build());
		return secret;
	}

	private ProcessInstance start(String processKey) {
		return this.runtimeService.createProcessInstanceByKey(processKey).processDefinitionTenantId(this.tenant).execute();
	}

	private LockedExternalTask fetch(String workerId) {
		List<LockedExternalTask> tasks = this.externalTaskService.fetchAndLock(1, workerId)
			.topic(TOPIC, 60_000)
			.tenantIdIn(this.tenant)
			.execute();
		assertThat(tasks).hasSize(1);
		return tasks.get(0);
	}

}
