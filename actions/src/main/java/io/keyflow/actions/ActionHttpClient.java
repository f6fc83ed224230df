package io.keyflow.actions;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import io.keyflow.actions.internal.EgressDnsResolver;
import io.keyflow.actions.internal.EgressRules;
import io.keyflow.api.EgressRefusedException;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.util.Timeout;

/**
 * The one HTTP client every Keyflow action sends through (Apache HttpClient 5), and the place its egress rules are
 * enforced, for every request, with or without a credential:
 * <ul>
 * <li>only {@code https} to public addresses, unless the URL starts with one of the allow-listed URL prefixes
 * ({@code keyflow.actions.allowed-urls}); loopback, private (RFC 1918, {@code fc00::/7}), link-local (incl.
 * {@code 169.254.169.254}, {@code fe80::/10}), unspecified and other non-public addresses, also in IPv4-mapped
 * IPv6 form, are refused;</li>
 * <li>plain {@code http} only for an allow-listed URL, or to a loopback host when
 * {@code keyflow.actions.allow-insecure-loopback} is on (then its addresses must all be loopback);</li>
 * <li>the host is resolved once, every address is checked, and the connection goes to a checked address (pinned
 * in the route, so DNS rebinding cannot swap it); TLS still verifies the host name;</li>
 * <li>redirects are never followed, nothing is retried, no cookies are kept, no proxy is used.</li>
 * </ul>
 * A refused request throws {@link EgressRefusedException} before any connection. Build one per application and
 * share it (thread-safe, with a connection pool); actions created by the engine through {@code camunda:class} use
 * {@link #shared()}.
 */
public final class ActionHttpClient implements AutoCloseable {

	/** Connect timeout of {@link #shared()}. */
	public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

	/** Request timeout of {@link #shared()}: the longest wait for the answer, and between its bytes. */
	public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

	/** The setting (Spring property, or for {@link #shared()} the JVM system property) of allow-listed URL prefixes. */
	public static final String ALLOWED_URLS_PROPERTY = EgressRules.ALLOWED_URLS;

	/** The setting that allows plain http to a loopback host. */
	public static final String ALLOW_INSECURE_LOOPBACK_PROPERTY = EgressRules.ALLOW_INSECURE_LOOPBACK;

	private static volatile ActionHttpClient shared;

	private final CloseableHttpClient httpClient;

	private final EgressRules rules;

	private final EgressDnsResolver resolver;

	private final Duration connectTimeout;

	private final Duration requestTimeout;

	private ActionHttpClient(Builder builder) {
		this.rules = EgressRules.of(builder.allowedUrls, builder.allowInsecureLoopback);
		this.resolver = EgressDnsResolver.of(this.rules);
		this.connectTimeout = builder.connectTimeout;
		this.requestTimeout = builder.requestTimeout;
		PoolingHttpClientConnectionManager connections = PoolingHttpClientConnectionManagerBuilder.create()
			.setDnsResolver(this.resolver)
			.setDefaultConnectionConfig(ConnectionConfig.custom()
				.setConnectTimeout(Timeout.of(this.connectTimeout))
				.setSocketTimeout(Timeout.of(this.requestTimeout))
				.build())
			.setMaxConnTotal(100)
			.setMaxConnPerRoute(20)
			.build();
		this.httpClient = HttpClients.custom()
			.setConnectionManager(connections)
			.setDefaultRequestConfig(RequestConfig.custom()
				.setConnectionRequestTimeout(Timeout.of(this.connectTimeout))
				.setResponseTimeout(Timeout.of(this.requestTimeout))
				.build())
			.disableRedirectHandling()
			.disableAutomaticRetries()
			.disableCookieManagement()
			.disableAuthCaching()
			.disableContentCompression()
			.build();
	}

	/**
	 * @param connectTimeout the longest wait for a connection
	 * @param requestTimeout the longest wait for the answer when the task gives no {@code timeout}
	 * @return a new client with the default egress rules (https to public addresses only)
	 */
	public static ActionHttpClient create(Duration connectTimeout, Duration requestTimeout) {
		return builder().connectTimeout(connectTimeout).requestTimeout(requestTimeout).build();
	}

	/**
	 * @return a builder with the default timeouts and egress rules
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * @return the process-wide client with {@link #DEFAULT_CONNECT_TIMEOUT} and {@link #DEFAULT_REQUEST_TIMEOUT},
	 * its egress settings read once, on first use, from the JVM system properties {@value #ALLOWED_URLS_PROPERTY}
	 * (comma-separated) and {@value #ALLOW_INSECURE_LOOPBACK_PROPERTY}
	 */
	public static ActionHttpClient shared() {
		ActionHttpClient client = shared;
		if (client == null) {
			synchronized (ActionHttpClient.class) {
				client = shared;
				if (client == null) {
					String urls = System.getProperty(ALLOWED_URLS_PROPERTY, "");
					client = builder().allowedUrls(Arrays.stream(urls.split(",")).map(String::trim)
						.filter((url) -> !url.isEmpty()).toList())
						.allowInsecureLoopback(Boolean.parseBoolean(System.getProperty(ALLOW_INSECURE_LOOPBACK_PROPERTY)))
						.build();
					shared = client;
				}
			}
		}
		return client;
	}

