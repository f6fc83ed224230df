package io.keyflow.plugin;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;

import io.keyflow.api.CredentialType;
import io.keyflow.api.KeyConfigurationException;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The encryption key at application start-up, with a real engine on one H2 database across restarts: a wrong
 * or missing key stops the application with a clear message, and a key rotation (new key first, old key
 * after, re-encrypt, old key removed) keeps every credential readable by tasks.
 */
class EncryptionKeyStartupIntegrationTests {

	private final String database = "jdbc:h2:mem:keyflow-startup-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

	@Test
	void startWhenKeyIsWrongMissingOrRotatedThenFailsClearlyOrKeepsEveryCredential() {
		String oldKey = newKey();
		String newKey = newKey();
		String secret = "sk-rotation-" + UUID.randomUUID();

		try (ConfigurableApplicationContext app = start(oldKey)) {
			app.getBean(CredentialService.class)
				.save(CredentialDraft.builder(CredentialType.API_KEY).key("ROTATED_API").provider("rotated")
					.secret("apiKey", secret).build());
			app.getBean(RepositoryService.class).createDeployment().addClasspathResource("bpmn/explicit-key.bpmn").deploy();
			assertThat(runTask(app)).isEqualTo(secret);
		}

		assertThatThrownBy(() -> start(newKey)).hasRootCauseInstanceOf(KeyConfigurationException.class)
			.rootCause()
			.hasMessageStartingWith("stored credentials are encrypted under key id(s) ")
			.hasMessageContaining("not present in KEYFLOW_ENCRYPTION_KEY")
			.hasMessageNotContaining(newKey)
			.hasMessageNotContaining(oldKey);
		assertThatThrownBy(() -> start("")).hasRootCauseInstanceOf(KeyConfigurationException.class)
			.rootCause()
			.hasMessageStartingWith("no encryption key configured");
		assertThatThrownBy(() -> start("not-a-key")).hasRootCauseInstanceOf(KeyConfigurationException.class)
			.rootCause()
			.hasMessageNotContaining("not-a-key");

		try (ConfigurableApplicationContext app = start(newKey + "," + oldKey)) {
			assertThat(runTask(app)).isEqualTo(secret);
			assertThat(app.getBean(CredentialService.class).reEncryptAll()).isEqualTo(1);
		}

		try (ConfigurableApplicationContext app = start(newKey)) {
			assertThat(runTask(app)).isEqualTo(secret);
		}
	}

	private ConfigurableApplicationContext start(String key) {
		// arguments, not default properties: they must win over the test application.yaml
		return new SpringApplicationBuilder(KeyflowTestApplication.class)
			.run("--spring.datasource.url=" + this.database, "--keyflow.encryption.key=" + key,
					"--spring.main.banner-mode=off");
	}

	private static String runTask(ConfigurableApplicationContext app) {
		RecordingActions.reset();
		app.getBean(RuntimeService.class).startProcessInstanceByKey("explicit-key",
				java.util.Map.of("tenantKey", "ROTATED_API"));
		return RecordingActions.SEEN.get("useKey");
	}

	private static String newKey() {
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		return Base64.getEncoder().encodeToString(key);
	}

}
