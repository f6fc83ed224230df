package io.keyflow.actions.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.keyflow.actions.ActionHttpClient;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the Keyflow actions, under {@code keyflow.actions}. Base URLs default to the real services;
 * point them at local servers for tests and demos (and allow-list those in {@code allowed-urls}), or at GitHub
 * Enterprise Server.
 */
@ConfigurationProperties("keyflow.actions")
public class KeyflowActionsProperties {

	/** Longest wait for a connection. */
	private Duration connectTimeout = ActionHttpClient.DEFAULT_CONNECT_TIMEOUT;

	/** Longest wait for a complete answer when a task gives no timeout. */
	private Duration requestTimeout = ActionHttpClient.DEFAULT_REQUEST_TIMEOUT;

	/**
	 * URL prefixes the actions may call whatever their scheme and address (e.g. {@code http://127.0.0.1:9000/} for a
	 * local service); without them, only https to public addresses. A prefix matches by origin (scheme, host, port)
	 * and then by path segments.
	 */
	private List<String> allowedUrls = new ArrayList<>();

	/** Whether plain http to a loopback host (localhost, 127.0.0.1, ::1) is allowed; for development only. */
	private boolean allowInsecureLoopback;

	private final Service github = new Service();

	private final Service slack = new Service();

	private final Service googleSheets = new Service();

	private final Service openai = new Service();

	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
	}

	public Duration getRequestTimeout() {
		return this.requestTimeout;
	}

	public void setRequestTimeout(Duration requestTimeout) {
		this.requestTimeout = requestTimeout;
	}

	public List<String> getAllowedUrls() {
		return this.allowedUrls;
	}

	public void setAllowedUrls(List<String> allowedUrls) {
		this.allowedUrls = allowedUrls;
	}

	public boolean isAllowInsecureLoopback() {
		return this.allowInsecureLoopback;
	}

	public void setAllowInsecureLoopback(boolean allowInsecureLoopback) {
		this.allowInsecureLoopback = allowInsecureLoopback;
	}

	/** @return GitHub: {@code keyflow.actions.github.base-url}, default {@code https://api.github.com} */
	public Service getGithub() {
		return this.github;
	}

	/** @return Slack: {@code keyflow.actions.slack.base-url}, default {@code https://slack.com} */
	public Service getSlack() {
		return this.slack;
	}

	/**
	 * @return Google Sheets: {@code keyflow.actions.google-sheets.base-url}, default
	 * {@code https://sheets.googleapis.com}
	 */
	public Service getGoogleSheets() {
		return this.googleSheets;
	}

	/** @return OpenAI-style chat: {@code keyflow.actions.openai.base-url}, default {@code https://api.openai.com} */
	public Service getOpenai() {
		return this.openai;
	}

	/**
	 * One service's settings.
	 */
	public static class Service {

		/** The service's base URL; empty for the real service. */
		private String baseUrl;

		public String getBaseUrl() {
			return this.baseUrl;
		}

		public void setBaseUrl(String baseUrl) {
			this.baseUrl = baseUrl;
		}

	}

}
