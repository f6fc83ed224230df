package io.keyflow.plugin.internal.oauth2;

import java.io.InputStream;
import java.util.HashSet;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PkceUnitTests {

	@Test
	void s256ChallengeWhenRfc7636VectorThenMatches() throws Exception {
		JsonNode vector;
		try (InputStream in = getClass().getResourceAsStream("/vectors/pkce-rfc7636.json")) {
			vector = new ObjectMapper().readTree(in);
		}

		assertThat(vector.get("code_challenge_method").asText()).isEqualTo("S256");
		assertThat(Pkce.s256Challenge(vector.get("code_verifier").asText()))
			.isEqualTo(vector.get("code_challenge").asText());
	}

	@Test
	void randomTokenWhenDrawnThen32BytesBase64UrlAndUnique() {
		Set<String> seen = new HashSet<>();
		for (int i = 0; i < 1000; i++) {
			String token = Pkce.randomToken();
			assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]{43}");
			seen.add(token);
		}
		assertThat(seen).hasSize(1000);
	}

}
