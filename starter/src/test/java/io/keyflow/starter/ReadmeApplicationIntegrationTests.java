package io.keyflow.starter;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import javax.xml.parsers.DocumentBuilderFactory;

import io.keyflow.plugin.LogCapture;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.DefaultResourceLoader;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * "Using Keyflow in your application" cannot rot: this builds the README's application from its snippets (an
 * empty Camunda Spring Boot application, the README's Java class, {@code application.yaml} and BPMN file),
 * compiles it against this module's class path (the starter's dependencies, Camunda's REST starter, H2), starts
 * it, and runs the README's commands against it. The README's {@code pom.xml} snippet must name this module.
 */
class ReadmeApplicationIntegrationTests {

	/** What start.camunda.com generates: the application class of an empty application. */
	private static final String EMPTY_APPLICATION = """
			package com.example.app;

			import org.springframework.boot.SpringApplication;
			import org.springframework.boot.autoconfigure.SpringBootApplication;

			@SpringBootApplication
			public class Application {

			    public static void main(String... args) {
			        SpringApplication.run(Application.class, args);
			    }

			}
			""";

	private final Map<String, String> snippets = ReadmeSnippets.read();

	@TempDir
	Path project;

	@Test
	void readmeSnippetsWhenReadThenTheApplicationsFilesAreAllThere() {
		assertThat(this.snippets).containsOnlyKeys("pom.xml",
				"src/main/java/com/example/app/EngineRestAuthentication.java", "src/main/resources/application.yaml",
				"src/main/resources/hello-keyflow.bpmn", "first-task.sh");
	}

	@Test
	void pomSnippetWhenParsedThenNamesThisStartersCoordinates() throws Exception {
		Element dependency = parse(this.snippets.get("pom.xml")).getDocumentElement();
		Element starter = parse(Files.readString(Path.of("pom.xml"))).getDocumentElement();

		assertThat(dependency.getTagName()).isEqualTo("dependency");
		assertThat(child(dependency, "groupId")).isEqualTo(child(child(starter, "parent", true), "groupId"));
		assertThat(child(dependency, "artifactId")).isEqualTo(child(starter, "artifactId"))
			.isEqualTo("keyflow-spring-boot-starter");
		assertThat(child(dependency, "version")).isEqualTo(child(child(starter, "parent", true), "version"));
	}

	@Test
	void readmeApplicationWhenStartedThenAlicesFirstTaskGetsHerCredentialAndNothingIsWarned() throws Exception {
		assumeThat(onPath("curl")).as("curl runs the README's commands").isTrue();
		String adminKey = newKey();
		try (Running app = start(Set.of(), adminKey)) {
			String output = runFirstTask(app.port(), adminKey);

			RuntimeService runtime = app.context().getBean(RuntimeService.class);
			List<ProcessInstance> instances = runtime.createProcessInstanceQuery().processDefinitionKey("hello-keyflow")
				.list();
			assertThat(instances).as("instances started by the README's commands; their output:%n%s", output).hasSize(1);
			assertThat(runtime.getVariable(instances.get(0).getId(), "keyOwner")).isEqualTo("alice");
			assertThat(output).doesNotContain("her-weather-api-key");
			assertThat(app.log().text()).doesNotContain("KEYFLOW-R200", "KEYFLOW-R201", "her-weather-api-key");
		}
	}

	@Test
	void readmeApplicationWhenEngineRestIsLeftOpenThenStartUpWarnsAndNamesThePerUserTask() throws Exception {
		try (Running app = start(Set.of("src/main/java/com/example/app/EngineRestAuthentication.java"), newKey())) {
			assertThat(app.log().text()).contains("KEYFLOW-R200 Camunda's REST API (/engine-rest/*) accepts "
					+ "unauthenticated calls, and 1 deployed task(s) use the credential of the user who started their "
					+ "process (hello-keyflow/useKey)")
				.doesNotContain("KEYFLOW-R201");
		}
	}

	@Test
	void readmeApplicationWhenTheEngineHasNoUserThenStartUpSaysEveryEngineRestCallIs401() throws Exception {
		try (Running app = start(Set.of("src/main/resources/application.yaml"), newKey())) {
			assertThat(app.log().text()).contains("KEYFLOW-R201 Camunda's REST API (/engine-rest/*) requires a Camunda "
					+ "user, and process engine 'default' has none: every call is answered 401.")
				.doesNotContain("KEYFLOW-R200");
		}
	}

