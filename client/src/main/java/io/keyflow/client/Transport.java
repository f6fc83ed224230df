package io.keyflow.client;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import io.keyflow.api.CredentialChangedException;
import io.keyflow.api.CredentialConflictException;
import io.keyflow.api.CredentialException;
import io.keyflow.api.CredentialMissingException;
import io.keyflow.api.CredentialNotFoundException;
import io.keyflow.api.ExternalTaskLockNotOwnedException;
import io.keyflow.api.ExternalTaskNotFoundException;
import io.keyflow.api.ExternalTaskNotLockedException;
import io.keyflow.api.InvalidCredentialException;
import io.keyflow.api.OAuthStateException;
import io.keyflow.api.ReadOnlyStoreException;
import io.keyflow.api.SealedCredentialException;
import io.keyflow.api.TokenEndpointException;

/**
 * One HTTP exchange with the server: JSON in, JSON out, the API key as a bearer token, and every error answer
 * turned into an exception. Never logs; a request body (which may carry secrets) goes nowhere but the request.
 */
final class Transport {

	static final ObjectMapper JSON = new ObjectMapper();

	private final HttpClient http;

	private final URI base;

	private final String apiKey;

	private final Duration timeout;

	Transport(HttpClient http, URI base, String apiKey, Duration timeout) {
		this.http = http;
		String text = base.toString();
		this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
		this.apiKey = apiKey;
		this.timeout = timeout;
	}

	JsonNode get(String path, Map<String, ?> query) {
		return send("GET", path, query, null);
	}

	JsonNode post(String path, Map<String, ?> query, Object body) {
		return send("POST", path, query, body);
	}

	JsonNode put(String path, Map<String, ?> query, Object body) {
		return send("PUT", path, query, body);
	}

	JsonNode delete(String path, Map<String, ?> query) {
		return send("DELETE", path, query, null);
	}

	/** An answer: its status and JSON ({@link MissingNode} when empty). */
	record Answer(int status, JsonNode json) {
	}

	JsonNode send(String method, String path, Map<String, ?> query, Object body) {
		return exchange(method, path, query, body).json();
	}

	/**
	 * @return the answer: a status below 400
	 * @throws CredentialException the mapped problem, or {@link KeyflowClientException}
	 */
	Answer exchange(String method, String path, Map<String, ?> query, Object body) {
		return exchange(method, path, query, body, Map.of());
	}

