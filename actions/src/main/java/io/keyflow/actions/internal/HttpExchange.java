package io.keyflow.actions.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.time.Duration;
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
import io.keyflow.api.CredentialType;
import io.keyflow.api.EgressRefusedException;
import io.keyflow.api.InvalidCredentialException;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;
import org.apache.hc.core5.io.CloseMode;

/**
 * Sends one request with the task's credential and reads the answer: the one place the ready-made actions send
 * from. The credential goes on the request only through {@link Credential#authorize} (its allowedOrigins checked),
 * and the request only through {@link ActionHttpClient#execute} (its egress rules checked). Everything that leaves
 * this class (the response's body and headers, every exception message) has been scrubbed of the credential's
 * secrets.
 */
public final class HttpExchange {

	/** Longest excerpt of an error body in an exception message. */
	public static final int EXCERPT_LENGTH = 200;

	/** Bodies beyond this are refused rather than stored in a process variable. */
	static final int MAX_BODY_BYTES = 5 * 1024 * 1024;

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
	 * Sends the request through the client's egress rules, with the credential attached only through
	 * {@link Credential#authorize} (so sealed credentials work and the credential's allowedOrigins are checked).
	 * @param client the HTTP client
	 * @param request what to send
	 * @param credential the task's credential, or {@code null} to send none
	 * @param placement where the credential goes
	 * @param failOnErrorStatus whether a status of 400 or more throws
	 * @return the scrubbed answer
	 * @throws ActionFailedException on a 4xx/5xx answer (when {@code failOnErrorStatus})
	 * @throws ServiceUnreachableException on a connection failure or timeout
	 * @throws ActionInputException when the credential cannot be placed as asked
	 * @throws EgressRefusedException when the credential's policy or the client's egress rules refuse the target;
	 * nothing was sent
	 */
	public static Response send(ActionHttpClient client, Request request, Credential credential,
			CredentialPlacement placement, boolean failOnErrorStatus) {
		Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		headers.put("User-Agent", USER_AGENT);
		headers.putAll(request.headers());
		// a JDK request builder carries the headers: it refuses Host, Connection, Content-Length and the like, and it
		// is what Authorization.applyTo sets the credential on
		HttpRequest.Builder carrier = HttpRequest.newBuilder(request.uri());
		try {
			headers.forEach(carrier::header);
		}
		catch (IllegalArgumentException ex) {
			// its message names the header only
			throw new ActionInputException("headers", request.service() + " " + request.describe() + ": " + ex.getMessage());
		}
		Placed placed = (credential != null) ? place(placement.resolve(credential), credential, request.uri(), carrier)
				: new Placed(request.uri(), List.of());
		SecretScrubber scrubber = SecretScrubber.of(credential, placed.sent());
		ClassicHttpRequest outgoing = new BasicClassicHttpRequest(request.method(), placed.uri());
		carrier.copy().build().headers().map().forEach((name, values) -> values.forEach((value) -> outgoing.addHeader(name, value)));
		if (request.body() != null) {
			// no content type here: the request's own Content-Type header says it
			outgoing.setEntity(new ByteArrayEntity(request.body(), null));
		}
		Duration timeout = (request.timeout() != null) ? request.timeout() : client.requestTimeout();
		int status;
		Map<String, String> responseHeaders;
		byte[] bytes;
		try (CloseableHttpResponse answer = client.execute(outgoing, timeout)) {
			status = answer.getCode();
			responseHeaders = headers(answer, scrubber);
			HttpEntity entity = answer.getEntity();
			if (entity == null) {
				bytes = new byte[0];
			}
			else {
				InputStream in = entity.getContent();
				bytes = in.readNBytes(MAX_BODY_BYTES + 1);
				if (bytes.length > MAX_BODY_BYTES) {
					// drop the connection instead of reading the rest of an oversized body
					answer.close(CloseMode.IMMEDIATE);
				}
				else {
					in.close();
				}
			}
		}
		catch (SocketTimeoutException ex) {
			throw new ServiceUnreachableException(request.service() + " " + request.describe() + ": no answer within "
					+ timeout + " (" + ex.getClass().getSimpleName() + ")");
		}
		catch (IOException ex) {
			throw new ServiceUnreachableException(request.service() + " " + request.describe() + " failed: "
					+ ex.getClass().getSimpleName() + ((ex.getMessage() != null) ? ": " + scrubber.scrub(ex.getMessage()) : ""));
		}
		if (bytes.length > MAX_BODY_BYTES) {
			throw new ActionFailedException(request.service(), status, null, request.service() + " "
					+ request.describe() + " answered " + status + " with a body larger than " + MAX_BODY_BYTES + " bytes");
		}
		String body = scrubber.scrub(new String(bytes, charset(responseHeaders.get("content-type"))));
		Response response = new Response(status, responseHeaders, body,
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

	/** Where the credential went: the URI to send to (with a query placement, carrying it) and the values sent. */
	private record Placed(URI uri, List<String> sent) {
	}

	private static Placed place(CredentialPlacement placement, Credential credential, URI uri, HttpRequest.Builder carrier) {
		try {
			switch (placement.kind()) {
				case NONE -> {
					return new Placed(uri, List.of());
				}
				case BEARER -> {
					requireSingleSecret(credential, placement);
					credential.authorize(uri).applyTo(carrier);
					return new Placed(uri, sentHeader(carrier, "Authorization"));
				}
				case BASIC -> {
					if (credential.type() != CredentialType.BASIC) {
						throw new ActionInputException(CredentialPlacement.INPUT, "credentialPlacement basic needs a basic "
								+ "credential with username and password; credential " + CredentialPlacement.describe(credential)
								+ " has none");
					}
					credential.authorize(uri).applyTo(carrier);
					return new Placed(uri, sentHeader(carrier, "Authorization"));
				}
				case HEADER -> {
					requireSingleSecret(credential, placement);
					credential.authorize(uri).applyTo(carrier, placement.name(), true);
					return new Placed(uri, sentHeader(carrier, placement.name()));
				}
				case QUERY -> {
					if (credential.sealed()) {
						throw new ActionInputException(CredentialPlacement.INPUT, "credential "
								+ CredentialPlacement.describe(credential) + " is sealed: credentialPlacement " + placement
								+ " would put it into the URL, where logs and proxies keep it; use a header placement "
								+ "(bearer or header:<Name>) or ask an admin to unseal it");
					}
					requireSingleSecret(credential, placement);
					// the secret as the credential grants it to this origin; a throwaway carrier, never sent
					HttpRequest.Builder secretCarrier = HttpRequest.newBuilder(uri);
					credential.authorize(uri).applyTo(secretCarrier, "X-Keyflow-Query", true);
					String secret = secretCarrier.build().headers().firstValue("X-Keyflow-Query").orElseThrow();
					return new Placed(withQueryParameter(uri, placement.name(), secret), List.of(secret));
				}
				default -> throw new IllegalStateException("unresolved placement " + placement);
			}
		}
		catch (InvalidCredentialException ex) {
			// its message names the credential and the missing part, never a value
			throw new ActionInputException(CredentialPlacement.INPUT, ex.getMessage());
		}
	}

	private static void requireSingleSecret(Credential credential, CredentialPlacement placement) {
		if (credential.type() == CredentialType.BASIC) {
			throw new ActionInputException(CredentialPlacement.INPUT, "credential " + CredentialPlacement.describe(credential)
					+ " is a basic (username and password) credential; use credentialPlacement basic");
		}
	}

	private static List<String> sentHeader(HttpRequest.Builder carrier, String name) {
		return carrier.copy().build().headers().allValues(name);
	}

	private static Map<String, String> headers(ClassicHttpResponse answer, SecretScrubber scrubber) {
		Map<String, String> headers = new LinkedHashMap<>();
		for (Header header : answer.getHeaders()) {
			String lower = header.getName().toLowerCase(Locale.ROOT);
			if (!WITHHELD_HEADERS.contains(lower)) {
				headers.merge(lower, scrubber.scrub(header.getValue()), (a, b) -> a + ", " + b);
			}
		}
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
