package io.keyflow.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;

/**
 * A client of Keyflow's REST API ({@code /api/credentials}), one object per resource:
 * <pre>
 * KeyflowClient keyflow = KeyflowClient.builder(URI.create("http://localhost:8080"))
 *     .apiKey(System.getenv("KEYFLOW_API_KEY"))
 *     .build();
 * keyflow.credentials().save(NewCredential.apiKey("OPENAI_KEY", secret).build());
 * </pre>
 * Errors are thrown as the {@code plugin-api} exceptions ({@link io.keyflow.api.CredentialNotFoundException},
 * {@link io.keyflow.api.InvalidCredentialException}, {@link io.keyflow.api.CredentialConflictException},
 * {@link io.keyflow.api.ReadOnlyStoreException}, ...) caused by a {@link KeyflowClientException} with the status and
 * code; other errors (401, 403, 5xx, no answer) as the {@link KeyflowClientException} itself. Thread-safe. No value
 * this client returns prints a secret in {@code toString()}.
 */
public final class KeyflowClient {

	private final Transport http;

	private final String tenantId;

	private KeyflowClient(Transport http, String tenantId) {
		this.http = http;
		this.tenantId = tenantId;
	}

	/**
	 * @param baseUrl the application's base URL, e.g. {@code http://localhost:8080} (the API is under
	 * {@code /api/credentials})
	 * @return a builder
	 */
	public static Builder builder(URI baseUrl) {
		return new Builder(baseUrl);
	}

	public Credentials credentials() {
		return new Credentials(this.http, this.tenantId);
	}

	public OAuth2Connections oauth2() {
		return new OAuth2Connections(this.http, this.tenantId);
	}

	public Providers providers() {
		return new Providers(this.http);
	}

	public ApiKeys apiKeys() {
		return new ApiKeys(this.http);
	}

	public Audit audit() {
		return new Audit(this.http, this.tenantId);
	}

	public ProcessPrincipals processPrincipals() {
		return new ProcessPrincipals(this.http);
	}

	public Keys keys() {
		return new Keys(this.http);
	}

	public CredentialRequests requests() {
		return new CredentialRequests(this.http, this.tenantId);
	}

	/** @return the external-task exchange (a worker key) */
	public ExternalTasks externalTasks() {
		return new ExternalTasks(this.http);
	}

	@Override
	public String toString() {
		return "KeyflowClient[tenantId=" + this.tenantId + "]";
	}

	/** Builds a {@link KeyflowClient}. */
	public static final class Builder {

		private final URI baseUrl;

		private String apiKey;

		private String tenantId;

		private HttpClient httpClient;

		private Duration timeout = Duration.ofSeconds(30);

		private Builder(URI baseUrl) {
			this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl cannot be null");
			if (baseUrl.getScheme() == null || !baseUrl.getScheme().matches("https?") || baseUrl.getHost() == null) {
				throw new IllegalArgumentException("baseUrl must be an http or https URL with a host, e.g. "
						+ "http://localhost:8080");
			}
		}

		/** @param apiKey the API key, sent as {@code Authorization: Bearer}; {@code null} sends none */
		public Builder apiKey(String apiKey) {
			this.apiKey = apiKey;
			return this;
		}

		/** @param tenantId the tenant to act on (an unbound admin key); a bound key acts on its own */
		public Builder tenantId(String tenantId) {
			this.tenantId = tenantId;
			return this;
		}

		/** @param httpClient the JDK client to send with (proxy, TLS settings); default a new one */
		public Builder httpClient(HttpClient httpClient) {
			this.httpClient = Objects.requireNonNull(httpClient, "httpClient cannot be null");
			return this;
		}

		/** @param timeout how long one call may take; default 30 seconds */
		public Builder timeout(Duration timeout) {
			if (timeout == null || timeout.isNegative() || timeout.isZero()) {
				throw new IllegalArgumentException("timeout must be positive");
			}
			this.timeout = timeout;
			return this;
		}

		public KeyflowClient build() {
			HttpClient client = (this.httpClient != null) ? this.httpClient
					: HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
			return new KeyflowClient(new Transport(client, this.baseUrl, this.apiKey, this.timeout), this.tenantId);
		}

		@Override
		public String toString() {
			return "KeyflowClient.Builder[baseUrl=" + this.baseUrl + ", apiKey=" + ((this.apiKey != null) ? "(set)" : "(none)")
					+ "]";
		}

	}

}
