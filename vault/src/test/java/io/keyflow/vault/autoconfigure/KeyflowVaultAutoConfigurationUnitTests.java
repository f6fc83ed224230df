package io.keyflow.vault.autoconfigure;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.keyflow.api.KeyringSource;
import io.keyflow.vault.TransitKeyringSource;
import io.keyflow.vault.VaultKvCredentialStore;
import io.keyflow.vault.actuate.KeyflowVaultHealthIndicator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the Vault auto-configuration switches on, and which beans it offers. Building the beans sends no
 * request (spring-vault logs in lazily), so no Vault is needed.
 */
class KeyflowVaultAutoConfigurationUnitTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KeyflowVaultAutoConfiguration.class))
		.withBean(javax.sql.DataSource.class, () -> new org.springframework.jdbc.datasource.SimpleDriverDataSource());

	@Test
	void contextWhenNeitherEnabledNorAddressThenNoVaultBeans() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(KeyflowVaultClient.class)
			.doesNotHaveBean(VaultKvCredentialStore.class));
	}

	@Test
	void contextWhenAddressSetThenKvStoreAndHealthButNoKeyringSource() {
		this.runner.withPropertyValues("keyflow.vault.address=http://127.0.0.1:8200",
				"keyflow.vault.authentication.token=t")
			.run((context) -> assertThat(context).hasSingleBean(VaultKvCredentialStore.class)
				.hasSingleBean(KeyflowVaultHealthIndicator.class)
				.doesNotHaveBean(KeyringSource.class));
	}

	@Test
	void contextWhenAddressSetButDisabledThenNoVaultBeans() {
		this.runner.withPropertyValues("keyflow.vault.address=http://127.0.0.1:8200", "keyflow.vault.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(KeyflowVaultClient.class));
	}

	@Test
	void contextWhenTransitEnabledAndKvDisabledThenKeyringSourceOnly() {
		this.runner.withPropertyValues("keyflow.vault.enabled=true", "keyflow.vault.address=http://127.0.0.1:8200",
				"keyflow.vault.authentication.token=t", "keyflow.vault.transit.enabled=true",
				"keyflow.vault.kv.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(TransitKeyringSource.class)
				.hasSingleBean(KeyringSource.class)
				.doesNotHaveBean(VaultKvCredentialStore.class));
	}

	@Test
	void contextWhenEnabledWithoutAddressThenStartupFailsClearly() {
		this.runner.withPropertyValues("keyflow.vault.enabled=true")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageStartingWith("keyflow.vault is enabled but keyflow.vault.address is not set"));
	}

}
