package io.keyflow.rest.internal;

import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Real HTTP to the application under test (JDK HttpClient, no redirects followed), with a cookie jar of its own as a
 * browser has: one client is one browser (session and OAuth2 browser-binding cookies). Keeps every response body so
 * a test can scan them all for secrets; the bodies that may hold one (reveal, a new API key) are kept apart.
 */
final class RestClient {

	static final ObjectMapper JSON = new ObjectMapper();

	private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ORIGINAL_SERVER);

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(Duration.ofSeconds(5))
		.cookieHandler(this.cookies)
		.build();

	private final URI base;

	/** Every response body of every client, except the ones allowed to hold a secret. */
	static final List<String> scannable = new CopyOnWriteArrayList<>();

	/** Bodies of reveal, API-key creation and the external-task exchange. */
	static final List<String> secretBearing = new CopyOnWriteArrayList<>();

	RestClient(int port) {
		this.base = URI.create("http://127.0.0.1:" + port);
	}

	URI uri(String path) {
		return this.base.resolve(path);
	}

	Response get(String path, String key) {
		return send(request(path, key).GET());
	}

	Response delete(String path, String key) {
		return send(request(path, key).DELETE());
	}

	Response post(String path, String key, Object body) {
		return send(request(path, key).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json(body))));
	}

	Response put(String path, String key, Object body) {
		return send(request(path, key).header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString(json(body))));
	}

	/**
	 * A self-service call as the My connections page makes it: session cookie, the marker header, JSON.
	 */
	Response selfService(String method, String path, Object body) {
		HttpRequest.Builder builder = request(path, null).header(ApiKeyFilter.CSRF_HEADER, "true");
		if (body != null) {
			builder.header("Content-Type", "application/json");
		}
		return send(builder.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(json(body))
				: HttpRequest.BodyPublishers.noBody()));
	}

	/** @return the cookies this client holds, by name */
	Map<String, String> cookies() {
		Map<String, String> all = new java.util.LinkedHashMap<>();
		this.cookies.getCookieStore().getCookies().forEach((cookie) -> all.put(cookie.getName(), cookie.getValue()));
		return all;
	}

	Response raw(String method, String path, String key, String contentType, String body) {
		HttpRequest.Builder builder = request(path, key);
		if (contentType != null) {
			builder.header("Content-Type", contentType);
		}
		return send(builder.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body)
				: HttpRequest.BodyPublishers.noBody()));
	}

	Response send(HttpRequest.Builder builder) {
		try {
			HttpResponse<String> response = this.http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
			String path = response.request().uri().getPath();
			boolean secret = path.endsWith("/reveal")
					|| (path.startsWith(ApiKeyFilter.BASE_PATH + "/external-tasks/") && path.endsWith("/credential"))
					|| (path.endsWith("/api-keys") && response.request().method().equals("POST"));
			(secret ? secretBearing : scannable).add(response.body());
			return new Response(response.statusCode(), response.headers().map(), response.body());
		}
		catch (Exception ex) {
			throw new IllegalStateException("request failed: " + ex, ex);
		}
	}

	HttpRequest.Builder request(String path, String key) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
		if (key != null) {
			builder.header("Authorization", "Bearer " + key);
		}
		return builder;
	}

	static String json(Object body) {
		try {
			return (body instanceof String text) ? text : JSON.writeValueAsString(body);
		}
		catch (Exception ex) {
			throw new IllegalArgumentException(ex);
		}
	}

	/**
	 * One response.
	 */
	record Response(int status, Map<String, List<String>> headers, String body) {

		Map<String, Object> json() {
			try {
				return JSON.readValue(this.body, new TypeReference<Map<String, Object>>() {
				});
			}
			catch (Exception ex) {
				throw new IllegalStateException("not a JSON object (status " + this.status + "): " + this.body, ex);
			}
		}

		String header(String name) {
			return this.headers.entrySet()
				.stream()
				.filter((entry) -> entry.getKey().equalsIgnoreCase(name))
				.map((entry) -> entry.getValue().get(0))
				.findFirst()
				.orElse(null);
		}

		String contentType() {
			return header("Content-Type");
		}

		@SuppressWarnings("unchecked")
		List<Map<String, Object>> items() {
			return (List<Map<String, Object>>) json().get("items");
		}

		@Override
		public String toString() {
			return this.status + " " + this.body;
		}

	}

}
