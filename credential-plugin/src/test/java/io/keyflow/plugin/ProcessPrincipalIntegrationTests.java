package io.keyflow.plugin;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import io.keyflow.api.CredentialType;
import io.keyflow.api.InvalidCredentialException;
import io.keyflow.api.ProcessInstanceNotFoundException;
import io.keyflow.plugin.internal.store.SettableClock;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 9 on a real engine with Camunda's identity: the principal whose per-user credential a task gets is the
 * one Keyflow recorded when the root instance started, and nothing a starter, task completer, message sender or
 * variable writer sends changes it. Each test deploys into its own tenant, with its own users, so no test
 * depends on another.
 */
@SpringBootTest(classes = { KeyflowTestApplication.class, ProcessPrincipalIntegrationTests.SettableClockConfig.class })
@ExtendWith(LeakScan.class)
class ProcessPrincipalIntegrationTests {

	private static final SettableClock CLOCK = new SettableClock(Instant.parse("2026-11-30T08:00:00Z"));

	private LeakScan.Secrets secrets;

	private LogCapture log;

	@Autowired
	RuntimeService runtimeService;

	@Autowired
	RepositoryService repositoryService;

	@Autowired
	IdentityService identityService;

	@Autowired
	TaskService taskService;

	@Autowired
	HistoryService historyService;

	@Autowired
	ManagementService managementService;

	@Autowired
	CredentialService credentials;

	@Autowired
	ProcessPrincipalService principals;

	@Autowired
	DataSource dataSource;

	String tenant;

	String alice;

	String mallory;

	String aliceKey;

	@TestConfiguration
	static class SettableClockConfig {

		@Bean
		java.time.Clock keyflowClock() {
			return CLOCK;
		}

	}

	@BeforeEach
	void tenantAndUsers(LeakScan.Secrets secrets, LogCapture log) {
		this.secrets = secrets;
		this.log = log;
		RecordingActions.reset();
		String run = UUID.randomUUID().toString().substring(0, 8);
		this.tenant = "t-" + run;
		this.alice = "alice-" + run;
		this.mallory = "mallory-" + run;
		this.aliceKey = store(this.alice);
	}

	@Test
	void startWhenStartInstructionsNameAnotherUserThenTheTaskResolvesForTheAuthenticatedStarter() {
		deploy("bpmn/principal-review.bpmn");

		// mallory has no credential of her own: the task must fail rather than use alice's
		assertThatThrownBy(() -> as(this.mallory, () -> this.runtimeService.createProcessInstanceByKey("principal-review")
			.processDefinitionTenantId(this.tenant)
			.setVariable("initiator", this.alice)
			.startBeforeActivity("callAcme")
			.setVariable("initiator", this.alice)
			.setVariableLocal("initiator", this.alice)
			.execute())).hasMessageContaining("(principal '" + this.mallory + "')")
			.hasMessageContaining("principal '" + this.mallory + "': not found");
		assertThat(RecordingActions.SEEN).doesNotContainValue(this.aliceKey);

		String malloryKey = store(this.mallory);
		as(this.mallory, () -> this.runtimeService.createProcessInstanceByKey("principal-review")
			.processDefinitionTenantId(this.tenant)
			.startBeforeActivity("callAcme")
			.setVariable("initiator", this.alice)
			.execute());
		assertThat(RecordingActions.SEEN).containsEntry("callAcme", malloryKey);
		assertThat(this.log.text()).contains("KEYFLOW-E009");
	}

	@Test
	void completeWhenTaskCompleterSetsThePrincipalVariableThenTheNextTaskResolvesForTheStarter() {
		deploy("bpmn/principal-review.bpmn");
		String malloryKey = store(this.mallory);
		ProcessInstance instance = startAs(this.mallory, "principal-review");

		Task review = this.taskService.createTaskQuery().processInstanceId(instance.getId()).singleResult();
		as(this.mallory, () -> this.taskService.complete(review.getId(), Map.of("initiator", this.alice)));

		assertThat(RecordingActions.SEEN).containsEntry("callAcme", malloryKey).doesNotContainValue(this.aliceKey);
	}

