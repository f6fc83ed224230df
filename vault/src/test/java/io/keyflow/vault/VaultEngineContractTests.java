package io.keyflow.vault;

import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.keyflow.api.CredentialType;
import io.keyflow.api.ReadOnlyStoreException;
import io.keyflow.plugin.CredentialDraft;
import io.keyflow.plugin.CredentialService;
import io.keyflow.plugin.KeyflowEngine;
import io.keyflow.plugin.LeakScan;
import io.keyflow.plugin.LeakScanner;
import io.keyflow.vault.actuate.KeyflowVaultHealthIndicator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The whole path on a real Camunda engine (H2, history full) with Keyflow's Vault auto-configuration on, KV
 * and transit played by {@link VaultContractServer}: request counts with the cache and with envelope
 * encryption, Vault down and back under an asyncBefore task, refused writes, and a leak scan of every table and
 * the log for the secrets, the token and the transit data keys ({@link LeakScan}, after the last test).
 */
@SpringBootTest(classes = VaultTestApplication.class)
@ExtendWith(LeakScan.class)
class VaultEngineContractTests {

	static final String TOKEN = "hvs.engine-test-token";

	static final VaultContractServer VAULT = VaultContractServer.start().token(TOKEN).transitKey("keyflow");

	static final int RUNS = 1_000;

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

	@Autowired
	VaultKvCredentialStore vaultStore;

	@Autowired
	KeyflowVaultHealthIndicator health;

	@Autowired
	VaultTestApplication.Recorder recorder;

	@Autowired
	DataSource dataSource;

	LeakScan.Secrets secrets;

	@DynamicPropertySource
	static void vault(DynamicPropertyRegistry registry) {
		registry.add("keyflow.vault.address", VAULT::address);
		registry.add("keyflow.vault.authentication.token", () -> TOKEN);
		registry.add("keyflow.vault.transit.enabled", () -> "true");
		registry.add("keyflow.stores", () -> "vault-kv,local");
	}

	@BeforeEach
	void setUp(LeakScan.Secrets secrets) {
		this.secrets = secrets;
		secrets.add(TOKEN);
		this.repositoryService.createDeployment()
			.addClasspathResource("bpmn/vault-key.bpmn")
			.addClasspathResource("bpmn/vault-async.bpmn")
			.deploy();
		this.recorder.seen.clear();
	}

	@AfterEach
	void dataKeysAreSecrets() {
		VAULT.generatedDataKeys().forEach(this.secrets::add);
	}

	@AfterAll
	static void stopVault() {
		VAULT.close();
	}

	@Test
	void startWhenThousandTasksUseOneVaultCredentialWithinTtlThenOneVaultRead() {
		String secret = vaultSecret("VAULT_API");
		VAULT.clearRequests();

		for (int i = 0; i < RUNS; i++) {
			this.runtimeService.startProcessInstanceByKey("vault-key", Map.of("key", "VAULT_API"));
		}

		assertThat(this.recorder.seen).hasSize(RUNS).containsOnly(secret);
		assertThat(VAULT.requests("/v1/secret/")).extracting(VaultContractServer.Request::toString)
			.containsExactly("GET /v1/secret/data/keyflow/default/VAULT_API");
		System.out.println("[measured] " + RUNS + " task executions with one Vault KV credential -> "
				+ VAULT.requests("/v1/secret/").size() + " Vault read(s), " + VAULT.requests().size() + " request(s) in all");
	}

	@Test
	void startWhenThousandTasksUseLocalCredentialUnderTransitDataKeyThenNoTransitCall() throws Exception {
		String secret = localSecret("LOCAL_API");
		VAULT.clearRequests();

		for (int i = 0; i < RUNS; i++) {
			this.runtimeService.startProcessInstanceByKey("vault-key", Map.of("key", "LOCAL_API"));
		}

		assertThat(this.recorder.seen).hasSize(RUNS).containsOnly(secret);
		assertThat(VAULT.requests("/v1/transit/")).isEmpty();
		// vault-kv is asked first (keyflow.stores): one "not found", cached
		assertThat(VAULT.lines()).containsExactly("GET /v1/secret/data/keyflow/default/LOCAL_API");
		JdbcTemplate sql = new JdbcTemplate(this.dataSource);
		assertThat(sql.queryForObject("select KEY_ID_ from KEYFLOW_CREDENTIAL where KEY_ = 'LOCAL_API'", String.class))
			.isEqualTo(sql.queryForObject("select KEY_ID_ from KEYFLOW_DATA_KEY where STATUS_ = 'PRIMARY'",
					String.class));
		// the data key came from transit: the leak scan after the last test looks for it in every table
		assertThat(VAULT.generatedDataKeys()).isNotEmpty();
		assertThat(LeakScanner.tableNames(this.dataSource)).contains("KEYFLOW_DATA_KEY");
		System.out.println("[measured] " + RUNS + " resolutions of a local credential under a transit data key -> "
				+ VAULT.requests("/v1/transit/").size() + " transit call(s)");
	}

