package io.keyflow.example;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.keyflow.client.KeyflowClient;
import io.keyflow.client.NewCredential;
import io.keyflow.plugin.LeakScan;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CLI as a user runs it: {@code java -jar keyflow-cli-<version>.jar} in a child process against the example
 * application, with KEYFLOW_URL and KEYFLOW_API_KEY in its environment. Asserts exit codes, stdout, stderr, and
 * that a secret given to {@code credential set} is stored (revealed by the admin) but printed nowhere.
 */
@ExtendWith(LeakScan.class)
class KeyflowCliIntegrationTests extends ClientTestApplication {

	static final Path JAR = Path.of(System.getProperty("keyflow.cli.jar", "../cli/target/keyflow-cli.jar"));

	LeakScan.Secrets secrets;

	String editorKey;

	KeyflowClient admin;

	@TempDir
	Path files;

	@Autowired
	RepositoryService repositoryService;

	@Autowired
	RuntimeService runtimeService;

	@BeforeEach
	void keys(LeakScan.Secrets secrets) {
		assertThat(JAR).as("the CLI's jar, built by the cli module before this module's tests").isRegularFile();
		this.secrets = secrets;
		secrets.add(ADMIN_KEY);
		this.editorKey = secrets.add(issue("editor"));
		this.admin = client(ADMIN_KEY);
	}

	@Test
	void keysGenerateThenExactly44Base64CharactersAndALineBreak() throws Exception {
		Result result = run(Map.of(), null, "keys", "generate");

		assertThat(result.exit()).isZero();
		assertThat(result.err()).isEmpty();
		assertThat(result.out()).matches("[A-Za-z0-9+/]{43}=\n");
		assertThat(Base64.getDecoder().decode(result.out().trim())).hasSize(32);
		assertThat(run(Map.of(), null, "keys", "generate").out()).isNotEqualTo(result.out());
	}

	@Test
	void credentialSetWhenValuesFromArgumentStdinAndFileThenAllStoredAndNoneEchoed() throws Exception {
		String inline = unique("CLI_INLINE");
		String piped = unique("CLI_PIPED");
		String filed = unique("CLI_FILED");
		String inlineSecret = this.secrets.fresh("inline");
		String pipedSecret = this.secrets.fresh("piped");
		String filedSecret = this.secrets.fresh("filed");
		Path file = Files.writeString(this.files.resolve("secret.txt"), filedSecret + "\n");

		Result result = run(editor(), pipedSecret + "\n", "credential", "set", inline + "=" + inlineSecret,
				piped + "=-", filed + "=@" + file);

		assertThat(result.exit()).as(result.toString()).isZero();
		assertThat(result.out()).isEqualTo(inline + "\tcreated\n" + piped + "\tcreated\n" + filed + "\tcreated\n");
		assertThat(result.out() + result.err()).doesNotContain(inlineSecret, pipedSecret, filedSecret);
		assertThat(revealed(inline)).isEqualTo(inlineSecret);
		assertThat(revealed(piped)).isEqualTo(pipedSecret);
		assertThat(revealed(filed)).isEqualTo(filedSecret);

		Result again = run(editor(), null, "credential", "set", inline + "=" + this.secrets.fresh("rotated"));
		assertThat(again.out()).isEqualTo(inline + "\tupdated\n");
	}

	@Test
	void credentialSetWhenOnePairInvalidThenExit1NamingItAndNothingStored() throws Exception {
		String good = unique("CLI_ATOMIC");
		String secret = this.secrets.fresh("atomic");

		Result result = run(editor(), null, "credential", "set", good + "=" + secret, "not-a-key=" + secret);

		assertThat(result.exit()).isEqualTo(1);
		assertThat(result.out()).isEmpty();
		assertThat(result.err()).startsWith("keyflow: credentials[1]: key must be UPPER_SNAKE_CASE")
			.contains("nothing was stored")
			.endsWith("[400 BAD_REQUEST]\n")
			.doesNotContain(secret);
		assertThat(this.admin.credentials().findByKey(good)).isEmpty();
	}

