package io.keyflow.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;

import io.keyflow.api.CredentialType;
import io.keyflow.api.KeyConfigurationException;
import org.camunda.bpm.BpmPlatform;
import org.camunda.bpm.container.RuntimeContainerDelegate;
import org.camunda.bpm.container.impl.RuntimeContainerDelegateImpl;
import org.camunda.bpm.container.impl.deployment.AbstractParseBpmPlatformXmlStep;
import org.camunda.bpm.container.impl.deployment.DiscoverBpmPlatformPluginsStep;
import org.camunda.bpm.container.impl.deployment.PlatformXmlStartProcessEnginesStep;
import org.camunda.bpm.container.impl.deployment.StopProcessApplicationsStep;
import org.camunda.bpm.container.impl.deployment.StopProcessEnginesStep;
import org.camunda.bpm.container.impl.deployment.UnregisterBpmPlatformPluginsStep;
import org.camunda.bpm.container.impl.deployment.jobexecutor.StartJobExecutorStep;
import org.camunda.bpm.container.impl.deployment.jobexecutor.StartManagedThreadPoolStep;
import org.camunda.bpm.container.impl.deployment.jobexecutor.StopJobExecutorStep;
import org.camunda.bpm.container.impl.deployment.jobexecutor.StopManagedThreadPoolStep;
import org.camunda.bpm.container.impl.spi.DeploymentOperation;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Keyflow in a shared engine declared in {@code bpm-platform.xml}, started by Camunda's own container code: the
 * deployment operation and steps that Tomcat's {@code TomcatBpmPlatformBootstrap} runs (parse the XML, discover
 * platform plugins, start the thread pool, the job executor and the engines), not a hand-built configuration.
 */
class KeyflowPlatformIntegrationTests {

	private static final String PLATFORM_XML = "platform/bpm-platform.xml";

	@TempDir
	Path directory;

	@Test
	void bpmPlatformXmlWhenKeyOutsideTheXmlThenAUsersTaskGetsThatUsersCredential() throws Exception {
		String key = newKey();
		String apiKey = "secret-platform-" + UUID.randomUUID();
		ProcessEngine engine = startPlatform(key);
		try {
			KeyflowEngine keyflow = KeyflowPlatformPlugin.keyflowOf(engine);
			keyflow.credentialService().save(CredentialDraft.builder(CredentialType.API_KEY).provider("acme")
				.principalId("alice").secret("apiKey", apiKey).build());
			keyflow.credentialService().save(CredentialDraft.builder(CredentialType.API_KEY).provider("acme")
				.principalId("bob").secret("apiKey", "secret-bob-" + UUID.randomUUID()).build());
			engine.getRepositoryService().createDeployment()
				.addClasspathResource("platform/platform-whoami.bpmn").deploy();

			engine.getIdentityService().setAuthenticatedUserId("alice");
			ProcessInstance instance;
			try {
				instance = engine.getRuntimeService().startProcessInstanceByKey("platform-whoami");
			}
			finally {
				engine.getIdentityService().clearAuthentication();
			}

			assertThat(engine.getRuntimeService().getVariable(instance.getId(), "credentialOwner")).isEqualTo("alice");
			ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) engine
				.getProcessEngineConfiguration();
			assertThat(LeakScanner.scanDatabase(configuration.getDataSource(), Set.of(apiKey))).isEmpty();
		}
		finally {
			stopPlatform();
		}
	}

	@Test
	void bpmPlatformXmlWhenNoKeyThenTheEngineDoesNotStartAndSaysWhichVariableToSet() throws Exception {
		assertThatThrownBy(() -> startPlatform(null)).hasRootCauseInstanceOf(KeyConfigurationException.class)
			.rootCause().hasMessageStartingWith("no encryption key configured: set KEYFLOW_ENCRYPTION_KEY");
		stopPlatform();
	}

	private ProcessEngine startPlatform(String key) throws IOException {
		Path xml = this.directory.resolve("bpm-platform.xml");
		try (InputStream template = getClass().getClassLoader().getResourceAsStream(PLATFORM_XML)) {
			String text = new String(template.readAllBytes(), StandardCharsets.UTF_8)
				.replace("@JDBC_URL@", "jdbc:h2:mem:keyflow-platform-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
			Files.writeString(xml, text);
		}
		String previous = System.getProperty(KeyflowPlatformPlugin.ENCRYPTION_KEY_PROPERTY);
		// the plugin reads KEYFLOW_ENCRYPTION_KEY first; a test cannot set the environment, so it uses the fallback
		setKeyProperty(key);
		try {
			container().getServiceContainer().createDeploymentOperation("deploy BPM platform")
				.addStep(new ParseXmlFile(xml))
				.addStep(new DiscoverBpmPlatformPluginsStep())
				.addStep(new StartManagedThreadPoolStep())
				.addStep(new StartJobExecutorStep())
				.addStep(new PlatformXmlStartProcessEnginesStep())
				.execute();
		}
		finally {
			setKeyProperty(previous);
		}
		return BpmPlatform.getProcessEngineService().getProcessEngine("keyflow-platform-test");
	}

	private static void setKeyProperty(String key) {
		if (key == null) {
			System.clearProperty(KeyflowPlatformPlugin.ENCRYPTION_KEY_PROPERTY);
		}
		else {
			System.setProperty(KeyflowPlatformPlugin.ENCRYPTION_KEY_PROPERTY, key);
		}
	}

	private static void stopPlatform() {
		container().getServiceContainer().createUndeploymentOperation("undeploy BPM platform")
			.addStep(new StopProcessApplicationsStep())
			.addStep(new StopProcessEnginesStep())
			.addStep(new StopJobExecutorStep())
			.addStep(new StopManagedThreadPoolStep())
			.addStep(new UnregisterBpmPlatformPluginsStep())
			.execute();
	}

	private static String newKey() {
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		return Base64.getEncoder().encodeToString(key);
	}

	private static RuntimeContainerDelegateImpl container() {
		return (RuntimeContainerDelegateImpl) RuntimeContainerDelegate.INSTANCE.get();
	}

	/** As Tomcat's step, but the file is this test's rather than $CATALINA_BASE/conf/bpm-platform.xml. */
	private static final class ParseXmlFile extends AbstractParseBpmPlatformXmlStep {

		private final Path file;

		ParseXmlFile(Path file) {
			this.file = file;
		}

		@Override
		public URL getBpmPlatformXmlStream(DeploymentOperation operation) {
			try {
				return this.file.toUri().toURL();
			}
			catch (MalformedURLException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
