package io.keyflow.plugin.autoconfigure;

import io.keyflow.api.KeyConfigurationException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an unusable encryption key into Spring Boot's "APPLICATION FAILED TO START" report, with the fix,
 * instead of a long stack trace.
 */
class KeyConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<KeyConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, KeyConfigurationException cause) {
		return new FailureAnalysis("Keyflow cannot use its encryption key: " + cause.getMessage(),
				"Set KEYFLOW_ENCRYPTION_KEY to the base64 key (or keys, new first, comma-separated) that encrypted "
						+ "the stored credentials. A new installation can generate one with "
						+ "`mvn -q -pl credential-plugin -am compile exec:java -Dgenerate-key` or `openssl rand -base64 32`.",
				cause);
	}

}