	@Test
	void credentialListGetDeleteThenExitCodesAScriptCanRelyOn() throws Exception {
		String key = unique("CLI_LIFECYCLE");
		String secret = this.secrets.fresh("lifecycle");
		assertThat(run(editor(), null, "credential", "set", "--type", "api_key", "--service", "openai",
				key + "=" + secret).exit()).isZero();

		Result list = run(editor(), null, "credential", "list", "--service", "openai");
		assertThat(list.exit()).isZero();
		assertThat(list.out().lines()).anyMatch((line) -> line.startsWith(key + "\tapi_key\topenai\t-\tACTIVE\t"));
		Result get = run(editor(), null, "credential", "get", key);
		assertThat(get.exit()).isZero();
		assertThat(get.out()).contains("\"key\" : \"" + key + "\"").contains("\"type\" : \"api_key\"")
			.doesNotContain(secret);

		assertThat(run(editor(), null, "credential", "delete", key)).satisfies((deleted) -> {
			assertThat(deleted.exit()).isZero();
			assertThat(deleted.out()).isEqualTo(key + "\tdeleted\n");
		});
		Result missing = run(editor(), null, "credential", "get", key);
		assertThat(missing.exit()).isEqualTo(2);
		assertThat(missing.out()).isEmpty();
		assertThat(missing.err()).isEqualTo("keyflow: no credential with key " + key + " [404 NOT_FOUND]\n");
		assertThat(run(editor(), null, "credential", "delete", key).exit()).isEqualTo(2);
	}

	@Test
	void connectWhenProviderKnownThenOnlyTheAuthorizationUrlAndWhenPrincipalWithEditorKeyThenExit4() throws Exception {
		Result connect = run(editor(), null, "connect", "keyflow-demo", "--key", unique("CLI_CONNECT"));

		assertThat(connect.exit()).as(connect.toString()).isZero();
		assertThat(connect.out()).startsWith("http://127.0.0.1:").contains("state=").endsWith("\n");
		assertThat(connect.out().lines()).hasSize(1);

		Result principal = run(editor(), null, "connect", "keyflow-demo", "--principal", "ada");
		assertThat(principal.exit()).isEqualTo(4);
		assertThat(principal.err()).contains("[403 PRINCIPAL_NOT_ALLOWED]");
	}

	@Test
	void authAndEnvironmentErrorsThenDocumentedExitCodes() throws Exception {
		Result wrongKey = run(Map.of("KEYFLOW_URL", baseUrl().toString(), "KEYFLOW_API_KEY", "kf_wrong"), null,
				"credential", "list");
		assertThat(wrongKey.exit()).isEqualTo(4);
		assertThat(wrongKey.err()).endsWith("[401 UNAUTHORIZED]\n");
		assertThat(run(Map.of("KEYFLOW_URL", baseUrl().toString()), null, "credential", "list").exit()).isEqualTo(4);

		Result noUrl = run(Map.of(), null, "credential", "list");
		assertThat(noUrl.exit()).isEqualTo(1);
		assertThat(noUrl.err()).startsWith("keyflow: set KEYFLOW_URL");
		Result unreachable = run(Map.of("KEYFLOW_URL", "http://127.0.0.1:1"), null, "credential", "list");
		assertThat(unreachable.exit()).isEqualTo(5);
		assertThat(unreachable.err()).startsWith("keyflow: cannot reach Keyflow at http://127.0.0.1:1");
		Result usage = run(editor(), null, "credential", "set", "NO_EQUALS_SIGN");
		assertThat(usage.exit()).isEqualTo(1);
		assertThat(usage.err()).startsWith("keyflow: argument 1 is not KEY=VALUE");
	}

	@Test
	void keysStatusWhenAdminKeyThenThePrimaryKeyNamedAndExit0AndWhenEditorKeyThenExit4() throws Exception {
		this.admin.credentials().save(NewCredential.staticValue(unique("CLI_KEYS"), this.secrets.fresh("keys")).build());
		String primary = this.admin.keys().status().primary().id();

		Result status = run(admin(), null, "keys", "status");

		assertThat(status.exit()).as(status.toString()).isZero();
		assertThat(status.err()).isEmpty();
		assertThat(status.out()).startsWith("primary key: " + primary + "\n");
		assertThat(status.out().lines()).anyMatch((line) -> line.matches("key \\Q" + primary
				+ "\\E \\(primary\\): [1-9][0-9]* rows \\([1-9][0-9]* credentials, \\d+ OAuth2 clients, \\d+ OAuth2 flows\\)"));
		assertThat(status.out()).contains("rows not under the primary key: ").doesNotContain(TEST_KEY);

		Result editor = run(editor(), null, "keys", "status");
		assertThat(editor.exit()).isEqualTo(4);
		assertThat(editor.err()).endsWith("[403 FORBIDDEN]\n");
	}