	/** The README's application without the given snippets, started on a free port with a fresh database. */
	private Running start(Set<String> leftOut, String adminKey) throws IOException, ClassNotFoundException {
		Path classes = build(leftOut);
		ClassLoader previous = Thread.currentThread().getContextClassLoader();
		URLClassLoader loader = new URLClassLoader(new URL[] { classes.toUri().toURL() }, getClass().getClassLoader());
		Thread.currentThread().setContextClassLoader(loader);
		SpringApplication application = new SpringApplication(loader.loadClass("com.example.app.Application"));
		application.setResourceLoader(new DefaultResourceLoader(loader));
		application.addInitializers(new LogCapture.Initializer());
		// what the README sets in the environment, and an in-memory database instead of the application's
		ConfigurableApplicationContext context = application.run("--server.port=0",
				"--keyflow.encryption.key=" + newKey(), "--keyflow.rest.admin-api-key=" + adminKey,
				"--spring.datasource.url=jdbc:h2:mem:readme-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		return new Running(context, context.getBean(LogCapture.class), loader, previous);
	}

	private record Running(ConfigurableApplicationContext context, LogCapture log, URLClassLoader loader,
			ClassLoader previous) implements AutoCloseable {

		String port() {
			return this.context.getEnvironment().getProperty("local.server.port");
		}

		@Override
		public void close() throws IOException {
			try {
				this.context.close();
				this.log.detach();
				this.loader.close();
			}
			finally {
				Thread.currentThread().setContextClassLoader(this.previous);
			}
		}

	}

	/** Writes the README's files into an empty application and compiles it; returns its class path directory. */
	private Path build(Set<String> leftOut) throws IOException {
		Path sources = this.project.resolve("src/main/java");
		Path classes = this.project.resolve("target/classes");
		write("src/main/java/com/example/app/Application.java", EMPTY_APPLICATION);
		List<String> arguments = new ArrayList<>(List.of("-d", classes.toString(), "-classpath",
				System.getProperty("java.class.path"), "-proc:none", "--release", "17"));
		for (Map.Entry<String, String> snippet : this.snippets.entrySet()) {
			if (snippet.getKey().startsWith("src/") && !leftOut.contains(snippet.getKey())) {
				Path file = write(snippet.getKey(), snippet.getValue());
				if (snippet.getKey().startsWith("src/main/resources/")) {
					Path target = classes.resolve(this.project.resolve("src/main/resources").relativize(file).toString());
					Files.createDirectories(target.getParent());
					Files.copy(file, target);
				}
			}
		}
		try (var files = Files.walk(sources)) {
			files.filter((file) -> file.toString().endsWith(".java")).forEach((file) -> arguments.add(file.toString()));
		}
		Files.createDirectories(classes);
		JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
		assertThat(compiler.run(null, null, null, arguments.toArray(String[]::new))).as("javac exit code").isZero();
		return classes;
	}

	private Path write(String path, String text) throws IOException {
		Path file = this.project.resolve(path);
		Files.createDirectories(file.getParent());
		return Files.writeString(file, text, StandardCharsets.UTF_8);
	}

	private String runFirstTask(String port, String adminKey) throws IOException, InterruptedException {
		Path script = write("first-task.sh",
				this.snippets.get("first-task.sh").replace("http://localhost:8080", "http://localhost:" + port));
		ProcessBuilder builder = new ProcessBuilder("bash", "-e", script.toString()).redirectErrorStream(true);
		builder.environment().put("KEYFLOW_ADMIN_API_KEY", adminKey);
		Process process = builder.start();
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the README's commands finish").isTrue();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.exitValue()).as("exit code of the README's commands; output:%n%s", output).isZero();
		return output;
	}

	private static boolean onPath(String command) {
		String path = System.getenv("PATH");
		return path != null && List.of(path.split(File.pathSeparator)).stream()
			.anyMatch((dir) -> new File(dir, command).canExecute());
	}

	private static Document parse(String xml) throws Exception {
		return DocumentBuilderFactory.newInstance().newDocumentBuilder()
			.parse(new org.xml.sax.InputSource(new java.io.StringReader(xml)));
	}

	private static Element child(Element parent, String name, boolean element) {
		for (var node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
			if (node instanceof Element child && child.getTagName().equals(name)) {
				return child;
			}
		}
		throw new AssertionError(parent.getTagName() + " has no <" + name + ">");
	}

	private static String child(Element parent, String name) {
		return child(parent, name, true).getTextContent().trim();
	}

	private static String newKey() {
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		return Base64.getEncoder().encodeToString(key);
	}

}
