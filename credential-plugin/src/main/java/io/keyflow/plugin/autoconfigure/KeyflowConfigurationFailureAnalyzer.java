package io.keyflow.plugin.autoconfigure;

import io.keyflow.api.KeyConfigurationException;
import io.keyflow.api.KeyflowConfigurationException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a Keyflow configuration problem into Spring Boot's "APPLICATION FAILED TO START" report, with the fix
 * that fits the cause, instead of a long stack trace: an unusable encryption key gets the key advice, anything
 * else the property to set.
 */
class KeyflowConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<KeyflowConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, KeyflowConfigurationException cause) {
		if (cause instanceof KeyConfigurationException) {
			return new FailureAnalysis("Keyflow cannot use its encryption key: " + cause.getMessage(),
					"Set KEYFLOW_ENCRYPTION_KEY to the base64 key (or keys, new first, comma-separated) that encrypted "
							+ "the stored credentials. A new installation can generate one with "
							+ "`openssl rand -base64 32` or `java -cp keyflow-credential-plugin-<version>.jar io.keyflow.plugin.GenerateKey` "
							+ "(the jar is in your application's libraries, e.g. BOOT-INF/lib/ of its jar, or in ~/.m2/repository/io/keyflow/).",
					cause);
		}
		return new FailureAnalysis("Keyflow is not configured correctly: " + cause.getMessage(),
				"Set " + cause.getProperty() + " as described above (every keyflow.* property is listed in the "
						+ "configuration reference, docs/configuration.md).",
				cause);
	}

}
