package io.keyflow.actions.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.keyflow.actions.ActionFailedException;
import io.keyflow.actions.ActionHttpClient;
import io.keyflow.actions.ActionInputException;
import io.keyflow.actions.ServiceUnreachableException;
import io.keyflow.api.Credential;

/**
 * Sends one request with the task's credential and reads the answer. Everything that leaves this class (the
 * response's body and headers, every exception message) has been scrubbed of the credential's secrets.
 */
public final class HttpExchange {

	/** Longest excerpt of an error body in an exception message. */
	public static final int EXCERPT_LENGTH = 200;

	/** Bodies beyond this are refused rather than stored in a process variable. */
	static final int MAX_BODY_BYTES = 5 * 1024 * 1024;

	/**
	 * The credential metadata entry that limits where the credential may be sent: comma-separated host names,
	 * {@code *.example.com} for subdomains.
	 */
	public static final String ALLOWED_HOSTS = "allowedHosts";

	/** Response headers that are never stored: they carry the server's own session secrets. */
	private static final Set<String> WITHHELD_HEADERS = Set.of("set-cookie", "set-cookie2", "authorization",
			"proxy-authorization");

	private static final Pattern METHOD = Pattern.compile("[A-Z][A-Z-]{0,19}");

	private static final Pattern CHARSET = Pattern.compile("(?i)charset=\"?([^\";\\s]+)");

	private static final String USER_AGENT = "keyflow-actions";

	private HttpExchange() {
	}

	/**
	 * What to send.
	 *
	 * @param service the service's display name for messages, e.g. {@code GitHub}
	 * @param method the HTTP method, upper case
	 * @param uri the absolute http(s) URI, without the credential
	 * @param headers request headers
	 * @param body the request body, or {@code null}
	 * @param timeout the request timeout, or {@code null} for the client's default
	 */
	public record Request(String service, String method, URI uri, Map<String, String> headers, byte[] body,
			Duration timeout) {

		public Request {
			Objects.requireNonNull(service, "service cannot be null");
			Objects.requireNonNull(uri, "uri cannot be null");
			if (method == null || !METHOD.matcher(method).matches()) {
				throw new ActionInputException("method", "method '" + method + "' is not an HTTP method such as GET or POST");
			}
			String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
			if (!uri.isAbsolute() || uri.getHost() == null || !(scheme.equals("http") || scheme.equals("https"))) {
				throw new ActionInputException("url", "url must be an absolute http or https URL with a host");
			}
			headers = Collections.unmodifiableMap(new LinkedHashMap<>((headers != null) ? headers : Map.of()));
		}

		/**
		 * @return method and URL without query string or user info: safe for messages
		 */
		public String describe() {
			return this.method + " " + withoutQuery(this.uri);
		}

	}

	/**
	 * A scrubbed answer.
	 *
	 * @param status the HTTP status
	 * @param headers response headers by lower-case name, repeated values joined with {@code ", "}, without
	 * cookies and authorization headers
	 * @param body the body as text
	 * @param json the body parsed when it is JSON, else {@code null}
	 */
	public record Response(int status, Map<String, String> headers, String body, Object json) {

		/**
		 * @return whether the status is below 400
		 */
		public boolean successful() {
			return this.status < 400;
		}

	}

