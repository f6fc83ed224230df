package io.keyflow.rest.internal;

import org.junit.jupiter.api.Test;

import io.keyflow.api.CredentialChangedException;
import io.keyflow.api.CredentialConflictException;
import io.keyflow.api.KeyflowConfigurationException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which problem a Keyflow exception becomes.
 */
class ProblemUnitTests {

	@Test
	void ofWhenRedirectUriMissingThen503NamingTheProperty() {
		Problem problem = Problem.of(new KeyflowConfigurationException("keyflow.oauth2.redirect-uri",
				"keyflow.oauth2.redirect-uri is not set"));

		assertThat(problem.status().value()).isEqualTo(503);
		assertThat(problem.code()).isEqualTo(ErrorCode.REDIRECT_URI_MISSING);
		assertThat(problem.field()).isEqualTo("keyflow.oauth2.redirect-uri");
		assertThat(problem.detail()).isEqualTo("keyflow.oauth2.redirect-uri is not set");
	}

	@Test
	void ofWhenAnotherPropertyMissingThenInternalError() {
		assertThat(Problem.of(new KeyflowConfigurationException("keyflow.stores", "no such store")).code())
			.isEqualTo(ErrorCode.INTERNAL_ERROR);
	}

	@Test
	void ofWhenCredentialChangedThen412AndAPlainConflictStays409() {
		assertThat(Problem.of(new CredentialChangedException("changed")).status().value()).isEqualTo(412);
		assertThat(Problem.of(new CredentialChangedException("changed")).code())
			.isEqualTo(ErrorCode.PRECONDITION_FAILED);
		assertThat(Problem.of(new CredentialConflictException("taken")).status().value()).isEqualTo(409);
	}

}
