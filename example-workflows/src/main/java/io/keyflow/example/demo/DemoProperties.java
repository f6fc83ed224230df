package io.keyflow.example.demo;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The demo profile's settings, under {@code keyflow.demo}. The demo OAuth2 client's id and secret are Keyflow's
 * own {@code keyflow.oauth2.clients.keyflow-demo.*}, so the provider and Keyflow cannot disagree about them.
 */
@ConfigurationProperties("keyflow.demo")
public class DemoProperties {

	/**
	 * Port of the local OAuth2 provider and its demo API. Keep it fixed: the demo profile allow-lists
	 * {@code http://127.0.0.1:<port>/api/} for the actions ({@code keyflow.actions.allowed-urls}); with 0 (a random
	 * port) the "who am I" processes are refused.
	 */
	private int oauth2Port = 9000;

	/** The user who logs in at the local OAuth2 provider. */
	private String username = "demo";

	/** That user's password. */
	private String password = "demo";

	/** Lifetime of the provider's access tokens; Keyflow refreshes them before they expire. */
	private Duration accessTokenTtl = Duration.ofHours(1);

	/** Key of the API-key credential the demo stores for the chat example. */
	private String apiKeyCredential = "DEMO_CHAT_API_KEY";

	public int getOauth2Port() {
		return this.oauth2Port;
	}

	public void setOauth2Port(int oauth2Port) {
		this.oauth2Port = oauth2Port;
	}

	public String getUsername() {
		return this.username;
	}

	public void setUsername(String username) {
		this.username = username;
	}

	public String getPassword() {
		return this.password;
	}

	public void setPassword(String password) {
		this.password = password;
	}

	public Duration getAccessTokenTtl() {
		return this.accessTokenTtl;
	}

	public void setAccessTokenTtl(Duration accessTokenTtl) {
		this.accessTokenTtl = accessTokenTtl;
	}

	public String getApiKeyCredential() {
		return this.apiKeyCredential;
	}

	public void setApiKeyCredential(String apiKeyCredential) {
		this.apiKeyCredential = apiKeyCredential;
	}

	@Override
	public String toString() {
		return "DemoProperties[oauth2Port=" + this.oauth2Port + ", username=" + this.username + ", password=(redacted)]";
	}

}
