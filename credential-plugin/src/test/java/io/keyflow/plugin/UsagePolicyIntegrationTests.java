package io.keyflow.plugin;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.keyflow.api.Credential;
import io.keyflow.api.CredentialInfo;
import io.keyflow.api.CredentialType;
import io.keyflow.api.EgressRefusedException;
import io.keyflow.api.InvalidCredentialException;
import io.keyflow.api.SealedCredentialException;
import io.keyflow.api.UsagePolicy;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 11 on a real engine: a credential's usage policy decides which processes may use it, a sealed credential
 * is usable but not readable by task code (expression, JavaDelegate, Groovy script), and the policy survives the
 * Java round trip. Each test works in its own tenant; the leak scan runs after the last test.
 */
@SpringBootTest(classes = KeyflowTestApplication.class)
@ExtendWith(LeakScan.class)
class UsagePolicyIntegrationTests {

	@Autowired
	RuntimeService runtimeService;

	@Autowired
	RepositoryService repositoryService;

	@Autowired
	ManagementService managementService;

	@Autowired
	CredentialService credentials;

	@Autowired
	KeyflowEngine keyflow;

	LeakScan.Secrets secrets;

	String tenant;

	@BeforeEach
	void tenant(LeakScan.Secrets secrets) {
		this.secrets = secrets;
		this.tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
		RecordingActions.reset();
	}

