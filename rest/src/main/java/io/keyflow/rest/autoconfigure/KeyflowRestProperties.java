package io.keyflow.rest.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The REST API under /api/credentials (servlet web applications only), under the {@code keyflow.rest} prefix.
 */
@ConfigurationProperties("keyflow.rest")
public class KeyflowRestProperties {

	/** Whether the REST API is served when the application is a servlet web application. */
	private boolean enabled = true;

	/**
	 * A bootstrap admin API key (at least 32 characters, e.g. from openssl rand -base64 32). Usually set through
	 * the KEYFLOW_ADMIN_API_KEY environment variable, which is read when this property is not set.
	 */
	private String adminApiKey;

	/**
	 * DEMO ONLY: requests without an Authorization header from the loopback interface act as an untenanted
	 * editor (never admin); from any other address they are refused as without it. Logs a warning at start-up.
	 * Never enable it where real credentials are stored.
	 */
	private boolean demoOpen = false;

	/** The largest request body accepted; larger bodies are refused before they are parsed. */
	private DataSize maxBodySize = DataSize.ofKilobytes(64);

	/**
	 * Where the browser is sent after an OAuth2 callback, with credentialId=... on success or error=CODE on
	 * failure. By default a small page of the API itself.
	 */
	private String oauth2ResultUrl = "/api/credentials/oauth2/result";

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getAdminApiKey() {
		return this.adminApiKey;
	}

	public void setAdminApiKey(String adminApiKey) {
		this.adminApiKey = adminApiKey;
	}

	public boolean isDemoOpen() {
		return this.demoOpen;
	}

	public void setDemoOpen(boolean demoOpen) {
		this.demoOpen = demoOpen;
	}

	public DataSize getMaxBodySize() {
		return this.maxBodySize;
	}

	public void setMaxBodySize(DataSize maxBodySize) {
		this.maxBodySize = maxBodySize;
	}

	public String getOauth2ResultUrl() {
		return this.oauth2ResultUrl;
	}

	public void setOauth2ResultUrl(String oauth2ResultUrl) {
		this.oauth2ResultUrl = oauth2ResultUrl;
	}

	@Override
	public String toString() {
		return "KeyflowRestProperties[enabled=" + this.enabled + ", adminApiKey="
				+ ((this.adminApiKey != null) ? "(set)" : "(unset)") + ", demoOpen=" + this.demoOpen + ", maxBodySize=" + this.maxBodySize + "]";
	}

}
