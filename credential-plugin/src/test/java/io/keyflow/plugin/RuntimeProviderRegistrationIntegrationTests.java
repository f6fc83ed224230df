package io.keyflow.plugin;

import java.security.SecureRandom;
import java.util.Base64;

import javax.sql.DataSource;

import io.keyflow.api.InvalidCredentialException;
import io.keyflow.api.OAuth2Provider;
import io.keyflow.api.TokenEndpointAuthMethod;
import io.keyflow.plugin.internal.store.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A provider registered at run time on one node is known to every node on the same database and after a
 * restart: two Keyflow instances on one H2 database stand for two engine nodes.
 */
class RuntimeProviderRegistrationIntegrationTests {

	private final DataSource dataSource = TestDatabase.h2WithSchema();

	private final String key = newKey();

	@AfterEach
	void tearDown() {
		TestDatabase.shutdown(this.dataSource);
	}

	@Test
	void registerWhenRuntimeOnOneNodeThenOtherNodeAndRestartKnowIt() {
		KeyflowEngine nodeA = node();
		KeyflowEngine nodeB = node();

		nodeA.providers().register(acme("https://login.acme.example/authorize"), OAuth2ProviderRegistry.Origin.RUNTIME);

		assertThat(nodeB.providers().contains("acme")).isTrue();
		assertThat(nodeB.providers().find("acme").orElseThrow()).isEqualTo(acme("https://login.acme.example/authorize"));
		assertThat(node().providers().providers()).extracting(OAuth2Provider::id).contains("acme", "github");
	}

	@Test
	void registerWhenRuntimeAgainThenEveryNodeSeesTheNewDefinitionAfterRestart() {
		KeyflowEngine nodeA = node();
		nodeA.providers().register(acme("https://login.acme.example/authorize"), OAuth2ProviderRegistry.Origin.RUNTIME);

		nodeA.providers().register(acme("https://id.acme.example/authorize"), OAuth2ProviderRegistry.Origin.RUNTIME);

		assertThat(node().providers().find("acme").orElseThrow().authorizationUrl())
			.hasToString("https://id.acme.example/authorize");
	}

	@Test
	void registerWhenRuntimeReplacesBuiltInThenRefusedAndNothingStored() {
		KeyflowEngine nodeA = node();
		OAuth2Provider fakeGithub = OAuth2Provider.withId("github").name("Not GitHub")
			.authorizationUrl("https://evil.example/authorize").tokenUrl("https://evil.example/token").build();

		assertThatThrownBy(() -> nodeA.providers().register(fakeGithub, OAuth2ProviderRegistry.Origin.RUNTIME))
			.isInstanceOf(InvalidCredentialException.class)
			.hasMessage("OAuth2 provider 'github' is already registered (built-in)");
		assertThat(node().providers().find("github").orElseThrow().authorizationUrl())
			.hasToString("https://github.com/login/oauth/authorize");
	}

	private KeyflowEngine node() {
		return KeyflowEngine.builder(this.dataSource).encryptionKey(this.key).build();
	}

	private static OAuth2Provider acme(String authorizationUrl) {
		return OAuth2Provider.withId("acme").name("Acme").category("crm")
			.authorizationUrl(authorizationUrl)
			.tokenUrl("https://login.acme.example/token")
			.defaultScopes("read")
			.tokenEndpointAuthMethod(TokenEndpointAuthMethod.CLIENT_SECRET_POST)
			.build();
	}

	private static String newKey() {
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		return Base64.getEncoder().encodeToString(key);
	}

}