	@Test
	void setVariableWhenSomeoneWritesThePrincipalVariableOfARunningInstanceThenItIsIgnored() {
		deploy("bpmn/principal-review.bpmn");
		ProcessInstance instance = startAs(this.mallory, "principal-review");

		as(this.mallory, () -> {
			this.runtimeService.setVariable(instance.getId(), "initiator", this.alice);
			Task review = this.taskService.createTaskQuery().processInstanceId(instance.getId()).singleResult();
			this.taskService.setVariableLocal(review.getId(), "initiator", this.alice);
		});
		Task review = this.taskService.createTaskQuery().processInstanceId(instance.getId()).singleResult();

		assertThatThrownBy(() -> as(this.mallory, () -> this.taskService.complete(review.getId())))
			.hasMessageContaining("(principal '" + this.mallory + "')");
		assertThat(RecordingActions.SEEN).doesNotContainValue(this.aliceKey);
		assertThat(this.principals.find(instance.getId())).hasValueSatisfying((principal) -> {
			assertThat(principal.principalId()).isEqualTo(this.mallory);
			assertThat(principal.source()).isEqualTo(ProcessPrincipal.Source.AUTHENTICATED_USER);
		});
	}

	@Test
	void modifyWhenProcessInstanceModificationCarriesThePrincipalVariableThenItIsIgnored() {
		deploy("bpmn/principal-review.bpmn");
		String malloryKey = store(this.mallory);
		ProcessInstance instance = startAs(this.mallory, "principal-review");

		as(this.mallory, () -> this.runtimeService.createProcessInstanceModification(instance.getId())
			.startBeforeActivity("callAcme")
			.setVariable("initiator", this.alice)
			.execute());

		assertThat(RecordingActions.SEEN).containsEntry("callAcme", malloryKey).doesNotContainValue(this.aliceKey);
	}

	@Test
	void correlateWhenMessageCarriesThePrincipalVariableThenTheTaskResolvesForTheStarter() {
		deploy("bpmn/principal-message.bpmn");
		String malloryKey = store(this.mallory);
		ProcessInstance instance = startAs(this.mallory, "principal-message");

		as(this.mallory, () -> this.runtimeService.createMessageCorrelation("go")
			.processInstanceId(instance.getId())
			.setVariable("initiator", this.alice)
			.setVariableLocal("initiator", this.alice)
			.correlate());

		assertThat(RecordingActions.SEEN).containsEntry("callAcme", malloryKey).doesNotContainValue(this.aliceKey);
	}

	@Test
	void correlateWhenMessageStartsAProcessThenTheCorrelatingUserIsThePrincipal() {
		deploy("bpmn/principal-message-start.bpmn");
		String malloryKey = store(this.mallory);

		as(this.mallory, () -> this.runtimeService.createMessageCorrelation("order")
			.tenantId(this.tenant)
			.setVariable("initiator", this.alice)
			.correlateStartMessage());

		assertThat(RecordingActions.SEEN).containsEntry("callAcme", malloryKey).doesNotContainValue(this.aliceKey);
	}

	@Test
	void correlateWhenTrustedCodeStartsWithoutAUserThenItsPrincipalVariableIsThePrincipal() {
		deploy("bpmn/principal-message-start.bpmn");

		this.runtimeService.createMessageCorrelation("order")
			.tenantId(this.tenant)
			.setVariable("initiator", this.alice)
			.correlateStartMessage();

		assertThat(RecordingActions.SEEN).containsEntry("callAcme", this.aliceKey);
	}

	@Test
	void startWhenTheStartEventIsAsynchronousThenTheStartingUserIsThePrincipalNotTheVariableNorTheJobsRunner() {
		deploy("bpmn/principal-async-start.bpmn");
		String[] started = new String[1];
		as(this.mallory, () -> started[0] = this.runtimeService.createProcessInstanceByKey("principal-async-start")
			.processDefinitionTenantId(this.tenant)
			.setVariable("initiator", this.alice)
			.execute()
			.getId());
		String startJob = this.managementService.createJobQuery().processInstanceId(started[0]).singleResult().getId();

		// the start listeners run in the job: neither the variable nor alice running the job by hand make it hers
		assertThatThrownBy(() -> as(this.alice, () -> this.managementService.executeJob(startJob)))
			.hasMessageContaining("(principal '" + this.mallory + "')");
		assertThatThrownBy(() -> this.managementService.executeJob(startJob))
			.hasMessageContaining("(principal '" + this.mallory + "')");
		assertThat(RecordingActions.SEEN).doesNotContainValue(this.aliceKey);
		// each failed run rolled back its record with it; every run decides again, from the engine's start user
		assertThat(this.principals.find(started[0])).isEmpty();

		// trusted code without a user: the variable may have been rewritten before the job ran, so it is not read
		String trusted = this.runtimeService.createProcessInstanceByKey("principal-async-start")
			.processDefinitionTenantId(this.tenant)
			.setVariable("initiator", this.alice)
			.execute()
			.getId();
		String trustedJob = this.managementService.createJobQuery().processInstanceId(trusted).singleResult().getId();
		assertThatThrownBy(() -> this.managementService.executeJob(trustedJob)).hasMessageContaining("(principal none)");
		assertThat(RecordingActions.SEEN).doesNotContainValue(this.aliceKey);
		assertThat(this.log.text()).contains("KEYFLOW-E014");

		// a start with instructions before the asynchronous start event runs its start listeners as the starter
		String[] instructed = new String[1];
		as(this.mallory, () -> instructed[0] = this.runtimeService.createProcessInstanceByKey("principal-async-start")
			.processDefinitionTenantId(this.tenant)
			.startBeforeActivity("start")
			.setVariable("initiator", this.alice)
			.execute()
			.getId());
		String instructedJob = this.managementService.createJobQuery().processInstanceId(instructed[0]).singleResult().getId();
		assertThatThrownBy(() -> this.managementService.executeJob(instructedJob))
			.hasMessageContaining("(principal '" + this.mallory + "')");
		assertThat(RecordingActions.SEEN).doesNotContainValue(this.aliceKey);

		// the legitimate case: alice's own asynchronous start gets her key
		String own = startAs(this.alice, "principal-async-start").getId();
		this.managementService.executeJob(this.managementService.createJobQuery().processInstanceId(own).singleResult().getId());
		assertThat(RecordingActions.SEEN).containsEntry("callAcme", this.aliceKey);
	}

