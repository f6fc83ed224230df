package io.keyflow.plugin.internal.engine;

import java.util.Map;
import java.util.Set;

import io.keyflow.api.CredentialRequirement;
import io.keyflow.api.CredentialType;
import io.keyflow.api.InvalidCredentialException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequirementPropertiesUnitTests {

	@Test
	void readWhenNoCredentialPropertyThenNull() {
		assertThat(RequirementProperties.read(Map.of("other", "x"))).isNull();
	}

	@Test
	void readWhenEveryCredentialPropertyBlankThenNull() {
		assertThat(RequirementProperties.read(Map.of("credential.key", "", "credential.provider", " "))).isNull();
	}

	@Test
	void readWhenOAuth2ProviderThenOAuth2OnlyAndRequiredByDefault() {
		CredentialRequirement requirement = RequirementProperties
			.read(Map.of("credential.oauth2Provider", "slack", "credential.scopes", "chat:write, channels:read"))
			.applyTo(null);

		assertThat(requirement.provider()).isEqualTo("slack");
		assertThat(requirement.required()).isTrue();
		assertThat(requirement.acceptedTypes()).containsExactly(CredentialType.OAUTH2);
		assertThat(requirement.scopes()).containsExactly("chat:write", "channels:read");
	}

	@Test
	void applyToWhenAnnotationThenPropertiesOverrideOnlyWhatTheySet() {
		CredentialRequirement annotated = new CredentialRequirement("github", true, Set.of("repo"),
				Set.of(CredentialType.OAUTH2), null);

		CredentialRequirement merged = RequirementProperties
			.read(Map.of("credential.required", "false", "credential.key", "${tenantKey}"))
			.applyTo(annotated);

		assertThat(merged).isEqualTo(new CredentialRequirement("github", false, Set.of("repo"),
				Set.of(CredentialType.OAUTH2), "${tenantKey}"));
	}

	@Test
	void readWhenUnknownPropertyThenInvalidNamingIt() {
		assertThatThrownBy(() -> RequirementProperties.read(Map.of("credential.scope", "repo")))
			.isInstanceOf(InvalidCredentialException.class)
			.hasMessageStartingWith("unknown property 'credential.scope'; expected one of credential.description, credential.fallback, credential.key,");
	}

	@Test
	void readWhenRequiredNotBooleanThenInvalid() {
		assertThatThrownBy(() -> RequirementProperties.read(Map.of("credential.provider", "x", "credential.required", "yes")))
			.isInstanceOf(InvalidCredentialException.class)
			.hasMessage("credential.required must be true or false");
	}

	@Test
	void applyToWhenNeitherProviderNorKeyThenInvalid() {
		assertThatThrownBy(() -> RequirementProperties.read(Map.of("credential.required", "true")).applyTo(null))
			.isInstanceOf(InvalidCredentialException.class)
			.hasMessage("a credential requirement needs a provider or a key");
	}

	@Test
	void readWhenFallbackDeclaredThenItOverridesTheAnnotationAndDefaultsToNone() {
		CredentialRequirement annotated = new CredentialRequirement("github", true, Set.of(), Set.of(), null,
				io.keyflow.api.CredentialFallback.NONE);

		assertThat(RequirementProperties.read(Map.of("credential.fallback", "Tenant")).applyTo(annotated).fallback())
			.isEqualTo(io.keyflow.api.CredentialFallback.TENANT);
		assertThat(RequirementProperties.read(Map.of("credential.provider", "github")).applyTo(null).fallback())
			.isEqualTo(io.keyflow.api.CredentialFallback.NONE);
		assertThatThrownBy(() -> RequirementProperties.read(Map.of("credential.fallback", "anyone")))
			.isInstanceOf(InvalidCredentialException.class)
			.hasMessage("credential.fallback must be 'none' (the default) or 'tenant'");
	}

}
