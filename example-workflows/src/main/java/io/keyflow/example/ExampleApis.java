package io.keyflow.example;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import io.keyflow.example.demo.DemoOAuth2Server;

/**
 * The URLs the example processes call, as a bean for their expressions ({@code ${exampleApis.profileUrl}}).
 * They come from configuration, not from process variables: whoever may set a process variable must not be
 * able to send the starter's token to a host of their choosing.
 */
@Component("exampleApis")
public class ExampleApis {

	/** The property that overrides the "who am I" URL, e.g. {@code https://api.github.com/user}. */
	public static final String PROFILE_URL = "keyflow.example.profile-url";

	/** The property that sets the partner API of the credential-request example; the demo profile sets its own. */
	public static final String PARTNER_URL = "keyflow.example.partner-url";

	private final Environment environment;

	private final ObjectProvider<DemoOAuth2Server> demoServer;

	ExampleApis(Environment environment, ObjectProvider<DemoOAuth2Server> demoServer) {
		this.environment = environment;
		this.demoServer = demoServer;
	}

	/**
	 * @return the "who am I" resource of the OAuth2 examples: {@value #PROFILE_URL} if set, else, in the demo
	 * profile, the demo provider's {@code /api/me}
	 * @throws IllegalStateException if neither is there; the task fails with this message
	 */
	public String getProfileUrl() {
		String configured = this.environment.getProperty(PROFILE_URL);
		if (configured != null && !configured.isBlank()) {
			return configured.trim();
		}
		DemoOAuth2Server server = this.demoServer.getIfAvailable();
		if (server == null) {
			throw new IllegalStateException(PROFILE_URL + " is not set and the demo profile is not active: set it to "
					+ "the API the OAuth2 example should call, e.g. https://api.github.com/user");
		}
		return server.resourceEndpoint().toString();
	}

	/**
	 * @return the partner API of the credential-request example ({@code keyflow-demo-partner}): {@value #PARTNER_URL}
	 * @throws IllegalStateException if it is not set; the task fails with this message
	 */
	public String getPartnerUrl() {
		String configured = this.environment.getProperty(PARTNER_URL);
		if (configured == null || configured.isBlank()) {
			throw new IllegalStateException(PARTNER_URL + " is not set: set it to the partner API the example should "
					+ "call (the demo profile sets it to its demo partner API)");
		}
		return configured.trim();
	}

}