	@Test
	void callActivityWhenItPassesAnotherInitiatorThenTheCalledProcessResolvesForTheRootsPrincipal() {
		deploy("bpmn/principal-parent.bpmn");
		String malloryKey = store(this.mallory);

		as(this.mallory, () -> this.runtimeService.createProcessInstanceByKey("principal-parent")
			.processDefinitionTenantId(this.tenant)
			.setVariable("forgedInitiator", this.alice)
			.execute());
		assertThat(RecordingActions.SEEN).containsEntry("childCallAcme", malloryKey).doesNotContainValue(this.aliceKey);

		// the legitimate case: alice's own process still gets hers in the called process
		as(this.alice, () -> this.runtimeService.createProcessInstanceByKey("principal-parent")
			.processDefinitionTenantId(this.tenant)
			.setVariable("forgedInitiator", this.mallory)
			.execute());
		assertThat(RecordingActions.SEEN).containsEntry("childCallAcme", this.aliceKey);
	}

	@Test
	void startWhenPrincipalHasNoCredentialThenTheTenantDefaultOnlyWhereTheTaskDeclaresFallback() {
		deploy("bpmn/principal-fallback.bpmn");
		String shared = store(null);

		assertThatThrownBy(() -> startAs(this.mallory, "principal-fallback"))
			.hasMessageContaining("Task 'Call Acme' (activity withoutFallback")
			.hasMessageContaining("(principal '" + this.mallory + "')")
			.hasMessageContaining("principal '" + this.mallory + "': not found")
			.hasMessageContaining("credential.fallback=tenant");
		assertThat(RecordingActions.SEEN).containsEntry("withFallback", shared);

		// a process without a principal uses the tenant default, with or without the declaration
		RecordingActions.reset();
		this.runtimeService.createProcessInstanceByKey("principal-fallback").processDefinitionTenantId(this.tenant).execute();
		assertThat(RecordingActions.SEEN).containsEntry("withFallback", shared).containsEntry("withoutFallback", shared);

		// and a principal with a credential of their own gets theirs in both tasks
		RecordingActions.reset();
		startAs(this.alice, "principal-fallback");
		assertThat(RecordingActions.SEEN).containsEntry("withFallback", this.aliceKey)
			.containsEntry("withoutFallback", this.aliceKey);
	}

	@Test
	void reassignWhenAnAdministratorReassignsThenTheNextTaskResolvesForTheNewPrincipalAndItIsAudited() {
		deploy("bpmn/principal-review.bpmn");
		String malloryKey = store(this.mallory);
		ProcessInstance instance = startAs(this.alice, "principal-review");

		ProcessPrincipal reassigned = this.principals.reassign(instance.getId(), this.mallory, "support-admin",
				"TICKET-42 alice left the company");
		complete(instance);

		assertThat(reassigned.source()).isEqualTo(ProcessPrincipal.Source.REASSIGNED);
		assertThat(reassigned.changedBy()).isEqualTo("support-admin");
		assertThat(RecordingActions.SEEN).containsEntry("callAcme", malloryKey);
		assertThat(new JdbcTemplate(this.dataSource).queryForList(
				"select SUBJECT_ from KEYFLOW_AUDIT where ACTION_ = 'principal.reassign' and ACTOR_ID_ = 'support-admin'",
				String.class)).anySatisfy((subject) -> assertThat(subject)
					.isEqualTo("process instance " + instance.getId() + ": '" + this.alice + "' -> '" + this.mallory
							+ "'; reason: TICKET-42 alice left the company"));
		assertThat(this.log.text()).contains("KEYFLOW-E011");
	}

