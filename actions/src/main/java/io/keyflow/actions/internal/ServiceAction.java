package io.keyflow.actions.internal;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.keyflow.actions.ActionHttpClient;
import io.keyflow.actions.ActionInputException;
import io.keyflow.api.Credential;
import io.keyflow.api.TaskCredentials;

import org.camunda.bpm.engine.delegate.DelegateExecution;

/**
 * The common shape of a provider action (not API): read inputs, build one request against the service's base
 * URL, send it with the task's credential in {@code Authorization}, check the answer, write result variables.
 * The public actions hold one and give it their {@link Operation}.
 */
public final class ServiceAction {

	/**
	 * What one action sends and reads.
	 */
	public interface Operation {

		/**
		 * @param inputs the task's inputs
		 * @return the request to send
		 * @throws ActionInputException for missing or malformed inputs
		 */
		Call call(Inputs inputs);

		/**
		 * @return headers every request of this service carries
		 */
		default Map<String, String> defaultHeaders() {
			return Map.of("Accept", "application/json");
		}

		/**
		 * Checks a successful answer for errors the service reports inside it.
		 * @param request the request, for messages
		 * @param response the answer
		 */
		default void check(HttpExchange.Request request, HttpExchange.Response response) {
		}

		/**
		 * Writes the action's own result variables, after {@code <prefix>Status}, {@code Body}, {@code Headers}
		 * and the transient {@code Json}.
		 * @param execution the task's execution
		 * @param prefix the result variable prefix
		 * @param response the answer
		 */
		void writeResults(DelegateExecution execution, String prefix, HttpExchange.Response response);

	}

	/** Input: request timeout, ISO-8601 duration or milliseconds. */
	public static final String TIMEOUT = "timeout";

	private final ActionHttpClient client;

	private final String baseUrl;

	private final String serviceKey;

	private final String serviceName;

	private final String defaultBaseUrl;

	private final String defaultPrefix;

	private final Operation operation;

	/**
	 * @param client the HTTP client
	 * @param baseUrl the configured base URL, or {@code null} for the system property or the default
	 * @param serviceKey the service's property name, e.g. {@code github}
	 * @param serviceName the service's display name, e.g. {@code GitHub}
	 * @param defaultBaseUrl the real service's base URL
	 * @param defaultPrefix the default result variable prefix
	 * @param operation what the action sends and reads
	 */
	public ServiceAction(ActionHttpClient client, String baseUrl, String serviceKey, String serviceName,
			String defaultBaseUrl, String defaultPrefix, Operation operation) {
		this.client = Objects.requireNonNull(client, "client cannot be null");
		this.baseUrl = (baseUrl != null && !baseUrl.isBlank()) ? BaseUrls.validate(baseUrl, BaseUrls.propertyName(serviceKey)) : null;
		this.serviceKey = serviceKey;
		this.serviceName = serviceName;
		this.defaultBaseUrl = defaultBaseUrl;
		this.defaultPrefix = defaultPrefix;
		this.operation = Objects.requireNonNull(operation, "operation cannot be null");
	}

	/**
	 * Runs the action for a task.
	 * @param execution the task's execution, with its credential
	 */
	public void execute(DelegateExecution execution) {
		Inputs inputs = Inputs.of(execution);
		String prefix = ResultVariables.prefix(inputs, this.defaultPrefix);
		Call call = this.operation.call(inputs);
		Credential credential = TaskCredentials.require(execution);
		Map<String, String> headers = new LinkedHashMap<>(this.operation.defaultHeaders());
		byte[] body = null;
		if (call.body() != null) {
			headers.put("Content-Type", "application/json; charset=utf-8");
			body = Json.write(call.body()).getBytes(StandardCharsets.UTF_8);
		}
		Duration timeout = inputs.duration(TIMEOUT);
		HttpExchange.Request request = new HttpExchange.Request(this.serviceName, call.method(),
				URI.create(baseUrl() + call.pathAndQuery()), headers, body, timeout);
		HttpExchange.Response response = HttpExchange.send(this.client, request, credential, CredentialPlacement.AUTO,
				true);
		this.operation.check(request, response);
		ResultVariables.write(execution, prefix, response);
		this.operation.writeResults(execution, prefix, response);
	}

	/**
	 * @return the base URL this action sends to
	 */
	public String baseUrl() {
		return BaseUrls.resolve(this.baseUrl, this.serviceKey, this.defaultBaseUrl);
	}

	/**
	 * One request.
	 *
	 * @param method the HTTP method
	 * @param pathAndQuery the path below the base URL, with its encoded query
	 * @param body a JSON body as maps and lists, or {@code null}
	 */
	public record Call(String method, String pathAndQuery, Object body) {
	}

	/**
	 * @param name an input
	 * @param value its value
	 * @return the value, checked to be a single path segment
	 */
	public static String segment(String name, String value) {
		if (value.contains("/") || value.equals(".") || value.equals("..")) {
			throw new ActionInputException(name, "input '" + name + "' must not contain '/'");
		}
		return HttpExchange.pathSegment(value);
	}

	@Override
	public String toString() {
		return "ServiceAction[" + this.serviceName + ", baseUrl=" + baseUrl() + "]";
	}

}