	/**
	 * @param client the HTTP client
	 * @param request what to send
	 * @param credential the task's credential, or {@code null} to send none
	 * @param placement where the credential goes
	 * @param failOnErrorStatus whether a status of 400 or more throws
	 * @return the scrubbed answer
	 * @throws ActionFailedException on a 4xx/5xx answer (when {@code failOnErrorStatus})
	 * @throws ServiceUnreachableException on a connection failure or timeout
	 * @throws ActionInputException when the credential cannot be placed as asked, or may not go to this host
	 */
	public static Response send(ActionHttpClient client, Request request, Credential credential,
			CredentialPlacement placement, boolean failOnErrorStatus) {
		SecretScrubber scrubber = SecretScrubber.of(credential);
		Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		headers.put("User-Agent", USER_AGENT);
		headers.putAll(request.headers());
		URI uri = request.uri();
		if (credential != null) {
			CredentialPlacement resolved = placement.resolve(credential);
			if (resolved.kind() != CredentialPlacement.Kind.NONE) {
				checkAllowedHost(credential, uri);
			}
			uri = place(resolved, credential, headers, uri);
		}
		HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
			.timeout((request.timeout() != null) ? request.timeout() : client.requestTimeout());
		try {
			headers.forEach(builder::header);
			builder.method(request.method(), (request.body() != null)
					? HttpRequest.BodyPublishers.ofByteArray(request.body()) : HttpRequest.BodyPublishers.noBody());
		}
		catch (IllegalArgumentException ex) {
			// the JDK refuses Host, Connection, Content-Length and similar; its message names the header only
			throw new ActionInputException("headers", request.service() + " " + request.describe() + ": "
					+ scrubber.scrub(ex.getMessage()));
		}
		HttpResponse<InputStream> answer;
		byte[] bytes;
		try {
			answer = client.httpClient().send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
			try (InputStream in = answer.body()) {
				bytes = in.readNBytes(MAX_BODY_BYTES + 1);
			}
		}
		catch (HttpTimeoutException ex) {
			throw new ServiceUnreachableException(request.service() + " " + request.describe() + ": no answer within "
					+ ((request.timeout() != null) ? request.timeout() : client.requestTimeout()) + " ("
					+ ex.getClass().getSimpleName() + ")");
		}
		catch (IOException ex) {
			throw new ServiceUnreachableException(request.service() + " " + request.describe() + " failed: "
					+ ex.getClass().getSimpleName() + ((ex.getMessage() != null) ? ": " + scrubber.scrub(ex.getMessage()) : ""));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ServiceUnreachableException(request.service() + " " + request.describe() + ": interrupted");
		}
		if (bytes.length > MAX_BODY_BYTES) {
			throw new ActionFailedException(request.service(), answer.statusCode(), null, request.service() + " "
					+ request.describe() + " answered " + answer.statusCode() + " with a body larger than "
					+ MAX_BODY_BYTES + " bytes");
		}
		Map<String, String> responseHeaders = headers(answer, scrubber);
		String body = scrubber.scrub(new String(bytes, charset(responseHeaders.get("content-type"))));
		Response response = new Response(answer.statusCode(), responseHeaders, body,
				isJson(responseHeaders.get("content-type"), body) ? Json.readOrNull(body) : null);
		if (failOnErrorStatus && !response.successful()) {
			throw new ActionFailedException(request.service(), response.status(), null, request.service() + " "
					+ request.describe() + " answered " + response.status() + ": " + excerpt(body));
		}
		return response;
	}

	/**
	 * @param text scrubbed text
	 * @return the text on one line, cut to {@value #EXCERPT_LENGTH} characters
	 */
	public static String excerpt(String text) {
		if (text == null || text.isBlank()) {
			return "(empty body)";
		}
		String line = text.strip().replaceAll("\\s+", " ");
		return (line.length() <= EXCERPT_LENGTH) ? line : line.substring(0, EXCERPT_LENGTH - 1) + "…";
	}

	/**
	 * @param uri a URI
	 * @return scheme, host, port and path: no user info, query or fragment
	 */
	public static String withoutQuery(URI uri) {
		return uri.getScheme() + "://" + uri.getHost() + ((uri.getPort() >= 0) ? ":" + uri.getPort() : "")
				+ ((uri.getRawPath() != null) ? uri.getRawPath() : "");
	}