	@Test
	void resolveWhenProcessIsAllowedThenTheTaskGetsTheCredentialAndAnotherProcessIsRefusedNamingThePolicy() {
		String secret = store("POLICY_KEY", CredentialDraft.builder(CredentialType.API_KEY).allowedProcesses("policy-allowed"));
		deploy("bpmn/policy.bpmn");

		start("policy-allowed");
		assertThat(RecordingActions.SEEN).containsEntry("useKey", secret);

		assertThatThrownBy(() -> start("policy-other")).hasMessageContaining("Task 'Use the key elsewhere'")
			.hasMessageContaining("key 'POLICY_KEY': credential POLICY_KEY (id ")
			.hasMessageContaining("may not be used by process 'policy-other': its allowedProcesses are [policy-allowed]")
			.hasMessageNotContaining(secret);
		assertThat(RecordingActions.SEEN).doesNotContainKey("otherUseKey");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "sealed-expression", "sealed-delegate", "sealed-script" })
	void jobWhenTaskCodeReadsASealedCredentialThenIncidentNamesItAndNothingIsCopied(String process) {
		String secret = store("SEALED_KEY", CredentialDraft.builder(CredentialType.API_KEY).sealed(true));
		deploy("bpmn/sealed.bpmn");
		ProcessInstance instance = start(process);

		for (int attempt = 0; attempt < 3; attempt++) {
			Job job = this.managementService.createJobQuery().processInstanceId(instance.getId()).singleResult();
			assertThatThrownBy(() -> this.managementService.executeJob(job.getId()))
				.satisfies((thrown) -> assertThat(java.util.stream.Stream.iterate(thrown, java.util.Objects::nonNull,
						Throwable::getCause)).hasAtLeastOneElementOfType(SealedCredentialException.class));
		}

		Incident incident = this.runtimeService.createIncidentQuery().processInstanceId(instance.getId()).singleResult();
		assertThat(incident.getIncidentMessage()).contains("credential SEALED_KEY (id ").contains("is sealed")
			.doesNotContain(secret);
		assertThat(this.runtimeService.createVariableInstanceQuery().processInstanceIdIn(instance.getId())
			.variableName("copy")
			.count()).isZero();
		assertThat(RecordingActions.SEEN).doesNotContainValue(secret);
	}

	@Test
	void authorizeWhenSealedThenOnlyAllowedOriginsGetTheHeaderAndTheViewShowsNothing() {
		store("SEALED_API", CredentialDraft.builder(CredentialType.API_KEY)
			.sealed(true)
			.allowedOrigins("https://api.example.com", "http://127.0.0.1:8089"));
		Credential task = this.keyflow.store().findByKey(this.tenant, "SEALED_API").orElseThrow().forTask();

		assertThatThrownBy(task::apiKey).isInstanceOf(SealedCredentialException.class);
		assertThatThrownBy(task::authorizationHeader).isInstanceOf(SealedCredentialException.class);
		assertThatThrownBy(task::secrets).isInstanceOf(SealedCredentialException.class);
		assertThat(task.toString()).contains("sealed");
		assertThat(task.authorize(java.net.URI.create("https://API.example.com:443/v1/things")).toString())
			.isEqualTo("Authorization[(redacted)]");
		assertThat(task.authorize(java.net.URI.create("http://127.0.0.1:8089/x"))).isNotNull();
		for (String refused : new String[] { "http://api.example.com/v1", "https://api.example.com:8443/v1",
				"https://evil.example.com/", "http://127.0.0.1:8090/x" }) {
			assertThatThrownBy(() -> task.authorize(java.net.URI.create(refused)))
				.as(refused)
				.isInstanceOf(EgressRefusedException.class)
				.hasMessageContaining("credential SEALED_API (id ")
				.hasMessageContaining("may not be sent to");
		}
	}

	@Test
	void saveWhenPolicyGivenThenItRoundTripsThroughJavaAndOnlyAnUpsertNamingAPolicyReplacesIt() {
		store("ROUND_TRIP", CredentialDraft.builder(CredentialType.API_KEY)
			.allowedProcesses("invoice", "order")
			.allowedOrigins("HTTPS://Billing.Example.com:443")
			.sealed(true));

		CredentialInfo stored = this.credentials.list(new io.keyflow.api.CredentialQuery(this.tenant, null, null, null,
				"ROUND_TRIP", 0, 1)).get(0);
		assertThat(stored.policy()).isEqualTo(new UsagePolicy(Set.of("invoice", "order"),
				Set.of("https://billing.example.com"), true));

		// a new secret without a policy must not widen where the credential may go
		store("ROUND_TRIP", CredentialDraft.builder(CredentialType.API_KEY));
		assertThat(this.credentials.list(new io.keyflow.api.CredentialQuery(this.tenant, null, null, null, "ROUND_TRIP",
				0, 1)).get(0).policy()).isEqualTo(stored.policy());

		store("ROUND_TRIP", CredentialDraft.builder(CredentialType.API_KEY).policy(UsagePolicy.NONE));
		assertThat(this.credentials.list(new io.keyflow.api.CredentialQuery(this.tenant, null, null, null, "ROUND_TRIP",
				0, 1)).get(0).policy()).isEqualTo(UsagePolicy.NONE);
	}

	@Test
	void saveWhenPolicyMalformedThenRefusedNamingTheEntryAndNothingStored() {
		assertThatThrownBy(() -> CredentialDraft.builder(CredentialType.API_KEY)
			.allowedOrigins("https://ok.example.com", "http://api.example.com")
			.build()).isInstanceOf(InvalidCredentialException.class)
			.hasMessageStartingWith("allowedOrigins entry 2 must be an origin: https://host or https://host:port");
		assertThatThrownBy(() -> CredentialDraft.builder(CredentialType.API_KEY)
			.allowedOrigins("https://api.example.com/v1")
			.build()).isInstanceOf(InvalidCredentialException.class);
		assertThatThrownBy(() -> CredentialDraft.builder(CredentialType.API_KEY)
			.allowedProcesses("bad key!")
			.build()).isInstanceOf(InvalidCredentialException.class)
			.hasMessageStartingWith("allowedProcesses entry 1 is not a process definition key");
	}

	private String store(String key, CredentialDraft.Builder draft) {
		String secret = this.secrets.fresh(key.toLowerCase());
		this.credentials.save(draft.tenantId(this.tenant).key(key).provider("policy-test")
			.secrets(Map.of("apiKey", secret))
			.build());
		return secret;
	}

	private void deploy(String resource) {
		this.repositoryService.createDeployment().addClasspathResource(resource).tenantId(this.tenant).deploy();
	}

	private ProcessInstance start(String processKey) {
		return this.runtimeService.createProcessInstanceByKey(processKey).processDefinitionTenantId(this.tenant).execute();
	}

}
