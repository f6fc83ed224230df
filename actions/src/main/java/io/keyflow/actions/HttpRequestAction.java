package io.keyflow.actions;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import io.keyflow.actions.internal.CredentialPlacement;
import io.keyflow.actions.internal.HttpExchange;
import io.keyflow.actions.internal.Inputs;
import io.keyflow.actions.internal.Json;
import io.keyflow.actions.internal.ResultVariables;
import io.keyflow.api.Credential;
import io.keyflow.api.TaskCredentials;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

/**
 * The {@code http.request} action: one HTTP request with the task's credential, if it has one.
 * <p>
 * The credential is whatever the task's {@code camunda:properties} declare ({@code credential.key},
 * {@code credential.provider}, ...); this class declares none itself, so a task without them sends no
 * credential.
 * <p>
 * Inputs, only those the task maps with a {@code camunda:inputParameter} (a process variable of the same name is
 * never read):
 * <ul>
 * <li>{@code url} (required): absolute http(s) URL</li>
 * <li>{@code method}: default {@code GET}</li>
 * <li>{@code query}: map or JSON object of query parameters, appended to the URL</li>
 * <li>{@code headers}: map or JSON object of request headers</li>
 * <li>{@code body}: text (sent as is, {@code Content-Type} from {@code contentType}, default
 * {@code text/plain; charset=utf-8}) or a map/list (sent as JSON, {@code application/json})</li>
 * <li>{@code contentType}: the body's content type</li>
 * <li>{@code timeout}: ISO-8601 duration ({@code PT10S}) or milliseconds; default the client's</li>
 * <li>{@code credentialPlacement}: {@code auto} (default), {@code none}, {@code bearer}, {@code basic},
 * {@code header:<Name>}, {@code query:<param>}</li>
 * <li>{@code resultVariable}: prefix of the result variables, default {@code response}</li>
 * <li>{@code failOnErrorStatus}: default {@code true}; {@code false} hands 4xx/5xx answers to the process</li>
 * </ul>
 * Outputs: {@code <prefix>Status} (Integer), {@code <prefix>Body} (String), {@code <prefix>Headers} (String,
 * JSON object), and the transient {@code <prefix>Json} (parsed body, for output mappings).
 * <p>
 * Security: a 4xx/5xx answer fails the task with the status and a 200-character excerpt of the body; the
 * credential's secret values are scrubbed from the excerpt and from the stored body and headers. The credential is
 * attached only through {@link Credential#authorize} (its allowedOrigins are checked; sealed credentials work, but
 * not with {@code query:<param>}), and the request goes through {@link ActionHttpClient#execute}, whose egress
 * rules refuse plain http and non-public addresses unless allow-listed.
 */
public class HttpRequestAction implements JavaDelegate {

	private static final String DEFAULT_PREFIX = "response";

	private final ActionHttpClient client;

	/**
	 * For {@code camunda:class}: uses {@link ActionHttpClient#shared()}.
	 */
	public HttpRequestAction() {
		this(ActionHttpClient.shared());
	}

	/**
	 * @param client the HTTP client
	 */
	public HttpRequestAction(ActionHttpClient client) {
		this.client = Objects.requireNonNull(client, "client cannot be null");
	}

	@Override
	public void execute(DelegateExecution execution) {
		Inputs inputs = Inputs.of(execution);
		String prefix = ResultVariables.prefix(inputs, DEFAULT_PREFIX);
		String method = (inputs.string("method") != null) ? inputs.string("method").toUpperCase(Locale.ROOT) : "GET";
		URI uri = uri(inputs);
		Map<String, String> headers = new LinkedHashMap<>(inputs.stringMap("headers"));
		byte[] body = body(inputs, headers);
		CredentialPlacement placement = CredentialPlacement.parse(inputs.string(CredentialPlacement.INPUT),
				"input '" + CredentialPlacement.INPUT + "'");
		Credential credential = TaskCredentials.find(execution).orElse(null);
		HttpExchange.Request request = new HttpExchange.Request("HTTP", method, uri, headers, body,
				inputs.duration("timeout"));
		HttpExchange.Response response = HttpExchange.send(this.client, request, credential, placement,
				inputs.bool("failOnErrorStatus", true));
		ResultVariables.write(execution, prefix, response);
	}

	private static URI uri(Inputs inputs) {
		String url = inputs.requiredString("url");
		URI uri;
		try {
			uri = new URI(url);
		}
		catch (URISyntaxException ex) {
			// the reason only: the URL itself may carry a key in its query
			throw new ActionInputException("url", "input 'url' is not a valid URL: " + ex.getReason());
		}
		for (Map.Entry<String, String> parameter : inputs.stringMap("query").entrySet()) {
			uri = HttpExchange.withQueryParameter(uri, parameter.getKey(), parameter.getValue());
		}
		return uri;
	}

	private static byte[] body(Inputs inputs, Map<String, String> headers) {
		Object body = inputs.raw("body");
		if (body == null) {
			return null;
		}
		String contentType = inputs.string("contentType");
		boolean json = body instanceof Map || body instanceof Collection;
		if (!json && !(body instanceof String)) {
			throw new ActionInputException("body", "input 'body' must be text, a map or a list, not "
					+ body.getClass().getSimpleName());
		}
		if (headers.keySet().stream().noneMatch("Content-Type"::equalsIgnoreCase)) {
			headers.put("Content-Type", (contentType != null) ? contentType
					: json ? "application/json" : "text/plain; charset=utf-8");
		}
		return (json ? Json.write(body) : (String) body).getBytes(StandardCharsets.UTF_8);
	}

}
