package io.keyflow.plugin;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import io.keyflow.api.CredentialType;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
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
 * The engine path on a real Camunda engine (H2, history level full): tasks of every delegation kind get
 * their credential, resolution by principal, tenant and scope, the failure paths, and finally a scan of the
 * whole database and the captured log for every secret these tests stored ({@link LeakScan}, after the last
 * test, in whatever order they ran).
 */
@SpringBootTest(classes = KeyflowTestApplication.class)
@ExtendWith(LeakScan.class)
class CredentialResolutionIntegrationTests {

	private LeakScan.Secrets secrets;

	private LogCapture log;

	@Autowired
	RuntimeService runtimeService;

	@Autowired
	RepositoryService repositoryService;

	@Autowired
	ManagementService managementService;

	@Autowired
	IdentityService identityService;

	@Autowired
	HistoryService historyService;

	@Autowired
	CredentialService credentials;

	@Autowired
	DataSource dataSource;

	@BeforeEach
	void secretsLogAndReset(LeakScan.Secrets secrets, LogCapture log) {
		this.secrets = secrets;
		this.log = log;
		RecordingActions.reset();
	}

	@Test
	void startWhenClassDelegateAndExpressionTasksThenEachGetsItsCredentialAndTheNextTaskSeesNone() {
		String a = store(CredentialType.API_KEY, null, "SERVICE_A", "service-a", null, Set.of());
		String b = store(CredentialType.API_KEY, null, "SERVICE_B", "service-b", null, Set.of());
		String c = store(CredentialType.API_KEY, null, "SERVICE_C", "service-c", null, Set.of());
		deploy("bpmn/three-kinds.bpmn", null);

		ProcessInstance instance = this.runtimeService.startProcessInstanceByKey("three-kinds");

		assertThat(RecordingActions.SEEN).containsEntry("classTask", a)
			.containsEntry("delegateTask", b)
			.containsEntry("expressionTask", c)
			.containsEntry("plainTask", RecordingActions.NONE);
		assertThat(ended(instance)).isTrue();
		assertThat(this.historyService.createHistoricVariableInstanceQuery()
			.processInstanceId(instance.getId())
			.variableName("credential")
			.count()).isZero();
	}

	@Test
	void startWhenTwoUsersHaveGithubCredentialsThenEachProcessGetsItsStartersCredential() {
		String alice = store(CredentialType.OAUTH2, null, null, "github", "alice", Set.of("repo", "read:user"));
		String bob = store(CredentialType.OAUTH2, null, null, "github", "bob", Set.of("repo"));
		deploy("bpmn/github-user.bpmn", null);

		startAs("alice", "github-user", Map.of());
		assertThat(RecordingActions.SEEN).containsEntry("callGithub", alice)
			.containsEntry("callGithub.header", "Bearer " + alice);
		startAs("bob", "github-user", Map.of());
		assertThat(RecordingActions.SEEN).containsEntry("callGithub", bob);
	}

	@Test
	void startWhenAuthenticatedUserPassesAnotherPrincipalThenTheAuthenticatedUserIsThePrincipal() {
		String mallory = store(CredentialType.OAUTH2, null, null, "github", "mallory", Set.of("repo"));
		String victim = store(CredentialType.OAUTH2, null, null, "github", "victim", Set.of("repo"));
		deploy("bpmn/github-user.bpmn", null);

		startAs("mallory", "github-user", Map.of("initiator", "victim"));

		assertThat(RecordingActions.SEEN).containsEntry("callGithub", mallory).doesNotContainValue(victim);
		assertThat(this.log.text()).contains("KEYFLOW-E007").contains("started by 'mallory'");
	}

	@Test
	void startWhenNoAuthenticatedUserThenThePrincipalVariableAsGiven() {
		String trusted = store(CredentialType.OAUTH2, null, null, "github", "batch-user", Set.of("repo"));
		deploy("bpmn/github-user.bpmn", null);

		this.runtimeService.startProcessInstanceByKey("github-user", Map.of("initiator", "batch-user"));

		assertThat(RecordingActions.SEEN).containsEntry("callGithub", trusted);
	}

	@Test
	void startWhenPrincipalCredentialLacksScopeThenItIsNotUsedAndNoOtherIdentityIs() {
		store(CredentialType.OAUTH2, null, null, "github", "carol", Set.of("read:user"));
		store(CredentialType.OAUTH2, null, "GITHUB_SHARED", "github", null, Set.of("repo"));
		deploy("bpmn/github-user.bpmn", null);

		// the tenant default exists, but the task does not declare credential.fallback=tenant
		assertThatThrownBy(() -> startAs("carol", "github-user", Map.of())).hasMessageContaining(
				"Task 'Call GitHub' (activity callGithub, process definition github-user:")
			.hasMessageContaining("requires a credential for provider 'github' with scopes [repo] and none is usable in the tenant-less scope (principal 'carol')")
			.hasMessageContaining("principal 'carol': lacks scopes [repo]")
			.hasMessageContaining("the tenant default for 'github' is not used for a process with a principal unless "
					+ "the task declares credential.fallback=tenant");
		assertThat(RecordingActions.SEEN).doesNotContainKey("callGithub");
	}