	@Test
	void keysReEncryptWhenWaitThenProgressUntilDoneAndExit0() throws Exception {
		this.admin.credentials().save(NewCredential.staticValue(unique("CLI_REENCRYPT"), this.secrets.fresh("re")).build());

		Result started = run(admin(), null, "keys", "re-encrypt");
		assertThat(started.exit()).as(started.toString()).isZero();
		assertThat(started.out()).matches("re-encryption (RUNNING|DONE): \\d+ rows moved, \\d+ remaining\n");

		Result waited = run(admin(), null, "keys", "re-encrypt", "--wait", "--interval", "100");

		assertThat(waited.exit()).as(waited.toString()).isZero();
		assertThat(waited.err()).isEmpty();
		assertThat(waited.out().lines()).last().asString().matches("re-encryption DONE: \\d+ rows moved, 0 remaining");
		assertThat(this.admin.keys().reEncryption().orElseThrow().done()).isTrue();

		Result badTimeout = run(admin(), null, "keys", "re-encrypt", "--wait", "--timeout", "0");
		assertThat(badTimeout.exit()).isEqualTo(1);
		assertThat(badTimeout.err()).startsWith("keyflow: --timeout and --interval must be positive");
	}

	@Test
	void requestListGetRejectWhenAJobMissesItsKeyThenListedShownRejectedAndARepeatExit3() throws Exception {
		KeyflowClientOperationsIntegrationTests.deploy(this.repositoryService);
		String key = unique("CLI_REQUESTED");
		this.runtimeService.startProcessInstanceByKey(KeyflowClientOperationsIntegrationTests.PROCESS,
				Map.of("wantedKey", key));
		String id = KeyflowClientOperationsIntegrationTests.openRequest(this.admin, key).id();

		Result list = run(editor(), null, "request", "list");
		assertThat(list.exit()).as(list.toString()).isZero();
		assertThat(list.out().lines()).contains(id + "\tOPEN\t" + key + "\t-\tapi_key\t1 jobs");
		Result get = run(editor(), null, "request", "get", id);
		assertThat(get.exit()).as(get.toString()).isZero();
		assertThat(get.out()).contains("\"key\" : \"" + key + "\"", "\"status\" : \"OPEN\"",
				"\"activityId\" : \"callPartner\"").containsPattern("\"createdAt\" : \"\\d{4}-\\d\\d-\\d\\dT");

		Result rejected = run(editor(), null, "request", "reject", id, "--reason", "no partner contract yet");
		assertThat(rejected.exit()).as(rejected.toString()).isZero();
		assertThat(rejected.out()).isEqualTo(id + "\trejected\n");
		assertThat(run(editor(), null, "request", "list", "--status", "rejected").out().lines())
			.anyMatch((line) -> line.startsWith(id + "\tREJECTED\t"));
		Result again = run(editor(), null, "request", "reject", id, "--reason", "again");
		assertThat(again.exit()).isEqualTo(3);
		assertThat(again.err()).endsWith("[409 REQUEST_NOT_OPEN]\n");
		assertThat(run(editor(), null, "request", "get", "no-such-request").exit()).isEqualTo(2);
		assertThat(run(editor(), null, "request", "list", "--status", "CLOSED").exit()).isEqualTo(1);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "credential", "credential set", "credential list", "credential get",
			"credential delete", "connect", "keys", "keys generate", "keys status", "keys re-encrypt", "request", "request list", "request get",
			"request reject" })
	void helpOnEveryCommandThenUsageOnStdoutAndExit0(String command) throws Exception {
		List<String> args = new ArrayList<>(command.isEmpty() ? List.of() : List.of(command.split(" ")));
		args.add("--help");

		Result help = run(Map.of(), null, args.toArray(String[]::new));

		assertThat(help.exit()).isZero();
		assertThat(help.out()).startsWith("Usage: keyflow" + (command.isEmpty() ? "" : " " + command));
		assertThat(help.err()).isEmpty();
	}

	private static Map<String, String> admin() {
		return Map.of("KEYFLOW_URL", baseUrl().toString(), "KEYFLOW_API_KEY", ADMIN_KEY);
	}

	private Map<String, String> editor() {
		return Map.of("KEYFLOW_URL", baseUrl().toString(), "KEYFLOW_API_KEY", this.editorKey);
	}

	private String revealed(String key) {
		String id = this.admin.credentials().findByKey(key).orElseThrow().id();
		Map<String, String> secrets = this.admin.credentials().reveal(id).secrets();
		return secrets.getOrDefault("value", secrets.get("apiKey"));
	}

	/** Runs the jar with only the given KEYFLOW_ variables in its environment. */
	private static Result run(Map<String, String> environment, String stdin, String... args)
			throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-jar", JAR.toString()));
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command);
		builder.environment().keySet().removeIf((name) -> name.startsWith("KEYFLOW_"));
		builder.environment().putAll(environment);
		Process process = builder.start();
		CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
		CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
		try (var in = process.getOutputStream()) {
			if (stdin != null) {
				in.write(stdin.getBytes(StandardCharsets.UTF_8));
			}
		}
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the CLI finished").isTrue();
		return new Result(process.exitValue(), out.join(), err.join());
	}

	private static String read(java.io.InputStream stream) {
		try {
			return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	record Result(int exit, String out, String err) {
	}

}
