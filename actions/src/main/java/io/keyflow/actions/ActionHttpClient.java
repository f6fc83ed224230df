package io.keyflow.actions;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;

/**
 * The one HTTP client every Keyflow action sends through: a JDK {@link HttpClient} with a connect timeout, and
 * the request timeout used when a task gives none.
 * <p>
 * Redirects are never followed, so a credential is never sent on to a host the task did not name; a 3xx answer
 * is handed to the task like any other. Build one per application and share it (it is thread-safe and holds a
 * connection pool); actions created by the engine through {@code camunda:class} use {@link #shared()}.
 */
public final class ActionHttpClient {

	/** Connect timeout of {@link #shared()}. */
	public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

	/** Request timeout of {@link #shared()}: the longest wait for a complete answer. */
	public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

	private static volatile ActionHttpClient shared;

	private final HttpClient httpClient;

	private final Duration requestTimeout;

	private ActionHttpClient(HttpClient httpClient, Duration requestTimeout) {
		this.httpClient = httpClient;
		this.requestTimeout = requestTimeout;
	}

	/**
	 * @param connectTimeout the longest wait for a connection
	 * @param requestTimeout the longest wait for a complete answer when the task gives no {@code timeout}
	 * @return a new client
	 */
	public static ActionHttpClient create(Duration connectTimeout, Duration requestTimeout) {
		requirePositive(connectTimeout, "connectTimeout");
		requirePositive(requestTimeout, "requestTimeout");
		HttpClient client = HttpClient.newBuilder()
			.connectTimeout(connectTimeout)
			.followRedirects(HttpClient.Redirect.NEVER)
			// HTTP/1.1: predictable on plain-http local servers (no h2c upgrade), and every target API speaks it
			.version(HttpClient.Version.HTTP_1_1)
			.build();
		return new ActionHttpClient(client, requestTimeout);
	}

	/**
	 * @return the process-wide client with {@link #DEFAULT_CONNECT_TIMEOUT} and {@link #DEFAULT_REQUEST_TIMEOUT},
	 * created on first use
	 */
	public static ActionHttpClient shared() {
		ActionHttpClient client = shared;
		if (client == null) {
			synchronized (ActionHttpClient.class) {
				client = shared;
				if (client == null) {
					client = create(DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
					shared = client;
				}
			}
		}
		return client;
	}

	/**
	 * @return the JDK client
	 */
	public HttpClient httpClient() {
		return this.httpClient;
	}

	/**
	 * @return the request timeout used when a task gives none
	 */
	public Duration requestTimeout() {
		return this.requestTimeout;
	}

	@Override
	public String toString() {
		return "ActionHttpClient[connectTimeout=" + this.httpClient.connectTimeout().orElse(null) + ", requestTimeout="
				+ this.requestTimeout + "]";
	}

	private static void requirePositive(Duration duration, String name) {
		Objects.requireNonNull(duration, name + " cannot be null");
		if (duration.isNegative() || duration.isZero()) {
			throw new IllegalArgumentException(name + " must be positive");
		}
	}

}