	@Test
	void reassignWhenInputIsBadOrTheInstanceUnknownThenRefusedAndNothingChanges() {
		deploy("bpmn/principal-review.bpmn");
		ProcessInstance instance = startAs(this.alice, "principal-review");

		assertThatThrownBy(() -> this.principals.reassign(instance.getId(), this.mallory, "admin", "two\nlines"))
			.isInstanceOf(InvalidCredentialException.class)
			.hasMessageContaining("reason must be 1 to 200 characters without control characters");
		assertThatThrownBy(() -> this.principals.reassign(instance.getId(), "x".repeat(256), "admin", "ticket"))
			.isInstanceOf(InvalidCredentialException.class)
			.hasMessageContaining("principalId must be 1 to 255 characters");
		assertThatThrownBy(() -> this.principals.reassign("no-such-instance", this.mallory, "admin", "ticket"))
			.isInstanceOf(ProcessInstanceNotFoundException.class)
			.hasMessage("no process instance 'no-such-instance' is known to Keyflow (neither running nor in the history)");

		assertThat(this.principals.find(instance.getId())).map(ProcessPrincipal::principalId).hasValue(this.alice);
	}

	@Test
	void resolveWhenAnInstanceStartedBeforePrincipalsWereRecordedThenItsVariableIsAdoptedOnceAndKept() {
		deploy("bpmn/principal-review.bpmn");
		String malloryKey = store(this.mallory);
		ProcessInstance instance = startAs(this.alice, "principal-review");
		// as if it had started on a version of Keyflow that did not record principals
		new JdbcTemplate(this.dataSource).update("delete from KEYFLOW_PROCESS_PRINCIPAL where ROOT_PROC_INST_ID_ = ?",
				instance.getId());
		CLOCK.advance(Duration.ofMinutes(1));

		this.runtimeService.createProcessInstanceModification(instance.getId()).startBeforeActivity("callAcme").execute();
		assertThat(RecordingActions.SEEN).containsEntry("callAcme", this.aliceKey);
		assertThat(this.principals.find(instance.getId())).hasValueSatisfying((principal) -> {
			assertThat(principal.principalId()).isEqualTo(this.alice);
			assertThat(principal.source()).isEqualTo(ProcessPrincipal.Source.ADOPTED);
		});
		assertThat(this.log.text()).contains("KEYFLOW-E010 Process instance " + instance.getId());

		// once adopted, the variable is as powerless as for any other instance
		RecordingActions.reset();
		this.runtimeService.setVariable(instance.getId(), "initiator", this.mallory);
		CLOCK.advance(Duration.ofMinutes(1));
		complete(instance);
		assertThat(RecordingActions.SEEN).containsEntry("callAcme", this.aliceKey).doesNotContainValue(malloryKey);
	}

	@Test
	void removeOrphansWhenTheHistoryOfAnInstanceIsDeletedThenItsRecordGoesAndRunningOnesStay() {
		deploy("bpmn/principal-review.bpmn");
		store(this.mallory);
		ProcessInstance ended = startAs(this.alice, "principal-review");
		complete(ended);
		ProcessInstance running = startAs(this.mallory, "principal-review");
		this.historyService.deleteHistoricProcessInstance(ended.getId());

		this.principals.removeOrphans();
		assertThat(recordCount(ended.getId())).as("a record younger than the grace period stays").isOne();
		CLOCK.advance(Duration.ofHours(2));
		assertThat(this.principals.removeOrphans()).isGreaterThanOrEqualTo(1);

		assertThat(recordCount(ended.getId())).isZero();
		assertThat(this.principals.find(running.getId())).map(ProcessPrincipal::principalId).hasValue(this.mallory);
		assertThatThrownBy(() -> this.principals.find(ended.getId())).isInstanceOf(ProcessInstanceNotFoundException.class);
	}