	/**
	 * @param value a path segment, e.g. a repository name or a sheet range
	 * @return the segment percent-encoded (RFC 3986 pchar)
	 */
	public static String pathSegment(String value) {
		StringBuilder out = new StringBuilder();
		for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
			int c = b & 0xff;
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~!$&'()*+,;=:@".indexOf(c) >= 0) {
				out.append((char) c);
			}
			else {
				out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
					.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
			}
		}
		return out.toString();
	}

	/**
	 * @param uri a URI
	 * @param name a query parameter name
	 * @param value its value
	 * @return the URI with the parameter appended, form-encoded
	 */
	public static URI withQueryParameter(URI uri, String name, String value) {
		String parameter = URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
				+ URLEncoder.encode(value, StandardCharsets.UTF_8);
		String raw = uri.toString();
		int hash = raw.indexOf('#');
		String base = (hash >= 0) ? raw.substring(0, hash) : raw;
		String separator = (uri.getRawQuery() == null) ? "?" : (base.endsWith("&") || base.endsWith("?")) ? "" : "&";
		return URI.create(base + separator + parameter);
	}

	private static URI place(CredentialPlacement placement, Credential credential, Map<String, String> headers, URI uri) {
		switch (placement.kind()) {
			case NONE -> {
				return uri;
			}
			case BEARER -> headers.put("Authorization", "Bearer " + CredentialPlacement.token(credential));
			case BASIC -> {
				if (credential.username() == null || credential.password() == null) {
					throw new ActionInputException(CredentialPlacement.INPUT, "credentialPlacement basic needs a basic credential with username and password; credential "
							+ CredentialPlacement.describe(credential) + " has none");
				}
				headers.put("Authorization", credential.authorizationHeader());
			}
			case HEADER -> headers.put(placement.name(), CredentialPlacement.token(credential));
			case QUERY -> {
				return withQueryParameter(uri, placement.name(), CredentialPlacement.token(credential));
			}
			default -> throw new IllegalStateException("unresolved placement " + placement);
		}
		return uri;
	}

	private static void checkAllowedHost(Credential credential, URI uri) {
		String allowed = credential.metadata().get(ALLOWED_HOSTS);
		if (allowed == null || allowed.isBlank()) {
			return;
		}
		String host = uri.getHost().toLowerCase(Locale.ROOT);
		List<String> patterns = Arrays.stream(allowed.split(","))
			.map(s -> s.trim().toLowerCase(Locale.ROOT))
			.filter(s -> !s.isEmpty())
			.toList();
		for (String pattern : patterns) {
			if (pattern.equals(host) || (pattern.startsWith("*.") && host.endsWith(pattern.substring(1)))) {
				return;
			}
		}
		throw new ActionInputException("url", "credential " + CredentialPlacement.describe(credential)
				+ " may not be sent to host '" + host + "'; its allowedHosts are " + patterns);
	}

	private static Map<String, String> headers(HttpResponse<?> answer, SecretScrubber scrubber) {
		Map<String, String> headers = new LinkedHashMap<>();
		answer.headers().map().forEach((name, values) -> {
			String lower = name.toLowerCase(Locale.ROOT);
			// ":status" is the JDK's pseudo-header for HTTP/2
			if (!WITHHELD_HEADERS.contains(lower) && !lower.startsWith(":")) {
				headers.merge(lower, scrubber.scrub(String.join(", ", values)), (a, b) -> a + ", " + b);
			}
		});
		return headers;
	}

	private static Charset charset(String contentType) {
		if (contentType != null) {
			Matcher matcher = CHARSET.matcher(contentType);
			if (matcher.find()) {
				try {
					return Charset.forName(matcher.group(1));
				}
				catch (IllegalCharsetNameException | UnsupportedCharsetException ex) {
					// fall through to UTF-8, the default of JSON and of every API here
				}
			}
		}
		return StandardCharsets.UTF_8;
	}

	private static boolean isJson(String contentType, String body) {
		if (contentType != null) {
			String type = contentType.toLowerCase(Locale.ROOT);
			return type.contains("/json") || type.contains("+json");
		}
		String trimmed = body.strip();
		return trimmed.startsWith("{") || trimmed.startsWith("[");
	}

}
