package io.keyflow.vault.autoconfigure;

import java.time.Clock;

import javax.sql.DataSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.keyflow.vault.internal.VaultRequestCounts;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

import io.keyflow.plugin.autoconfigure.KeyflowAutoConfiguration;
import io.keyflow.plugin.autoconfigure.KeyflowProperties;
import io.keyflow.vault.TransitKeyringSource;
import io.keyflow.vault.VaultKvCredentialStore;
import io.keyflow.vault.actuate.KeyflowVaultHealthIndicator;
import io.keyflow.vault.autoconfigure.KeyflowVaultProperties.Kv;

/**
 * HashiCorp Vault for Keyflow, on when {@code keyflow.vault.enabled=true} or {@code keyflow.vault.address} is
 * set: the {@code vault-kv} {@link io.keyflow.api.CredentialStore} bean (unless
 * {@code keyflow.vault.kv.enabled=false}), which Keyflow asks in the order of {@code keyflow.stores}; with
 * {@code keyflow.vault.transit.enabled=true} the {@link io.keyflow.plugin.internal.crypto.KeyringSource} bean,
 * which replaces {@code KEYFLOW_ENCRYPTION_KEY}; and with Actuator on the class path a health indicator
 * ({@code keyflowVault}).
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class, before = KeyflowAutoConfiguration.class)
@Conditional(OnKeyflowVaultCondition.class)
@EnableConfigurationProperties(KeyflowVaultProperties.class)
public class KeyflowVaultAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	KeyflowVaultClient keyflowVaultClient(KeyflowVaultProperties properties) {
		return new KeyflowVaultClient(properties);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnProperty(prefix = "keyflow.vault.kv", name = "enabled", havingValue = "true", matchIfMissing = true)
	VaultKvCredentialStore keyflowVaultKvCredentialStore(KeyflowVaultClient client, KeyflowVaultProperties properties,
			@Qualifier("keyflowClock") ObjectProvider<Clock> clock) {
		Kv kv = properties.getKv();
		return VaultKvCredentialStore.builder(client.operations())
			.mount(kv.getMount())
			.prefix(kv.getPrefix())
			.defaultTenantFolder(kv.getDefaultTenantFolder())
			.cacheTtl(kv.getCacheTtl())
			.staleIfError(kv.getStaleIfError())
			.principalScan(kv.isPrincipalScan())
			.clock(clock.getIfAvailable(Clock::systemUTC))
			.build();
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnProperty(prefix = "keyflow.vault.transit", name = "enabled", havingValue = "true")
	TransitKeyringSource keyflowTransitKeyringSource(KeyflowVaultClient client, KeyflowVaultProperties properties,
			DataSource dataSource, ObjectProvider<KeyflowProperties> keyflow,
			@Qualifier("keyflowClock") ObjectProvider<Clock> clock) {
		KeyflowProperties keyflowProperties = keyflow.getIfAvailable();
		return TransitKeyringSource.builder(client.operations(), dataSource)
			.mount(properties.getTransit().getMount())
			.keyName(properties.getTransit().getKey())
			.schemaUpdate(keyflowProperties == null || keyflowProperties.getDatabase().isSchemaUpdate())
			.clock(clock.getIfAvailable(Clock::systemUTC))
			.build();
	}

	/**
	 * Registered only when Actuator is on the class path; off with
	 * {@code management.health.keyflow-vault.enabled=false}.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HealthIndicator.class)
	static class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "keyflowVaultHealthIndicator")
		@ConditionalOnProperty(prefix = "management.health.keyflow-vault", name = "enabled", matchIfMissing = true)
		KeyflowVaultHealthIndicator keyflowVaultHealthIndicator(KeyflowVaultClient client,
				ObjectProvider<TransitKeyringSource> transit) {
			return new KeyflowVaultHealthIndicator(client.operations(), transit.getIfAvailable());
		}

	}

	/**
	 * The {@code keyflow.vault.requests} meter (tag {@code outcome}), when the application has Micrometer.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
	static class MetricsConfiguration {

		@Bean
		MeterBinder keyflowVaultMeterBinder(KeyflowVaultClient client) {
			return (registry) -> {
				for (String outcome : VaultRequestCounts.OUTCOMES) {
					FunctionCounter.builder("keyflow.vault.requests", client, (vault) -> vault.requests(outcome))
						.description("Requests to HashiCorp Vault by outcome")
						.tag("outcome", outcome)
						.register(registry);
				}
			};
		}

	}

}