	@Test
	void jobWhenVaultDownThenRetryableFailureWithClearMessageAndSucceedsOnceBack() {
		String secret = vaultSecret("ASYNC_API");
		// its own local credential: the test does not depend on what other tests stored
		localSecret("ASYNC_LOCAL_API");
		int localRows = localRows();
		ProcessInstance instance = this.runtimeService.startProcessInstanceByKey("vault-async",
				Map.of("key", "ASYNC_API"));
		Job job = job(instance);

		VAULT.failWith(503);
		assertThatThrownBy(() -> this.managementService.executeJob(job.getId()))
			.hasMessageContaining("HashiCorp Vault answered 503 when Keyflow tried to read "
					+ "secret/data/keyflow/default/ASYNC_API; this is temporary: retry the task");
		VAULT.recover();
		VAULT.refuseConnections();
		assertThatThrownBy(() -> this.managementService.executeJob(job.getId()))
			.hasMessageContaining("HashiCorp Vault is unreachable when Keyflow tried to read "
					+ "secret/data/keyflow/default/ASYNC_API");
		Job failed = job(instance);
		assertThat(failed.getRetries()).isEqualTo(1);
		assertThat(failed.getExceptionMessage()).contains("HashiCorp Vault is unreachable").doesNotContain(TOKEN);
		assertThat(this.runtimeService.createIncidentQuery().processInstanceId(instance.getId()).count()).isZero();
		assertThat(this.recorder.seen).isEmpty();

		VAULT.recover();
		this.managementService.executeJob(failed.getId());

		assertThat(this.recorder.seen).containsExactly(secret);
		assertThat(this.runtimeService.createProcessInstanceQuery().processInstanceId(instance.getId()).count())
			.isZero();
		assertThat(localRows()).isEqualTo(localRows);
		this.runtimeService.startProcessInstanceByKey("vault-key", Map.of("key", "ASYNC_LOCAL_API"));
		assertThat(this.recorder.seen).hasSize(2);
	}

	@Test
	void saveAndDeleteWhenVaultCredentialThenReadOnlyStoreExceptionNamingTheVaultPath() {
		// its own Vault credential: another test's key might be cached or counted there
		vaultSecret("READ_ONLY_API");
		var credential = this.keyflow.store().findById(null, "vault:default/READ_ONLY_API").orElseThrow();
		VAULT.clearRequests();

		assertThatExceptionOfType(ReadOnlyStoreException.class).isThrownBy(() -> this.keyflow.store().save(credential))
			.withMessage("credential store 'vault-kv' is read-only; manage this credential at "
					+ "secret/data/keyflow/default/READ_ONLY_API");
		assertThatExceptionOfType(ReadOnlyStoreException.class)
			.isThrownBy(() -> this.keyflow.store().delete(null, credential.id()))
			.satisfies((ex) -> assertThat(ex.getLocation()).isEqualTo("secret/data/keyflow/default/READ_ONLY_API"));
		assertThat(VAULT.requests()).isEmpty();
		assertThat(this.keyflow.stores()).extracting((store) -> store.name()).containsExactly("vault-kv", "local");
	}

	@Test
	void healthWhenVaultAnswersThenUp() {
		assertThat(this.health.health().getStatus()).isEqualTo(Status.UP);
	}

	private String vaultSecret(String key) {
		String secret = this.secrets.add("vault-" + UUID.randomUUID());
		VAULT.kv("secret", "keyflow/default/" + key, Map.of("type", "api_key", "apiKey", secret));
		return secret;
	}

	private String localSecret(String key) {
		String secret = this.secrets.add("local-" + UUID.randomUUID());
		this.credentials.save(CredentialDraft.builder(CredentialType.API_KEY)
			.key(key)
			.secrets(Map.of("apiKey", secret))
			.build());
		return secret;
	}

	private Job job(ProcessInstance instance) {
		return this.managementService.createJobQuery().processInstanceId(instance.getId()).singleResult();
	}

	private int localRows() {
		return new JdbcTemplate(this.dataSource).queryForObject("select count(*) from KEYFLOW_CREDENTIAL",
				Integer.class);
	}

}
