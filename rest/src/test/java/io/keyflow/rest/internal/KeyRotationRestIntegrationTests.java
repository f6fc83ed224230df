package io.keyflow.rest.internal;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.cfg.StandaloneProcessEngineConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.keyflow.api.CredentialType;
import io.keyflow.plugin.CredentialDraft;
import io.keyflow.plugin.KeyflowEngine;
import io.keyflow.plugin.KeyflowTestApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The rotation runbook over real HTTP: the application runs with {@code NEW,OLD}, credentials are stored under OLD,
 * {@code POST /keys/re-encrypt} moves them in the background while tasks keep resolving them, {@code GET /keys} then
 * shows nothing under OLD, and a restart with NEW alone (the start-up key check, then tasks on a new process engine)
 * still resolves every credential.
 */
@SpringBootTest(classes = { KeyflowTestApplication.class, KeyRotationRestIntegrationTests.RecorderConfig.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=servlet", "spring.autoconfigure.exclude=",
				"keyflow.rest.admin-api-key=" + KeyRotationRestIntegrationTests.ADMIN_KEY })
class KeyRotationRestIntegrationTests {

	static final String ADMIN_KEY = "rotation-admin-8a4e2f51-6b0c-4d7e-9f13-2c5a7b9d0e64";

	static final String OLD = newKey();

	static final String NEW = newKey();

	static final int CREDENTIALS = 250;

	@LocalServerPort
	int port;

	@Autowired
	DataSource dataSource;


	@Autowired
	RuntimeService runtime;

	@Autowired
	RepositoryService repository;

	@Autowired
	Recorder recorder;

	RestClient http;

	@DynamicPropertySource
	static void keys(DynamicPropertyRegistry registry) {
		registry.add("keyflow.encryption.key", () -> NEW + "," + OLD);
	}

	@BeforeEach
	void setUp() {
		this.http = new RestClient(this.port);
	}

	@Test
	void reEncryptWhenStartedOverRestThenCompletesWhileTasksResolveAndTheOldKeyCanBeRemoved() throws Exception {
		// what an installation holds before the rotation: every credential under OLD
		KeyflowEngine before = KeyflowEngine.builder(this.dataSource).encryptionKey(OLD).schemaUpdate(false).build();
		Map<String, String> stored = new ConcurrentHashMap<>();
		for (int i = 0; i < CREDENTIALS; i++) {
			String secret = "rotation-" + i + "-" + UUID.randomUUID();
			before.credentialService().save(CredentialDraft.builder(CredentialType.API_KEY)
				.key("ROTATION_" + i)
				.secrets(Map.of("apiKey", secret))
				.build());
			stored.put("ROTATION_" + i, secret);
		}
		this.repository.createDeployment().addClasspathResource("bpmn/rotation-key.bpmn").deploy();
		String oldKeyId = keyIds().stream().filter((id) -> !isPrimary(id)).findFirst().orElseThrow();
		assertThat(keyUsage(oldKeyId)).containsEntry("credentials", CREDENTIALS);

		AtomicBoolean rotating = new AtomicBoolean(true);
		ExecutorService tasks = Executors.newFixedThreadPool(4);
		List<Future<Integer>> runs = new ArrayList<>();
		for (int t = 0; t < 4; t++) {
			int offset = t;
			runs.add(tasks.submit(() -> {
				int ran = 0;
				while (rotating.get() || ran == 0) {
					String key = "ROTATION_" + ((offset + ran * 4) % CREDENTIALS);
					this.runtime.startProcessInstanceByKey("rotation-key", Map.of("credentialKey", key));
					assertThat(this.recorder.seen.get(key)).isEqualTo(stored.get(key));
					ran++;
				}
				return ran;
			}));
		}
		RestClient.Response started = this.http.post("/api/credentials/keys/re-encrypt", ADMIN_KEY, Map.of());
		await().atMost(Duration.ofMinutes(2)).until(() -> "DONE"
			.equals(this.http.get("/api/credentials/keys/re-encrypt", ADMIN_KEY).json().get("state")));
		rotating.set(false);
		int ran = 0;
		try {
			for (Future<Integer> run : runs) {
				ran += run.get();
			}
		}
		finally {
			tasks.shutdownNow();
		}

		assertThat(started.status()).as(started.toString()).isEqualTo(202);
		assertThat(started.header("Location")).isEqualTo("/api/credentials/keys/re-encrypt");
		Map<String, Object> done = this.http.get("/api/credentials/keys/re-encrypt", ADMIN_KEY).json();
		assertThat(done).containsEntry("state", "DONE").containsEntry("remaining", 0).containsEntry("error", null);
		assertThat(((Number) done.get("processed")).intValue()).isEqualTo(CREDENTIALS);
		assertThat(ran).isGreaterThan(0);
		assertThat(keyUsage(oldKeyId)).containsEntry("credentials", 0);
		System.out.println("KEYFLOW-TEST rotation over REST: " + CREDENTIALS + " credentials re-encrypted in "
				+ done.get("batches") + " batches while " + ran + " tasks resolved them");

		// the restart without OLD: the start-up check passes, and a process engine on the new keyring resolves
		KeyflowEngine after = KeyflowEngine.builder(this.dataSource).encryptionKey(NEW).schemaUpdate(false).build();
		this.recorder.seen.clear();
		ProcessEngine restarted = restartedEngine(after);
		try {
			for (int i = 0; i < CREDENTIALS; i += 25) {
				restarted.getRuntimeService()
					.startProcessInstanceByKey("rotation-key", Map.of("credentialKey", "ROTATION_" + i));
				assertThat(this.recorder.seen.get("ROTATION_" + i)).isEqualTo(stored.get("ROTATION_" + i));
			}
		}
		finally {
			restarted.close();
		}
	}

