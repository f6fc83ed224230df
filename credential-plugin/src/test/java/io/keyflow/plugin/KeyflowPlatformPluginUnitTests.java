package io.keyflow.plugin;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KeyflowPlatformPluginUnitTests {

	@Test
	void encryptionKeyWhenOnlyTheEnvironmentHasOneThenTheEnvironments() {
		KeyflowPlatformPlugin plugin = new KeyflowPlatformPlugin(Map.of("KEYFLOW_ENCRYPTION_KEY", "from-environment")::get);

		assertThat(plugin.encryptionKey()).isEqualTo("from-environment");
	}

	@Test
	void encryptionKeyWhenThePropertyIsSetThenThePropertyOverTheEnvironment() {
		KeyflowPlatformPlugin plugin = new KeyflowPlatformPlugin(Map.of("KEYFLOW_ENCRYPTION_KEY", "from-environment")::get);
		plugin.setEncryptionKey("from-xml");

		assertThat(plugin.encryptionKey()).isEqualTo("from-xml");
	}

	@Test
	void keyflowWhenTheEngineHasNotBeenBuiltThenSaysSo() {
		KeyflowPlatformPlugin plugin = new KeyflowPlatformPlugin(Map.<String, String>of()::get);

		org.assertj.core.api.Assertions.assertThatIllegalStateException().isThrownBy(plugin::keyflow)
			.withMessage("Keyflow is built when the process engine is; this engine has not been");
	}

}