	/**
	 * @param headers more request headers (e.g. {@code If-Match}); a {@code null} value sends none
	 * @return the answer: a status below 400
	 * @throws CredentialException the mapped problem, or {@link KeyflowClientException}
	 */
	Answer exchange(String method, String path, Map<String, ?> query, Object body, Map<String, String> headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path, query))
			.timeout(this.timeout)
			.header("Accept", "application/json, application/problem+json");
		headers.forEach((name, value) -> {
			if (value != null) {
				request.header(name, value);
			}
		});
		if (this.apiKey != null) {
			request.header("Authorization", "Bearer " + this.apiKey);
		}
		if (body != null) {
			request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(bytes(body)));
		}
		else {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		HttpResponse<byte[]> response;
		try {
			response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
		}
		catch (IOException ex) {
			throw new KeyflowClientException(KeyflowClientException.NO_ANSWER, null, null,
					"cannot reach Keyflow at " + this.base + ": " + ex.getClass().getSimpleName()
							+ ((ex.getMessage() != null) ? " " + ex.getMessage() : ""), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new KeyflowClientException(KeyflowClientException.NO_ANSWER, null, null,
					"interrupted while waiting for Keyflow at " + this.base, ex);
		}
		JsonNode json = parse(response.body());
		if (response.statusCode() >= 400) {
			throw problem(response.statusCode(), json, path);
		}
		if (json == null) {
			if (response.body().length > 0) {
				throw new KeyflowClientException(response.statusCode(), null, null, "Keyflow at " + this.base
						+ " answered " + method + " " + path + " with something that is not JSON; is KEYFLOW_URL the "
						+ "application's base URL?", null);
			}
			return new Answer(response.statusCode(), MissingNode.getInstance());
		}
		return new Answer(response.statusCode(), json);
	}

	private URI uri(String path, Map<String, ?> query) {
		StringJoiner parameters = new StringJoiner("&", "?", "").setEmptyValue("");
		if (query != null) {
			query.forEach((name, value) -> {
				if (value != null) {
					parameters.add(name + "=" + URLEncoder.encode(value.toString(), StandardCharsets.UTF_8));
				}
			});
		}
		return URI.create(this.base + path + parameters);
	}

	static String segment(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
	}

	private static byte[] bytes(Object body) {
		try {
			return JSON.writeValueAsBytes(body);
		}
		catch (IOException ex) {
			throw new IllegalArgumentException("the request body cannot be written as JSON", ex);
		}
	}

	private static JsonNode parse(byte[] body) {
		if (body == null || body.length == 0) {
			return null;
		}
		try {
			return JSON.readTree(body);
		}
		catch (IOException ex) {
			return null;
		}
	}

	/**
	 * @param status the answer's status
	 * @param json the problem, or {@code null} when the answer was not JSON (a proxy, another application)
	 * @param path the request's path (a 404 of the external-task exchange is an unknown task)
	 * @return the exception to throw: the plugin-api exception of the problem's code, caused by a
	 * {@link KeyflowClientException} with status, code and field; else the client exception itself
	 */
	static CredentialException problem(int status, JsonNode json, String path) {
		String code = text(json, "code");
		String field = text(json, "field");
		String detail = text(json, "detail");
		if (detail == null) {
			detail = "Keyflow answered HTTP " + status + " without a problem document; is KEYFLOW_URL the "
					+ "application's base URL?";
		}
		KeyflowClientException client = new KeyflowClientException(status, code, field, detail, null);
		String task = externalTaskId(path);
		String message = detail;
		CredentialException mapped = (code == null) ? null : switch (code) {
			case "NOT_FOUND" -> (task != null) ? new ExternalTaskNotFoundException(task)
					: new CredentialNotFoundException(detail);
			case "CONFLICT", "REQUEST_NOT_OPEN" -> new CredentialConflictException(detail);
			case "PRECONDITION_FAILED" -> new CredentialChangedException(detail);
			case "CREDENTIAL_MISSING" -> new CredentialMissingException(detail);
			case "TASK_NOT_LOCKED" -> new ExternalTaskNotLockedException(task, "see the server's answer") {
				private static final long serialVersionUID = 1L;

				@Override
				public String getMessage() {
					return message;
				}
			};
			case "LOCK_NOT_OWNED" -> new ExternalTaskLockNotOwnedException(task, null) {
				private static final long serialVersionUID = 1L;

				@Override
				public String getMessage() {
					return message;
				}
			};
			case "READ_ONLY_STORE" -> new ReadOnlyStoreDetail(detail);
			case "BAD_REQUEST", "PROVIDER_UNKNOWN" -> (status == 400) ? new InvalidCredentialException(field, detail) : null;
			case "OAUTH_STATE_INVALID" -> new OAuthStateException(detail);
			case "REFRESH_FAILED" -> new TokenEndpointException(null, detail);
			case "CREDENTIAL_SEALED" -> new SealedDetail(detail);
			default -> null;
		};
		if (mapped == null) {
			return client;
		}
		mapped.initCause(client);
		return mapped;
	}

	private static final String EXTERNAL_TASKS = "/api/credentials/external-tasks/";

	/** @return the external task the exchange's path names (decoded), or {@code null} for any other path */
	private static String externalTaskId(String path) {
		if (path == null || !path.startsWith(EXTERNAL_TASKS)) {
			return null;
		}
		String rest = path.substring(EXTERNAL_TASKS.length());
		int slash = rest.indexOf('/');
		return URLDecoder.decode((slash >= 0) ? rest.substring(0, slash) : rest, StandardCharsets.UTF_8);
	}

	private static String text(JsonNode json, String field) {
		JsonNode value = (json != null) ? json.get(field) : null;
		return (value != null && value.isTextual()) ? value.textValue() : null;
	}

	static Map<String, Object> query(Object... namesAndValues) {
		Map<String, Object> query = new LinkedHashMap<>();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			query.put((String) namesAndValues[i], namesAndValues[i + 1]);
		}
		return query;
	}

	/** The server's read-only refusal, with its message as the server wrote it (the store and where to go). */
	private static final class ReadOnlyStoreDetail extends ReadOnlyStoreException {

		private static final long serialVersionUID = 1L;

		private final String detail;

		ReadOnlyStoreDetail(String detail) {
			super("server", "the server's answer");
			this.detail = detail;
		}

		@Override
		public String getMessage() {
			return this.detail;
		}

	}

	/** The server's refusal of a sealed credential's secret, with its message as the server wrote it. */
	private static final class SealedDetail extends SealedCredentialException {

		private static final long serialVersionUID = 1L;

		private final String detail;

		SealedDetail(String detail) {
			super(null, null, "the secret");
			this.detail = detail;
		}

		@Override
		public String getMessage() {
			return this.detail;
		}

	}

}