	@Test
	void keysWhenBoundAdminOrEditorThenRefusedAndRewrapWithoutTransitIsAConflict() {
		String boundAdmin = issue("admin", "tenant-b");
		String editor = issue("editor", null);

		RestTestSupport.assertProblem(this.http.get("/api/credentials/keys", boundAdmin), 403, "FORBIDDEN");
		RestTestSupport.assertProblem(this.http.post("/api/credentials/keys/re-encrypt", boundAdmin, Map.of()), 403,
				"FORBIDDEN");
		RestTestSupport.assertProblem(this.http.post("/api/credentials/keys/re-encrypt", editor, Map.of()), 403,
				"FORBIDDEN");
		RestTestSupport.assertProblem(this.http.post("/api/credentials/keys/rewrap", ADMIN_KEY, Map.of()), 409,
				"CONFLICT");
	}

	// this application has no keyflow.oauth2.redirect-uri (start-up warned KEYFLOW-R102)
	@Test
	void oauth2StartWhenNoRedirectUriConfiguredThen503NamingTheProperty() {
		RestClient.Response response = this.http.post("/api/credentials/oauth2/start", ADMIN_KEY,
				Map.of("providerId", "github", "key", "GITHUB_NO_REDIRECT", "clientId", "id", "clientSecret", "secret"));

		RestTestSupport.assertProblem(response, 503, "REDIRECT_URI_MISSING");
		assertThat(response.json()).containsEntry("field", "keyflow.oauth2.redirect-uri");
		assertThat((String) response.json().get("detail")).contains("keyflow.oauth2.redirect-uri");
	}

	private String issue(String role, String tenantId) {
		return RestTestSupport.issue(this.http, ADMIN_KEY, role, tenantId);
	}

	private ProcessEngine restartedEngine(KeyflowEngine keyflow) {
		StandaloneProcessEngineConfiguration configuration = new StandaloneProcessEngineConfiguration();
		configuration.setDataSource(this.dataSource);
		configuration.setDatabaseSchemaUpdate("false");
		configuration.setHistory("full");
		configuration.setJobExecutorActivate(false);
		configuration.setProcessEngineName("restarted-" + UUID.randomUUID());
		configuration.setBeans(Map.of("rotationRecorder", this.recorder));
		configuration.getProcessEnginePlugins().add(keyflow.processEnginePlugin());
		return configuration.buildProcessEngine();
	}

	@SuppressWarnings("unchecked")
	private List<String> keyIds() {
		return ((List<Map<String, Object>>) this.http.get("/api/credentials/keys", ADMIN_KEY).json().get("keys"))
			.stream()
			.map((key) -> (String) key.get("id"))
			.toList();
	}

	private boolean isPrimary(String keyId) {
		return keyUsage(keyId).get("primary").equals(Boolean.TRUE);
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> keyUsage(String keyId) {
		return ((List<Map<String, Object>>) this.http.get("/api/credentials/keys", ADMIN_KEY).json().get("keys"))
			.stream()
			.filter((key) -> keyId.equals(key.get("id")))
			.findFirst()
			.orElseThrow();
	}

	private static String newKey() {
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		return Base64.getEncoder().encodeToString(key);
	}

	/** Records, by credential key, the secret each task got. */
	public static class Recorder {

		final Map<String, String> seen = new ConcurrentHashMap<>();

		public void record(String key, String secret) {
			this.seen.put(key, secret);
		}

	}

	@TestConfiguration(proxyBeanMethods = false)
	static class RecorderConfig {

		@Bean
		Recorder rotationRecorder() {
			return new Recorder();
		}

	}

}
