package io.keyflow.externaltask;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The helper against a local HTTP server standing in for Keyflow's REST API (the real exchange is tested in
 * keyflow-rest's {@code ExternalTaskRestIntegrationTests}): the request it sends, the answer it reads, the refusal it
 * raises, and that neither it nor the credential prints a secret.
 */
class KeyflowCredentialsUnitTests {

	static final String WORKER_KEY = "kf_worker-key-0123456789";

	HttpServer server;

	final List<String> requests = new CopyOnWriteArrayList<>();

	int status;

	String answer;

	@BeforeEach
	void start() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/", this::handle);
		this.server.start();
	}

	@AfterEach
	void stop() {
		this.server.stop(0);
	}

	private void handle(HttpExchange exchange) throws IOException {
		this.requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath() + " "
				+ exchange.getRequestHeaders().getFirst("Authorization") + " "
				+ new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
		byte[] body = this.answer.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(this.status, body.length);
		exchange.getResponseBody().write(body);
		exchange.close();
	}

	KeyflowCredentials keyflow() {
		return KeyflowCredentials.of(URI.create("http://127.0.0.1:" + this.server.getAddress().getPort()), WORKER_KEY,
				"worker-1");
	}

	@Test
	void forTaskWhenAnsweredThenTheWorkerKeyAndIdWereSentAndTheCredentialIsRead() {
		this.status = 200;
		this.answer = "{\"type\":\"oauth2\",\"accessToken\":\"at-secret\",\"authorizationHeader\":\"Bearer at-secret\","
				+ "\"tokenExpiresAt\":\"2026-01-01T10:00:00Z\",\"credentialId\":\"c-1\",\"key\":null,\"provider\":"
				+ "\"github\",\"principalId\":\"alice\"}";

		TaskCredential credential = keyflow().forTask("task:1");

		assertThat(this.requests).containsExactly("POST /api/credentials/external-tasks/task%3A1/credential Bearer "
				+ WORKER_KEY + " {\"workerId\":\"worker-1\"}");
		assertThat(credential.accessToken()).contains("at-secret");
		assertThat(credential.authorizationHeader()).isEqualTo("Bearer at-secret");
		assertThat(credential.tokenExpiresAt()).map(Object::toString).contains("2026-01-01T10:00:00Z");
		assertThat(credential.principalId()).contains("alice");
		assertThat(credential.key()).isEmpty();
		assertThat(credential.toString()).doesNotContain("at-secret").contains("c-1");
		assertThat(keyflow().toString()).doesNotContain(WORKER_KEY).contains("worker-1");
	}

	@Test
	void forTaskWhenRefusedThenTheStatusCodeAndDetail() {
		this.status = 409;
		this.answer = "{\"code\":\"TASK_NOT_LOCKED\",\"status\":409,\"detail\":\"external task 'x' is not locked\"}";

		assertThatThrownBy(() -> keyflow().forTask("x")).isInstanceOfSatisfying(KeyflowExchangeException.class,
				(refused) -> {
					assertThat(refused.getStatus()).isEqualTo(409);
					assertThat(refused.getCode()).isEqualTo("TASK_NOT_LOCKED");
					assertThat(refused.getMessage()).isEqualTo("Keyflow gave no credential for external task x: "
							+ "TASK_NOT_LOCKED (HTTP 409): external task 'x' is not locked");
				});
	}

	@Test
	void ofWhenArgumentsAreMissingThenRefusedNamingThem() {
		assertThatThrownBy(() -> KeyflowCredentials.of(URI.create("ftp://x"), WORKER_KEY, "w"))
			.hasMessageContaining("keyflowUrl must be an http(s) URL");
		assertThatThrownBy(() -> KeyflowCredentials.of(URI.create("https://x"), " ", "w"))
			.hasMessage("workerApiKey cannot be null or blank");
		assertThatThrownBy(() -> KeyflowCredentials.of(URI.create("https://x"), WORKER_KEY, null))
			.hasMessage("workerId cannot be null or blank");
	}

}
