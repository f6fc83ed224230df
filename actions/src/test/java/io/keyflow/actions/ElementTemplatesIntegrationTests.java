package io.keyflow.actions;

import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.builder.ServiceTaskBuilder;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Camunda Modeler element templates shipped under {@code element-templates/}: well-formed for Camunda 7,
 * bound to an existing action, using only credential properties Keyflow reads, and a task built from each
 * template with its default values deploys on a real engine with Keyflow. No credential is stored, so no leak
 * scan: this class does not extend {@link ActionEngineTestSupport}.
 */
@SpringBootTest(classes = ActionsTestApplication.class)
class ElementTemplatesIntegrationTests {

	private static final String SCHEMA = "https://unpkg.com/@camunda/element-templates-json-schema/resources/schema.json";

	private static final Set<String> BINDING_TYPES = Set.of("property", "camunda:inputParameter", "camunda:property");

	private static final Set<Class<?>> ACTIONS = Set.of(HttpRequestAction.class, GitHubGetUserAction.class,
			GitHubCreateIssueAction.class, GitHubListRepositoriesAction.class, SlackPostMessageAction.class,
			GoogleSheetsAppendRowAction.class, OpenAiChatCompletionAction.class);

	@Autowired
	ApplicationContext context;

	@Autowired
	RepositoryService repositoryService;

	@Test
	void templatesWhenParsedThenCamunda7ShapeAndEveryActionHasOne() throws Exception {
		List<JsonNode> templates = templates();
		assertThat(templates).hasSizeGreaterThanOrEqualTo(ACTIONS.size());
		Set<String> ids = new HashSet<>();
		Set<Class<?>> bound = new HashSet<>();
		for (JsonNode template : templates) {
			String id = template.path("id").asText();
			assertThat(ids.add(id)).as("unique id %s", id).isTrue();
			assertThat(template.path("$schema").asText()).as(id).isEqualTo(SCHEMA);
			assertThat(template.path("name").asText()).as(id).startsWith("Keyflow: ");
			assertThat(template.path("version").isInt()).as(id).isTrue();
			assertThat(template.path("appliesTo").toString()).as(id).isEqualTo("[\"bpmn:ServiceTask\"]");
			Set<String> groups = new HashSet<>();
			template.path("groups").forEach((group) -> groups.add(group.path("id").asText()));
			for (JsonNode property : template.path("properties")) {
				JsonNode binding = property.path("binding");
				assertThat(binding.path("type").asText()).as(id).isIn(BINDING_TYPES);
				assertThat(binding.path("name").asText()).as(id).isNotBlank();
				if (!"Hidden".equals(property.path("type").asText())) {
					assertThat(property.path("label").asText()).as(id + " " + binding).isNotBlank();
					assertThat(groups).as(id + " " + binding).contains(property.path("group").asText());
				}
				if ("Dropdown".equals(property.path("type").asText())) {
					assertThat(property.path("choices").size()).as(id + " " + binding).isPositive();
				}
			}
			if (!isExternalTask(template)) {
				bound.add(actionClass(template));
			}
		}
		assertThat(bound).containsExactlyInAnyOrderElementsOf(ACTIONS);
		assertThat(templates.stream().filter(ElementTemplatesIntegrationTests::isExternalTask))
			.as("templates for external tasks, whose workers exchange them for the credential")
			.isNotEmpty();
	}

	@Test
	void templatesWhenBoundToAClassThenItIsAnActionTheAutoConfigurationAlsoOffersAsBean() throws Exception {
		for (JsonNode template : templates()) {
			if (isExternalTask(template)) {
				assertThat(template.toString()).as(template.path("id").asText()).doesNotContain("camunda:class");
				continue;
			}
			Class<?> action = actionClass(template);
			assertThat(JavaDelegate.class).as(template.path("id").asText()).isAssignableFrom(action);
			assertThat(this.context.getBeanNamesForType(action)).as(action.getName()).hasSize(1);
		}
	}

	@Test
	void templatesWhenCredentialPropertiesThenOnlyNamesKeyflowReads() throws Exception {
		Set<String> known = keyflowCredentialProperties();
		assertThat(known).contains("credential.key", "credential.provider", "credential.required", "credential.scopes");
		for (JsonNode template : templates()) {
			for (JsonNode property : template.path("properties")) {
				JsonNode binding = property.path("binding");
				if ("camunda:property".equals(binding.path("type").asText())) {
					assertThat(binding.path("name").asText()).as(template.path("id").asText()).isIn(known);
				}
			}
		}
	}