	/**
	 * Sends one request, after checking it against the egress rules and pinning the connection to a checked
	 * address. The caller closes the response.
	 * @param request the request, with an absolute http(s) URI
	 * @param timeout the longest wait for the answer and between its bytes, or {@code null} for the default
	 * @return the open response
	 * @throws EgressRefusedException when the rules refuse the URL or an address its host resolves to; nothing was
	 * sent
	 * @throws IOException on a connection failure or timeout
	 */
	public CloseableHttpResponse execute(ClassicHttpRequest request, Duration timeout) throws IOException {
		Objects.requireNonNull(request, "request cannot be null");
		URI target;
		try {
			target = request.getUri();
		}
		catch (URISyntaxException ex) {
			throw new IllegalArgumentException("request has no valid URI", ex);
		}
		EgressRules.Permit permit = this.rules.check(target);
		List<InetAddress> addresses = this.resolver.resolveChecked(target, permit);
		String scheme = target.getScheme().toLowerCase(Locale.ROOT);
		HttpHost pinned = new HttpHost(scheme, addresses.get(0), EgressRules.bare(target.getHost()), target.getPort());
		HttpClientContext context = HttpClientContext.create();
		context.setRequestConfig(RequestConfig.custom()
			.setConnectionRequestTimeout(Timeout.of(this.connectTimeout))
			.setResponseTimeout(Timeout.of((timeout != null) ? timeout : this.requestTimeout))
			.build());
		return this.httpClient.execute(pinned, request, context);
	}

	/**
	 * @return the request timeout used when a task gives none
	 */
	public Duration requestTimeout() {
		return this.requestTimeout;
	}

	/**
	 * @return the allow-listed URL prefixes, normalized
	 */
	public List<String> allowedUrls() {
		return this.rules.allowedUrls();
	}

	/**
	 * @return whether plain http to a loopback host is allowed
	 */
	public boolean allowInsecureLoopback() {
		return this.rules.allowInsecureLoopback();
	}

	@Override
	public void close() throws IOException {
		this.httpClient.close();
	}

	@Override
	public String toString() {
		return "ActionHttpClient[connectTimeout=" + this.connectTimeout + ", requestTimeout=" + this.requestTimeout
				+ ", allowedUrls=" + allowedUrls() + ", allowInsecureLoopback=" + allowInsecureLoopback() + "]";
	}

	/**
	 * Builds an {@link ActionHttpClient}.
	 */
	public static final class Builder {

		private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;

		private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;

		private List<String> allowedUrls = List.of();

		private boolean allowInsecureLoopback;

		private Builder() {
		}

		/**
		 * @param connectTimeout the longest wait for a connection
		 * @return this builder
		 */
		public Builder connectTimeout(Duration connectTimeout) {
			this.connectTimeout = requirePositive(connectTimeout, "connectTimeout");
			return this;
		}

		/**
		 * @param requestTimeout the longest wait for the answer when the task gives no {@code timeout}
		 * @return this builder
		 */
		public Builder requestTimeout(Duration requestTimeout) {
			this.requestTimeout = requirePositive(requestTimeout, "requestTimeout");
			return this;
		}

		/**
		 * @param allowedUrls URL prefixes (e.g. {@code http://127.0.0.1:9000/}) that may be called whatever their
		 * scheme and address
		 * @return this builder
		 */
		public Builder allowedUrls(Collection<String> allowedUrls) {
			this.allowedUrls = List.copyOf(Objects.requireNonNull(allowedUrls, "allowedUrls cannot be null"));
			return this;
		}

		/**
		 * @param allowInsecureLoopback whether plain http to a loopback host (resolving to loopback only) is allowed
		 * @return this builder
		 */
		public Builder allowInsecureLoopback(boolean allowInsecureLoopback) {
			this.allowInsecureLoopback = allowInsecureLoopback;
			return this;
		}

		/**
		 * @return the client
		 * @throws IllegalArgumentException when an allowed URL is not a URL prefix
		 */
		public ActionHttpClient build() {
			return new ActionHttpClient(this);
		}

		private static Duration requirePositive(Duration duration, String name) {
			Objects.requireNonNull(duration, name + " cannot be null");
			if (duration.isNegative() || duration.isZero()) {
				throw new IllegalArgumentException(name + " must be positive");
			}
			return duration;
		}

	}

}
