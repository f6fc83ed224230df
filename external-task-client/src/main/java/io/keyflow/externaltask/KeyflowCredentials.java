package io.keyflow.externaltask;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.camunda.bpm.client.task.ExternalTask;

/**
 * Gets an external task's credential from Keyflow for a worker built on Camunda's external task client. The worker
 * fetches and locks a task as usual, then exchanges it, while it holds the lock, for the credential the task
 * declares ({@code credential.*} properties in the model):
 * <pre>
 * KeyflowCredentials keyflow = KeyflowCredentials.of(URI.create("https://camunda.example.com"), workerApiKey, workerId);
 * ExternalTaskClient client = ExternalTaskClient.create().baseUrl(engineRest).workerId(workerId).build();
 * client.subscribe("call-api").handler((task, service) -&gt; {
 *     TaskCredential credential = keyflow.forTask(task);
 *     // send credential.authorizationHeader(), then complete; never log or store the credential
 *     service.complete(task);
 * }).open();
 * </pre>
 * The worker id must be the one the client fetches and locks with. The API key is a Keyflow key of role
 * {@code worker}: it can do nothing but this exchange. Each call asks Keyflow again (which refreshes an OAuth2 token
 * before it expires); keep the credential no longer than the task. {@code toString()} prints neither the key nor a
 * secret.
 */
public final class KeyflowCredentials {

	static final String PATH = "/api/credentials/external-tasks/%s/credential";

	private static final ObjectMapper JSON = new ObjectMapper();

	private final URI keyflowUrl;

	private final String workerApiKey;

	private final String workerId;

	private final HttpClient http;

	private KeyflowCredentials(URI keyflowUrl, String workerApiKey, String workerId, HttpClient http) {
		this.keyflowUrl = Objects.requireNonNull(keyflowUrl, "keyflowUrl cannot be null");
		if (!"https".equalsIgnoreCase(keyflowUrl.getScheme()) && !"http".equalsIgnoreCase(keyflowUrl.getScheme())) {
			throw new IllegalArgumentException("keyflowUrl must be an http(s) URL, e.g. https://camunda.example.com");
		}
		this.workerApiKey = requireText(workerApiKey, "workerApiKey");
		this.workerId = requireText(workerId, "workerId");
		this.http = Objects.requireNonNull(http, "httpClient cannot be null");
	}

	/**
	 * @param keyflowUrl the application serving Keyflow's REST API (the part before {@code /api/credentials})
	 * @param workerApiKey a Keyflow API key of role {@code worker}
	 * @param workerId the worker id the external task client fetches and locks with
	 * @return the exchange, with a JDK HTTP client (10 s connect timeout)
	 */
	public static KeyflowCredentials of(URI keyflowUrl, String workerApiKey, String workerId) {
		return of(keyflowUrl, workerApiKey, workerId,
				HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());
	}

	/**
	 * @param keyflowUrl the application serving Keyflow's REST API (the part before {@code /api/credentials})
	 * @param workerApiKey a Keyflow API key of role {@code worker}
	 * @param workerId the worker id the external task client fetches and locks with
	 * @param httpClient the HTTP client to use (TLS settings, proxy)
	 * @return the exchange
	 */
	public static KeyflowCredentials of(URI keyflowUrl, String workerApiKey, String workerId, HttpClient httpClient) {
		return new KeyflowCredentials(keyflowUrl, workerApiKey, workerId, httpClient);
	}

	/**
	 * @param task a task this worker fetched and locked
	 * @return the task's credential
	 * @throws KeyflowExchangeException if Keyflow refuses (its status and stable code) or cannot be reached
	 */
	public TaskCredential forTask(ExternalTask task) {
		Objects.requireNonNull(task, "task cannot be null");
		return forTask(task.getId());
	}

	/**
	 * @param externalTaskId the id of a task this worker fetched and locked
	 * @return the task's credential
	 * @throws KeyflowExchangeException if Keyflow refuses (its status and stable code) or cannot be reached
	 */
	public TaskCredential forTask(String externalTaskId) {
		requireText(externalTaskId, "externalTaskId");
		URI uri = this.keyflowUrl.resolve(String.format(PATH,
				java.net.URLEncoder.encode(externalTaskId, StandardCharsets.UTF_8).replace("+", "%20")));
		HttpRequest request;
		try {
			request = HttpRequest.newBuilder(uri)
				.timeout(Duration.ofSeconds(30))
				.header("Authorization", "Bearer " + this.workerApiKey)
				.header("Content-Type", "application/json")
				.header("Accept", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("workerId", this.workerId))))
				.build();
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
		HttpResponse<String> response;
		try {
			response = this.http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new KeyflowExchangeException(externalTaskId, 0, null,
					"Keyflow at " + this.keyflowUrl + " could not be reached: " + ex.getClass().getSimpleName(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new KeyflowExchangeException(externalTaskId, 0, null, "interrupted while asking Keyflow", ex);
		}
		JsonNode body = parse(response.body());
		if (response.statusCode() != 200) {
			throw new KeyflowExchangeException(externalTaskId, response.statusCode(), text(body, "code"),
					(text(body, "detail") != null) ? text(body, "detail") : "HTTP " + response.statusCode(), null);
		}
		if (body == null) {
			throw new KeyflowExchangeException(externalTaskId, 200, null, "Keyflow answered no JSON", null);
		}
		return TaskCredential.of(externalTaskId, body);
	}

	private static JsonNode parse(String body) {
		try {
			return (body == null || body.isBlank()) ? null : JSON.readTree(body);
		}
		catch (JsonProcessingException ex) {
			return null;
		}
	}

	static String text(JsonNode node, String field) {
		JsonNode value = (node != null) ? node.get(field) : null;
		return (value != null && value.isTextual()) ? value.asText() : null;
	}

	private static String requireText(String value, String name) {
		if (value == null || value.isBlank()) {
			throw new IllegalArgumentException(name + " cannot be null or blank");
		}
		return value;
	}

	@Override
	public String toString() {
		return "KeyflowCredentials[keyflowUrl=" + this.keyflowUrl + ", workerId=" + this.workerId
				+ ", workerApiKey=(redacted)]";
	}

}
