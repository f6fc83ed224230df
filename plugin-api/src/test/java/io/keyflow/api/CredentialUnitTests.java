package io.keyflow.api;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CredentialUnitTests {

	private static final String TOKEN = "gho_secret-token-value";

	@Test
	void toStringWhenSecretsPresentThenOnlyTheirNames() {
		Credential credential = Credential.of(CredentialInfo.builder(CredentialType.OAUTH2).id("c1").key("GITHUB")
			.provider("github").build(), Map.of("accessToken", TOKEN, "refreshToken", "r-" + TOKEN));

		assertThat(credential.toString()).doesNotContain(TOKEN)
			.contains("key=GITHUB", "accessToken", "refreshToken", "(redacted)");
	}

	@Test
	void authorizationHeaderWhenEachTypeThenMatchingScheme() {
		assertThat(credential(CredentialType.OAUTH2, Map.of("accessToken", "t")).authorizationHeader()).isEqualTo("Bearer t");
		assertThat(credential(CredentialType.API_KEY, Map.of("apiKey", "k")).authorizationHeader()).isEqualTo("Bearer k");
		assertThat(credential(CredentialType.STATIC, Map.of("value", "v")).authorizationHeader()).isEqualTo("Bearer v");
		assertThat(credential(CredentialType.BASIC, Map.of("username", "Aladdin", "password", "open sesame"))
			.authorizationHeader()).isEqualTo("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
		assertThat(credential(CredentialType.BASIC, Map.of("username", "only")).authorizationHeader()).isNull();
	}

	@Test
	void requirementFromAnnotationWhenOAuth2ProviderThenOAuth2Only() {
		@RequiresCredential(oauth2Provider = "github", scopes = { "repo", "repo" })
		class Action {
		}
		CredentialRequirement requirement = CredentialRequirement.from(Action.class.getAnnotation(RequiresCredential.class));

		assertThat(requirement.acceptedTypes()).containsExactly(CredentialType.OAUTH2);
		assertThat(requirement.scopes()).isEqualTo(Set.of("repo"));
		assertThat(requirement.required()).isTrue();
	}

	@Test
	void fromWireNameWhenUnknownThenInvalidNamingTheField() {
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> CredentialType.fromWireName("ssh"))
			.isInstanceOf(InvalidCredentialException.class)
			.hasMessage("unknown credential type 'ssh'; expected one of api_key, static, basic, oauth2")
			.extracting("field").isEqualTo("type");
	}

	private static Credential credential(CredentialType type, Map<String, String> secrets) {
		return Credential.of(CredentialInfo.builder(type).id("c").build(), secrets);
	}

}
