package io.keyflow.actions;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;

import javax.sql.DataSource;

import io.keyflow.api.CredentialType;
import io.keyflow.plugin.CredentialDraft;
import io.keyflow.plugin.CredentialService;
import io.keyflow.plugin.LeakScan;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.history.HistoricVariableInstance;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.builder.ServiceTaskBuilder;
import org.camunda.bpm.model.bpmn.instance.ExtensionElements;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperties;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What the engine tests share: one real Camunda engine (H2, history full) with Keyflow and the actions' beans,
 * one local HTTP server every provider's base URL points at, credentials stored through
 * {@link CredentialService}, and after each class's last test a scan of every table and the log for the secrets
 * its tests stored ({@link LeakScan}).
 */
@SpringBootTest(classes = ActionsTestApplication.class)
@ExtendWith(LeakScan.class)
abstract class ActionEngineTestSupport {

	static final LocalHttpServer SERVER = new LocalHttpServer();

	/** A second local server, allow-listed only below {@code /allowed/}: the egress tests' target. */
	static final LocalHttpServer EGRESS = new LocalHttpServer();

	/** The same on {@code ::1}. */
	static final LocalHttpServer EGRESS_V6 = new LocalHttpServer(ipv6Loopback());

	/**
	 * The test configuration of the egress allow-list: the local servers are loopback and plain http, which the
	 * actions refuse unless allow-listed. Spring beans read {@code keyflow.actions.allowed-urls}; actions bound
	 * with {@code camunda:class} use the shared client, which reads the system property once.
	 */
	static final List<String> ALLOWED_URLS = List.of(SERVER.url() + "/", EGRESS.url() + "/allowed/",
			"http://localhost:" + EGRESS.port() + "/allowed/", EGRESS_V6.url() + "/allowed/");

	static {
		System.setProperty("keyflow.actions.allowed-urls", String.join(",", ALLOWED_URLS));
	}

	static final String TASK = "call";

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

	/** Every secret this class's tests stored: none may show up in a table or the log. */
	LeakScan.Secrets secrets;

	@DynamicPropertySource
	static void pointProvidersAtTheLocalServer(DynamicPropertyRegistry registry) {
		for (String service : List.of("github", "slack", "google-sheets", "openai")) {
			registry.add("keyflow.actions." + service + ".base-url", SERVER::url);
		}
		registry.add("keyflow.actions.request-timeout", () -> "PT5S");
		registry.add("keyflow.actions.allowed-urls", () -> String.join(",", ALLOWED_URLS));
	}

	private static java.net.InetAddress ipv6Loopback() {
		try {
			return java.net.InetAddress.getByName("::1");
		}
		catch (java.net.UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@BeforeEach
	void secretsAndResetServer(LeakScan.Secrets secrets) {
		this.secrets = secrets;
		SERVER.reset();
		EGRESS.reset();
		EGRESS_V6.reset();
	}

	/**
	 * Stores a credential with a fresh random secret.
	 * @return the secret (the access token, API key or password)
	 */
	String store(CredentialType type, String key, String provider, String principalId, Set<String> scopes,
			Map<String, String> metadata) {
		return store(type, key, provider, principalId, scopes, metadata, UnaryOperator.identity());
	}

	/**
	 * Stores a credential with a fresh random secret and a usage policy.
	 * @param policy sets allowedOrigins, sealed, ... on the draft
	 * @return the secret
	 */
	String store(CredentialType type, String key, String provider, String principalId, Set<String> scopes,
			Map<String, String> metadata, UnaryOperator<CredentialDraft.Builder> policy) {
		String secret = "s3cr3t-" + type.wireName() + "-" + UUID.randomUUID();
		this.secrets.add(secret);
		Map<String, String> secrets = switch (type) {
			case OAUTH2 -> Map.of("accessToken", secret);
			case API_KEY -> Map.of("apiKey", secret);
			case STATIC -> Map.of("value", secret);
			case BASIC -> {
				this.secrets.add(Base64.getEncoder().encodeToString(("robot:" + secret).getBytes(StandardCharsets.UTF_8)));
				yield Map.of("username", "robot", "password", secret);
			}
		};
		this.credentials.save(policy.apply(CredentialDraft.builder(type)
			.key(key)
			.provider(provider)
			.principalId(principalId)
			.scopes(scopes)
			.metadata(metadata)
			.secrets(secrets))
			.build());
		return secret;
	}

	/**
	 * A process: start (initiator variable {@code initiator}) → service task {@value #TASK} → end.
	 * @param processKey the process key
	 * @param task configures the service task (implementation, inputs, outputs)
	 * @param properties the task's camunda:properties, e.g. {@code credential.key}
	 */
	static BpmnModelInstance process(String processKey, UnaryOperator<ServiceTaskBuilder> task, Map<String, String> properties) {
		BpmnModelInstance model = task.apply(Bpmn.createExecutableProcess(processKey)
			.camundaHistoryTimeToLive(1)
			.startEvent("start")
			.camundaInitiator("initiator")
			.serviceTask(TASK)
			.name("Call the service")).endEvent("end").done();
		if (!properties.isEmpty()) {
			ServiceTask serviceTask = model.getModelElementById(TASK);
			ExtensionElements extensions = serviceTask.getExtensionElements();
			if (extensions == null) {
				extensions = model.newInstance(ExtensionElements.class);
				serviceTask.setExtensionElements(extensions);
			}
			CamundaProperties camundaProperties = model.newInstance(CamundaProperties.class);
			properties.forEach((name, value) -> {
				CamundaProperty property = model.newInstance(CamundaProperty.class);
				property.setCamundaName(name);
				property.setCamundaValue(value);
				camundaProperties.getCamundaProperties().add(property);
			});
			extensions.addChildElement(camundaProperties);
		}
		return model;
	}

	void deploy(BpmnModelInstance model) {
		this.repositoryService.createDeployment().addModelInstance("process.bpmn", model).deploy();
	}

	ProcessInstance startAs(String user, String processKey) {
		this.identityService.setAuthenticatedUserId(user);
		try {
			return this.runtimeService.startProcessInstanceByKey(processKey);
		}
		finally {
			this.identityService.clearAuthentication();
		}
	}

	/** @return the process instance's variables, read from history (what was stored) */
	Map<String, Object> storedVariables(ProcessInstance instance) {
		Map<String, Object> variables = new HashMap<>();
		for (HistoricVariableInstance variable : this.historyService.createHistoricVariableInstanceQuery()
			.processInstanceId(instance.getId())
			.list()) {
			variables.put(variable.getName(), variable.getValue());
		}
		return variables;
	}

}