	@Test
	void startWhenExplicitKeyOfAnotherTenantThenNotResolved() {
		String tenantA = store(CredentialType.API_KEY, "tenant-a", "ACME_API", "acme", null, Set.of());
		deploy("bpmn/explicit-key.bpmn", "tenant-b");
		deploy("bpmn/explicit-key.bpmn", "tenant-a");

		assertThatThrownBy(() -> this.runtimeService.createProcessInstanceByKey("explicit-key")
			.processDefinitionTenantId("tenant-b")
			.setVariable("tenantKey", "ACME_API")
			.execute()).hasMessageContaining("none is usable in tenant 'tenant-b' (key 'ACME_API'): key 'ACME_API': not found");

		String tenantB = store(CredentialType.API_KEY, "tenant-b", "ACME_API", "acme", null, Set.of());
		this.runtimeService.createProcessInstanceByKey("explicit-key")
			.processDefinitionTenantId("tenant-b")
			.setVariable("tenantKey", "ACME_API")
			.execute();
		assertThat(RecordingActions.SEEN).containsEntry("useKey", tenantB);
		this.runtimeService.createProcessInstanceByKey("explicit-key")
			.processDefinitionTenantId("tenant-a")
			.setVariable("tenantKey", "ACME_API")
			.execute();
		assertThat(RecordingActions.SEEN).containsEntry("useKey", tenantA);
	}

	@Test
	void jobWhenRequiredCredentialMissingThenRetriesEndInIncidentWithClearMessage() {
		deploy("bpmn/async-required.bpmn", null);
		// a Slack credential of someone else must not help
		store(CredentialType.OAUTH2, null, null, "slack", "erin", Set.of());
		ProcessInstance instance = startAs("dave", "async-required", Map.of());

		for (int attempt = 0; attempt < 3; attempt++) {
			Job job = this.managementService.createJobQuery().processInstanceId(instance.getId()).singleResult();
			assertThatThrownBy(() -> this.managementService.executeJob(job.getId()))
				.hasMessageContaining("requires a credential for provider 'slack'");
		}

		Incident incident = this.runtimeService.createIncidentQuery()
			.processInstanceId(instance.getId())
			.singleResult();
		assertThat(incident).isNotNull();
		assertThat(incident.getIncidentType()).isEqualTo(Incident.FAILED_JOB_HANDLER_TYPE);
		assertThat(incident.getActivityId()).isEqualTo("postToSlack");
		assertThat(incident.getIncidentMessage()).startsWith("Task 'Post to Slack' (activity postToSlack")
			.contains("provider 'slack'")
			.contains("none is usable in the tenant-less scope (principal 'dave')")
			.contains("principal 'dave': not found");
		assertThat(RecordingActions.SEEN).doesNotContainKey("postToSlack");
		// the job exception stack traces are among what the leak scan reads after the last test
		assertThat(this.historyService.createHistoricJobLogQuery()
			.processInstanceId(instance.getId())
			.failureLog()
			.count()).isEqualTo(3);
	}

	@Test
	void startWhenOptionalCredentialMissingThenTaskRunsWithout() {
		deploy("bpmn/optional.bpmn", null);

		ProcessInstance instance = startAs("frank", "optional", Map.of());

		assertThat(RecordingActions.SEEN).containsEntry("maybeNotify", RecordingActions.NONE);
		assertThat(ended(instance)).isTrue();
	}

	@Test
	void deployWhenOAuth2ProviderUnknownThenDeploymentFailsNamingIt() {
		assertThatThrownBy(() -> deploy("bpmn/unknown-provider.bpmn", null))
			.hasMessageContaining("Task 'callNowhere'")
			.hasMessageContaining("unknown OAuth2 provider 'no-such-provider'");
		assertThat(this.repositoryService.createProcessDefinitionQuery().processDefinitionKey("unknown-provider").count())
			.isZero();
	}

	@Test
	void startWhenTaskCopiesCredentialIntoPersistedVariableThenRefused() {
		// its own tenant and credential: the test does not depend on what other tests stored
		store(CredentialType.API_KEY, "copy-tenant", "SERVICE_A", "service-a", null, Set.of());
		deploy("bpmn/copy-credential.bpmn", "copy-tenant");

		assertThatThrownBy(() -> this.runtimeService.createProcessInstanceByKey("copy-credential")
			.processDefinitionTenantId("copy-tenant")
			.execute())
			.hasMessageContaining("A Keyflow credential cannot be stored in a persisted variable ('copy')");
		assertThat(this.runtimeService.createVariableInstanceQuery().variableName("copy").count()).isZero();
	}

	private String store(CredentialType type, String tenantId, String key, String provider, String principalId,
			Set<String> scopes) {
		String secret = "secret-" + type.wireName() + "-" + UUID.randomUUID();
		this.secrets.add(secret);
		Map<String, String> secrets = switch (type) {
			case OAUTH2 -> {
				String refresh = "refresh-" + UUID.randomUUID();
				this.secrets.add(refresh);
				yield Map.of("accessToken", secret, "refreshToken", refresh);
			}
			case API_KEY -> Map.of("apiKey", secret);
			case STATIC -> Map.of("value", secret);
			case BASIC -> Map.of("username", "user", "password", secret);
		};
		this.credentials.save(CredentialDraft.builder(type)
			.tenantId(tenantId)
			.key(key)
			.provider(provider)
			.principalId(principalId)
			.scopes(scopes)
			.secrets(secrets)
			.build());
		return secret;
	}

	private void deploy(String resource, String tenantId) {
		this.repositoryService.createDeployment().addClasspathResource(resource).tenantId(tenantId).deploy();
	}

	private ProcessInstance startAs(String user, String processKey, Map<String, Object> variables) {
		this.identityService.setAuthenticatedUserId(user);
		try {
			return this.runtimeService.startProcessInstanceByKey(processKey, variables);
		}
		finally {
			this.identityService.clearAuthentication();
		}
	}

	private boolean ended(ProcessInstance instance) {
		return this.historyService.createHistoricProcessInstanceQuery()
			.processInstanceId(instance.getId())
			.completed()
			.count() == 1;
	}

}