	@Test
	void deployWhenTaskBuiltFromEachTemplateWithDefaultsThenEngineAcceptsIt() throws Exception {
		int index = 0;
		for (JsonNode template : templates()) {
			String processKey = "template-" + index++;
			Map<String, String> properties = new LinkedHashMap<>();
			BpmnModelInstance model = ActionEngineTestSupport.process(processKey,
					(task) -> apply(template, task, properties), properties);
			this.repositoryService.createDeployment().addModelInstance("process.bpmn", model).deploy();
			assertThat(this.repositoryService.createProcessDefinitionQuery().processDefinitionKey(processKey).count())
				.as(template.path("id").asText())
				.isOne();
		}
	}

	/** Applies the template as the Modeler would, with a sample value where the user must type one. */
	private static ServiceTaskBuilder apply(JsonNode template, ServiceTaskBuilder task, Map<String, String> properties) {
		ServiceTaskBuilder result = task;
		for (JsonNode property : template.path("properties")) {
			JsonNode binding = property.path("binding");
			String name = binding.path("name").asText();
			boolean required = property.path("constraints").path("notEmpty").asBoolean(false);
			String value = property.has("value") ? property.path("value").asText() : required ? "sample" : "";
			switch (binding.path("type").asText()) {
				case "property" -> {
					if (name.equals("camunda:class")) {
						result = result.camundaClass(value);
					}
					else if (name.equals("camunda:asyncBefore")) {
						result = result.camundaAsyncBefore(Boolean.parseBoolean(value));
					}
					else if (name.equals("camunda:type")) {
						result = result.camundaType(value);
					}
					else if (name.equals("camunda:topic")) {
						result = result.camundaTopic(value);
					}
				}
				case "camunda:inputParameter" -> {
					if (!property.path("optional").asBoolean(false) || !value.isEmpty()) {
						result = result.camundaInputParameter(name, value);
					}
				}
				case "camunda:property" -> properties.put(name, name.equals("credential.key") && required ? "SAMPLE_KEY" : value);
				default -> throw new AssertionError("unexpected binding " + binding);
			}
		}
		return result;
	}

	/** A template for an external task: {@code camunda:type="external"}, a topic, no action class. */
	private static boolean isExternalTask(JsonNode template) {
		for (JsonNode property : template.path("properties")) {
			if ("camunda:type".equals(property.path("binding").path("name").asText())) {
				return "external".equals(property.path("value").asText());
			}
		}
		return false;
	}

	private static Class<?> actionClass(JsonNode template) throws ClassNotFoundException {
		List<String> classes = new ArrayList<>();
		for (JsonNode property : template.path("properties")) {
			if ("camunda:class".equals(property.path("binding").path("name").asText())) {
				assertThat(property.path("type").asText()).isEqualTo("Hidden");
				classes.add(property.path("value").asText());
			}
		}
		assertThat(classes).as(template.path("id").asText()).hasSize(1);
		return Class.forName(classes.get(0));
	}

	/** The credential.* names from Keyflow's own parser, so the test follows it when it changes. */
	private static Set<String> keyflowCredentialProperties() throws Exception {
		Class<?> parser = Class.forName("io.keyflow.plugin.internal.engine.RequirementProperties");
		Set<String> names = new HashSet<>();
		for (Field field : parser.getDeclaredFields()) {
			if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
				field.setAccessible(true);
				String value = (String) field.get(null);
				if (value.startsWith("credential.") && value.length() > "credential.".length()) {
					names.add(value);
				}
			}
		}
		return names;
	}

	private static List<JsonNode> templates() throws Exception {
		ObjectMapper mapper = new ObjectMapper();
		List<JsonNode> templates = new ArrayList<>();
		Resource[] files = new PathMatchingResourcePatternResolver().getResources("classpath*:element-templates/*.json");
		assertThat(files).isNotEmpty();
		for (Resource file : files) {
			try (InputStream in = file.getInputStream()) {
				JsonNode root = mapper.readTree(in);
				assertThat(root.isArray()).as(file.getFilename() + " is a JSON array of templates").isTrue();
				root.forEach(templates::add);
			}
		}
		return templates;
	}

}
