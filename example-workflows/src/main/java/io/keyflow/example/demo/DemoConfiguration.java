package io.keyflow.example.demo;

import java.net.URI;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import io.keyflow.api.CredentialType;
import io.keyflow.api.KeyflowPlugin;
import io.keyflow.api.PluginContext;
import io.keyflow.devserver.DevAuthorizationServer;
import io.keyflow.plugin.CredentialDraft;
import io.keyflow.plugin.CredentialService;
import io.keyflow.plugin.autoconfigure.KeyflowProperties;

/**
 * The {@code demo} profile: everything the example processes need, on this machine.
 * <ul>
 * <li>a local OAuth2 provider with a protected demo API ({@link DemoOAuth2Server}, port
 * {@code keyflow.demo.oauth2-port}), registered with Keyflow through the init hook as provider
 * {@value DemoOAuth2Server#PROVIDER_ID}, its client being {@code keyflow.oauth2.clients.keyflow-demo};</li>
 * <li>a demo chat API that checks an API key ({@link DemoChatApi}), and that key stored as credential
 * {@code keyflow.demo.api-key-credential};</li>
 * <li>the connect page {@code /demo/} and a start-up message saying what to open.</li>
 * </ul>
 * Never for real credentials: the profile also generates a throwaway encryption key and opens Keyflow's REST API
 * ({@code keyflow.rest.demo-open}).
 */
@Configuration(proxyBeanMethods = false)
@Profile("demo")
@EnableConfigurationProperties(DemoProperties.class)
public class DemoConfiguration {

	private static final Logger log = LoggerFactory.getLogger(DemoConfiguration.class);

	@Bean(destroyMethod = "close")
	DemoOAuth2Server demoOAuth2Server(DemoProperties demo, KeyflowProperties keyflow) {
		KeyflowProperties.Client client = keyflow.getOauth2().getClients().get(DemoOAuth2Server.PROVIDER_ID);
		if (client == null || client.getClientId() == null || client.getClientSecret() == null) {
			throw new IllegalStateException("the demo needs keyflow.oauth2.clients." + DemoOAuth2Server.PROVIDER_ID
					+ ".client-id and .client-secret (application-demo.yaml sets them)");
		}
		URI redirectUri = keyflow.getOauth2().getRedirectUri();
		if (redirectUri == null) {
			throw new IllegalStateException("the demo needs keyflow.oauth2.redirect-uri (application-demo.yaml sets it)");
		}
		// the provider accepts exactly the redirect URI Keyflow sends, as a real provider's app registration does
		return new DemoOAuth2Server(DevAuthorizationServer.start(DevAuthorizationServer.Options.defaults()
			.client(client.getClientId(), client.getClientSecret(), redirectUri.toString())
			.user(demo.getUsername(), demo.getPassword())
			.accessTokenTtl(demo.getAccessTokenTtl())
			.port(demo.getOauth2Port())));
	}

	@Bean
	KeyflowPlugin demoOAuth2Provider(DemoOAuth2Server server) {
		return new DemoProviderPlugin(server);
	}

	/**
	 * Registers the demo provider through Keyflow's init hook, as any application adds its own providers.
	 */
	static final class DemoProviderPlugin implements KeyflowPlugin {

		private final DemoOAuth2Server server;

		DemoProviderPlugin(DemoOAuth2Server server) {
			this.server = server;
		}

		@Override
		public void init(PluginContext context) {
			context.registerOAuth2Provider(this.server.provider());
		}

	}

	@Bean
	DemoApiKey demoApiKey() {
		return DemoApiKey.generate();
	}

	@Bean
	ApplicationRunner demoApiKeyCredential(CredentialService credentials, DemoApiKey key, DemoProperties demo,
			Environment environment) {
		// upsert by key: each run replaces the stored key with this run's
		return (args) -> credentials.save(CredentialDraft.builder(CredentialType.API_KEY)
			.key(demo.getApiKeyCredential())
			.name("Demo chat API key")
			.provider("openai")
			// sent only to this application's chat API (keyflow.actions.openai.base-url), whatever URL a task names
			.allowedOrigins("http://localhost:" + environment.getRequiredProperty("local.server.port"))
			.secret("apiKey", key.value())
			.build());
	}

	@Bean
	WebMvcConfigurer demoConnectPage() {
		return new WebMvcConfigurer() {

			@Override
			public void addViewControllers(ViewControllerRegistry registry) {
				registry.addViewController("/demo").setViewName("redirect:/demo/");
				registry.addViewController("/demo/").setViewName("forward:/demo/index.html");
			}

		};
	}

	@Bean
	ApplicationListener<ApplicationReadyEvent> demoWelcome(DemoOAuth2Server server, DemoProperties demo) {
		return (event) -> {
			int port = (event.getApplicationContext() instanceof WebServerApplicationContext web)
					? web.getWebServer().getPort() : 8080;
			String app = "http://localhost:" + port;
			log.info("""

					==========================================================================================
					  Keyflow demo is running. Demo profile: throwaway encryption key, open Keyflow REST API.
					  Never store real credentials in it.

					  1. Connect the demo account:  {}/demo/
					     (the demo provider asks you to log in: {} / {})
					  2. Start "Keyflow demo: who am I (OAuth2 per user)" in Tasklist:
					     {}/camunda/app/tasklist/   (Camunda user demo / demo)
					  3. See the demo API's answer (variables meBody, demoSubject) in Cockpit:
					     {}/camunda/app/cockpit/

					  Demo OAuth2 provider: {}   demo API: GET {}
					  Camunda REST API: {}/engine-rest (HTTP basic, demo / demo)
					==========================================================================================""",
					app, demo.getUsername(), demo.getPassword(), app, app, server.baseUrl(), server.resourceEndpoint(),
					app);
		};
	}

}
