package io.keyflow.plugin.autoconfigure;

import io.keyflow.api.KeyConfigurationException;
import io.keyflow.api.KeyflowConfigurationException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;

class KeyflowConfigurationFailureAnalyzerUnitTests {

	private final KeyflowConfigurationFailureAnalyzer analyzer = new KeyflowConfigurationFailureAnalyzer();

	@Test
	void analyzeWhenEncryptionKeyUnusableThenKeyAdvice() {
		FailureAnalysis analysis = this.analyzer.analyze(new IllegalStateException("start failed",
				new KeyConfigurationException("no encryption key configured")));

		assertThat(analysis.getDescription()).isEqualTo("Keyflow cannot use its encryption key: no encryption key configured");
		assertThat(analysis.getAction()).startsWith("Set KEYFLOW_ENCRYPTION_KEY")
			.contains("java -cp keyflow-credential-plugin-<version>.jar io.keyflow.plugin.GenerateKey")
			.doesNotContain("mvn ");
	}

	@Test
	void analyzeWhenAnotherPropertyIsWrongThenThatPropertyAndNoKeyAdvice() {
		FailureAnalysis analysis = this.analyzer.analyze(new IllegalStateException("start failed",
				new KeyflowConfigurationException("keyflow.rest.admin-api-key",
						"the bootstrap admin API key (KEYFLOW_ADMIN_API_KEY) must be at least 32 characters")));

		assertThat(analysis.getDescription()).isEqualTo("Keyflow is not configured correctly: the bootstrap admin API "
				+ "key (KEYFLOW_ADMIN_API_KEY) must be at least 32 characters");
		assertThat(analysis.getAction()).startsWith("Set keyflow.rest.admin-api-key as described above")
			.doesNotContain("KEYFLOW_ENCRYPTION_KEY");
	}

}
