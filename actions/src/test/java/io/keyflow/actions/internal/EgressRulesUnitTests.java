package io.keyflow.actions.internal;

import java.net.URI;
import java.util.List;

import io.keyflow.api.EgressRefusedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The URL half of the egress rules: which URLs an allow-list entry covers, plain http, and the loopback switch.
 */
class EgressRulesUnitTests {

	private final EgressRules rules = EgressRules.of(List.of("http://127.0.0.1:9000/api", "https://internal.example.com/"), false);

	@ParameterizedTest
	@ValueSource(strings = { "http://127.0.0.1:9000/api", "http://127.0.0.1:9000/api/", "http://127.0.0.1:9000/api/me?x=1",
			"https://internal.example.com/anything", "https://INTERNAL.example.com:443/x" })
	void checkWhenUnderAnAllowedPrefixThenAnyAddress(String url) {
		assertThat(this.rules.check(URI.create(url))).isEqualTo(EgressRules.Permit.ANY);
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://127.0.0.1:9000/apis", "http://127.0.0.1:9000/", "http://127.0.0.1:9000/api/../admin",
			"http://127.0.0.1:9000/api/%2e%2e/admin", "http://127.0.0.1:9001/api/", "http://127.0.0.1:9000@evil.example/api/",
			"http://internal.example.com/x" })
	void checkWhenNotUnderAnAllowedPrefixAndPlainHttpThenRefused(String url) {
		assertThatThrownBy(() -> this.rules.check(URI.create(url))).isInstanceOf(EgressRefusedException.class)
			.hasMessageContaining("plain http is refused")
			.hasMessageContaining("keyflow.actions.allowed-urls");
	}

	@Test
	void checkWhenHttpsNotAllowListedThenPublicAddressesOnly() {
		assertThat(this.rules.check(URI.create("https://127.0.0.1:9000/api-other"))).isEqualTo(EgressRules.Permit.PUBLIC);
		assertThat(this.rules.check(URI.create("https://api.github.com/user"))).isEqualTo(EgressRules.Permit.PUBLIC);
	}

	@Test
	void checkWhenInsecureLoopbackAllowedThenLoopbackHostsOnly() {
		EgressRules loopback = EgressRules.of(List.of(), true);

		assertThat(loopback.check(URI.create("http://localhost:8080/x"))).isEqualTo(EgressRules.Permit.LOOPBACK);
		assertThat(loopback.check(URI.create("http://[::1]:8080/x"))).isEqualTo(EgressRules.Permit.LOOPBACK);
		assertThatThrownBy(() -> loopback.check(URI.create("http://10.0.0.1/"))).isInstanceOf(EgressRefusedException.class)
			.hasMessage("request to http://10.0.0.1 refused: plain http is refused; only https to public addresses is "
					+ "allowed unless the URL starts with an entry of keyflow.actions.allowed-urls; nothing was sent");
	}

	@Test
	void ofWhenEntryIsNotAUrlPrefixThenNamesTheSettingAndPosition() {
		assertThatThrownBy(() -> EgressRules.of(List.of("https://ok.example.com/", "ftp://files.example.com/"), false))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage("keyflow.actions.allowed-urls entry 2 must be an absolute http or https URL prefix such as "
					+ "http://127.0.0.1:9000/ or https://api.example.com/v1/, without user info, query or fragment");
		assertThatThrownBy(() -> EgressRules.of(List.of("http://user@127.0.0.1/"), false))
			.isInstanceOf(IllegalArgumentException.class);
	}

}
