package io.keyflow.plugin.internal.principal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class PrincipalIdsUnitTests {

	@ParameterizedTest
	@ValueSource(strings = { "alice", "a", "Älice Müller", "alice@example.com", "DOMAIN\\alice", "user with spaces" })
	void validWhenPrintableThenAccepted(String principalId) {
		assertThat(PrincipalIds.valid(principalId)).isTrue();
	}

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { " ", "\t", "alice\nmallory", "alice\r", "a\u0000b", "a\u007Fb", "a\u001Bb" })
	void validWhenBlankOrHoldingAControlCharacterThenRefused(String principalId) {
		assertThat(PrincipalIds.valid(principalId)).isFalse();
	}

	@ParameterizedTest
	@ValueSource(ints = { 255, 256 })
	void validWhenLongThenAcceptedUpTo255Characters(int length) {
		assertThat(PrincipalIds.valid("a".repeat(length))).isEqualTo(length <= 255);
	}

}