	@Test
	void startWhenTheInstanceEndsInTheStartingCommandThenTheTaskRanAsTheStarterAndNoRecordIsLeft() {
		deploy("bpmn/principal-straight.bpmn");

		ProcessInstance ended = startAs(this.alice, "principal-straight");

		assertThat(RecordingActions.SEEN).containsEntry("callAcme", this.aliceKey);
		assertThat(ended.isEnded()).isTrue();
		// nothing can resolve for it any more: no row to write, nor to clean up
		assertThat(recordCount(ended.getId())).isZero();
		assertThat(this.principals.find(ended.getId())).isEmpty();
		// the history still says who started it
		assertThat(this.historyService.createHistoricProcessInstanceQuery().processInstanceId(ended.getId())
			.singleResult().getStartUserId()).isEqualTo(this.alice);
	}

	@Test
	void startWhenTheStartingCommandFailsThenNoRecordIsLeftForTheInstanceThatNeverExisted() {
		deploy("bpmn/principal-straight.bpmn");

		// mallory has no credential: the required task fails the start, which rolls back
		assertThatThrownBy(() -> startAs(this.mallory, "principal-straight"))
			.hasMessageContaining("(principal '" + this.mallory + "')");

		assertThat(new JdbcTemplate(this.dataSource).queryForObject("select count(*) from KEYFLOW_PROCESS_PRINCIPAL "
				+ "where PRINCIPAL_ID_ = ?", Integer.class, this.mallory)).isZero();
	}

	@Test
	void startWhenTheInstanceWaitsThenItsRecordIsWrittenWithTheStart() {
		deploy("bpmn/principal-review.bpmn");

		ProcessInstance waiting = startAs(this.alice, "principal-review");

		assertThat(recordCount(waiting.getId())).isOne();
		assertThat(this.principals.find(waiting.getId())).map(ProcessPrincipal::principalId).hasValue(this.alice);
	}

	@Test
	void startWhenAnAuthenticatedStartPassesNoPrincipalVariableThenKeyflowWritesNone() {
		deploy("bpmn/principal-straight.bpmn");

		ProcessInstance ended = startAs(this.alice, "principal-straight");

		// Keyflow's record decides; a model that wants the starter in a variable declares camunda:initiator
		assertThat(this.historyService.createHistoricVariableInstanceQuery().processInstanceId(ended.getId())
			.variableName("initiator").count()).isZero();
	}

	@Test
	void startWhenAnAuthenticatedStartPassesAnotherUsersPrincipalVariableThenItIsReplacedByTheStarter() {
		deploy("bpmn/principal-straight.bpmn");
		String[] started = new String[1];

		as(this.alice, () -> started[0] = this.runtimeService.createProcessInstanceByKey("principal-straight")
			.processDefinitionTenantId(this.tenant)
			.setVariable("initiator", this.mallory)
			.execute()
			.getId());

		// no model reading the variable (an assignee, a display) is left believing mallory started it
		assertThat(this.historyService.createHistoricVariableInstanceQuery().processInstanceId(started[0])
			.variableName("initiator").singleResult().getValue()).isEqualTo(this.alice);
		assertThat(RecordingActions.SEEN).containsEntry("callAcme", this.aliceKey);
		assertThat(this.log.text()).contains("KEYFLOW-E007");
	}

	private int recordCount(String rootProcessInstanceId) {
		return new JdbcTemplate(this.dataSource).queryForObject(
				"select count(*) from KEYFLOW_PROCESS_PRINCIPAL where ROOT_PROC_INST_ID_ = ?", Integer.class,
				rootProcessInstanceId);
	}

	private void complete(ProcessInstance instance) {
		Task review = this.taskService.createTaskQuery().processInstanceId(instance.getId()).singleResult();
		this.taskService.complete(review.getId());
	}

	private String store(String principalId) {
		String secret = "acme-key-" + UUID.randomUUID();
		this.secrets.add(secret);
		this.credentials.save(CredentialDraft.builder(CredentialType.API_KEY)
			.tenantId(this.tenant)
			.key((principalId != null) ? null : "ACME_DEFAULT")
			.provider("acme")
			.principalId(principalId)
			.secrets(Map.of("apiKey", secret))
			.build());
		return secret;
	}

	private void deploy(String resource) {
		this.repositoryService.createDeployment().addClasspathResource(resource).tenantId(this.tenant).deploy();
	}

	private ProcessInstance startAs(String user, String processKey) {
		ProcessInstance[] started = new ProcessInstance[1];
		as(user, () -> started[0] = this.runtimeService.createProcessInstanceByKey(processKey)
			.processDefinitionTenantId(this.tenant)
			.execute());
		return started[0];
	}

	private void as(String user, Runnable action) {
		this.identityService.setAuthentication(user, null, java.util.List.of(this.tenant));
		try {
			action.run();
		}
		finally {
			this.identityService.clearAuthentication();
		}
	}

}
