package io.keyflow.actions;

import java.util.Map;

import io.keyflow.actions.internal.CredentialPlacement;
import io.keyflow.actions.internal.SecretScrubber;
import io.keyflow.api.Credential;
import io.keyflow.api.CredentialInfo;
import io.keyflow.api.CredentialType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Parsing of {@code credentialPlacement} and the scrubbing of secret values from text.
 */
class CredentialPlacementUnitTests {

	@Test
	void parseWhenEachFormThenKindAndName() {
		assertThat(CredentialPlacement.parse(null, "input").kind()).isEqualTo(CredentialPlacement.Kind.AUTO);
		assertThat(CredentialPlacement.parse(" Bearer ", "input").kind()).isEqualTo(CredentialPlacement.Kind.BEARER);
		assertThat(CredentialPlacement.parse("header:X-API-Key", "input"))
			.isEqualTo(new CredentialPlacement(CredentialPlacement.Kind.HEADER, "X-API-Key"));
		assertThat(CredentialPlacement.parse("query:api_key", "input").toString()).isEqualTo("query:api_key");
	}

	@Test
	void parseWhenMalformedThenMessageListsTheForms() {
		assertThatThrownBy(() -> CredentialPlacement.parse("header:", "input 'credentialPlacement'"))
			.isInstanceOf(ActionInputException.class)
			.hasMessage("input 'credentialPlacement' is 'header:'; expected auto, none, bearer, basic, header:<Name> or query:<param>");
		assertThatThrownBy(() -> CredentialPlacement.parse("header:Bad Name", "x")).isInstanceOf(ActionInputException.class);
		assertThatThrownBy(() -> CredentialPlacement.parse("cookie:a", "x")).isInstanceOf(ActionInputException.class);
	}

	@Test
	void tokenWhenBasicCredentialThenRefusedWithoutTheSecret() {
		Credential basic = Credential.of(CredentialInfo.builder(CredentialType.BASIC).key("ERP").build(),
				Map.of("username", "robot", "password", "pa55word-secret"));
		assertThatThrownBy(() -> CredentialPlacement.token(basic)).isInstanceOf(ActionInputException.class)
			.hasMessage("credential 'ERP' (basic) is a basic (username and password) credential; use credentialPlacement basic");
	}

	@Test
	void scrubWhenSecretVerbatimEncodedOrBase64ThenRedacted() {
		Credential credential = Credential.of(CredentialInfo.builder(CredentialType.BASIC).key("ERP").build(),
				Map.of("username", "robot", "password", "p@ss/word \"1\""));
		SecretScrubber scrubber = SecretScrubber.of(credential);

		assertThat(scrubber.scrub("pw=p@ss/word \"1\"; enc=p%40ss%2Fword+%221%22; json=\"p@ss/word \\\"1\\\"\"; basic=cm9ib3Q6cEBzcy93b3JkICIxIg=="))
			.isEqualTo("pw=[redacted]; enc=[redacted]; json=\"[redacted]\"; basic=[redacted]");
		// the username is a secret part too (Credential.USERNAME); other text stays
		assertThat(scrubber.scrub("the robot says hi")).isEqualTo("the [redacted] says hi");
		assertThat(scrubber.scrub("nothing here")).isEqualTo("nothing here");
		assertThat(scrubber.toString()).doesNotContain("p@ss");
	}

}
