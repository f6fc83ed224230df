package io.keyflow.plugin.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import io.keyflow.api.KeyflowConfigurationException;
import io.keyflow.api.CredentialStore;
import io.keyflow.api.KeyflowPlugin;
import io.keyflow.plugin.CredentialRequestService;
import io.keyflow.plugin.CredentialService;
import io.keyflow.plugin.ExternalTaskCredentialService;
import io.keyflow.plugin.KeyflowAudit;
import io.keyflow.plugin.KeyflowEngine;
import io.keyflow.plugin.KeyflowMeters;
import io.keyflow.plugin.actuate.KeyflowHealthIndicator;
import io.keyflow.plugin.KeyflowProcessEnginePlugin;
import io.keyflow.plugin.OAuth2ConnectionService;
import io.keyflow.plugin.OAuth2ProviderRegistry;
import io.keyflow.plugin.ProcessPrincipalService;
import io.keyflow.api.KeyringSource;

import org.camunda.bpm.spring.boot.starter.CamundaBpmAutoConfiguration;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Plugs Keyflow into the Camunda Spring Boot starter: the engine plugin is a {@code ProcessEnginePlugin}
 * bean, which the starter adds to the engine.
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class, before = CamundaBpmAutoConfiguration.class)
@ConditionalOnProperty(prefix = "keyflow", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(KeyflowProperties.class)
public class KeyflowAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "keyflowClock")
	Clock keyflowClock() {
		return Clock.systemUTC();
	}

	@Bean
	@ConditionalOnMissingBean
	KeyflowEngine keyflowEngine(DataSource dataSource, KeyflowProperties properties,
			@Qualifier("keyflowClock") Clock clock, ObjectProvider<KeyflowPlugin> plugins,
			ObjectProvider<CredentialStore> stores, ObjectProvider<KeyringSource> keyringSource,
			ListableBeanFactory beanFactory) {
		KeyringSource source = keyringSource.getIfAvailable();
		return KeyflowEngine.builder(dataSource)
			.encryptionKey(properties.getEncryption().getKey())
			.managedKeyringSource(source)
			.stores(stores.orderedStream().toList())
			.storeOrder(properties.getStores())
			.clock(clock)
			.publicUrl(properties.getPublicUrl())
			.principalVariable(properties.getPrincipalVariable())
			.principalVariableWithoutAuthentication(
					properties.getPrincipal().getWithoutAuthentication() == KeyflowProperties.WithoutAuthentication.START_VARIABLE)
			.resolutionCacheTtl(properties.getResolutionCacheTtl())
			.resolutionCacheMaxEntries(properties.getResolutionCacheMaxEntries())
			.requireAllowedProcesses(properties.getPolicy().isRequireAllowedProcesses())
			.sealedByDefault(properties.getPolicy().isSealedByDefault())
			.plugins(plugins.orderedStream().toList())
			.beanTypes((name) -> beanFactory.containsBean(name) ? beanFactory.getType(name) : null)
			.schemaUpdate(properties.getDatabase().isSchemaUpdate())
			.redirectUri(properties.getOauth2().getRedirectUri())
			.refreshMargin(properties.getOauth2().getRefreshMargin())
			.flowTtl(properties.getOauth2().getFlowTtl())
			.oauth2Clients(oauth2Clients(properties))
			.recordUse(properties.getAudit().isRecordUse())
			.resolutionPercentiles(properties.getMetrics().getResolutionPercentiles())
			.credentialCountTtl(properties.getMetrics().getCredentialCountTtl())
			.build();
	}

	private static Map<String, Map.Entry<String, String>> oauth2Clients(KeyflowProperties properties) {
		Map<String, Map.Entry<String, String>> clients = new LinkedHashMap<>();
		properties.getOauth2().getClients().forEach((provider, client) -> {
			if (client.getClientId() == null || client.getClientId().isBlank()) {
				throw new KeyflowConfigurationException("keyflow.oauth2.clients." + provider + ".client-id",
						"keyflow.oauth2.clients." + provider + ".client-id is not set");
			}
			clients.put(provider, new AbstractMap.SimpleImmutableEntry<>(client.getClientId(), client.getClientSecret()));
		});
		return clients;
	}

	@Bean
	KeyflowProcessEnginePlugin keyflowProcessEnginePlugin(KeyflowEngine keyflow) {
		return keyflow.processEnginePlugin();
	}

	@Bean
	CredentialService keyflowCredentialService(KeyflowEngine keyflow) {
		return keyflow.credentialService();
	}

	@Bean
	OAuth2ConnectionService keyflowOAuth2Connections(KeyflowEngine keyflow) {
		return keyflow.oauth2Connections();
	}

	@Bean
	OAuth2ProviderRegistry keyflowOAuth2Providers(KeyflowEngine keyflow) {
		return keyflow.providers();
	}

	@Bean
	CredentialRequestService keyflowCredentialRequests(KeyflowEngine keyflow) {
		return keyflow.credentialRequests();
	}

	@Bean
	ProcessPrincipalService keyflowProcessPrincipals(KeyflowEngine keyflow) {
		return keyflow.processPrincipals();
	}

	@Bean
	ExternalTaskCredentialService keyflowExternalTaskCredentials(KeyflowEngine keyflow) {
		return keyflow.externalTaskCredentials();
	}

	@Bean
	KeyflowAudit keyflowAudit(KeyflowEngine keyflow) {
		return keyflow.audit();
	}

	/** Deletes the principal records of process instances whose history the engine has removed. */
	@Bean
	KeyflowJob keyflowPrincipalCleanup(ProcessPrincipalService principals, KeyflowProperties properties) {
		return new KeyflowJob("keyflow-principal-cleanup", properties.getPrincipal().getCleanupInterval(),
				principals::removeOrphans,
				"KEYFLOW-E013 Could not remove principal records of removed process instances", false);
	}

	/** Writes the uses counted in memory, and once more at shutdown. */
	@Bean
	KeyflowJob keyflowUsageFlush(KeyflowEngine keyflow, KeyflowProperties properties) {
		// PT0S: at shutdown only
		return new KeyflowJob("keyflow-usage-flush", properties.getUsage().getFlushInterval(), keyflow::flushUsage,
				"KEYFLOW-E031 Could not write the usage of credentials; retried at the next flush", true);
	}

	/** Deletes audit events older than keyflow.audit.retention, when it is set. */
	@Bean
	KeyflowJob keyflowAuditRetention(KeyflowAudit audit, KeyflowProperties properties) {
		Duration retention = properties.getAudit().getRetention();
		if (retention != null && (retention.isNegative() || retention.isZero())) {
			throw new KeyflowConfigurationException("keyflow.audit.retention",
					"keyflow.audit.retention must be positive (e.g. P400D), or unset to keep audit events forever");
		}
		return new KeyflowJob("keyflow-audit-retention",
				(retention != null) ? properties.getAudit().getCleanupInterval() : null,
				() -> audit.deleteOlderThan(retention),
				"KEYFLOW-E032 Could not delete audit events older than keyflow.audit.retention", false);
	}

	/**
	 * Keyflow's meters, when the application has Micrometer: Spring Boot binds every {@code MeterBinder} bean to its
	 * registry.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
	static class MetricsConfiguration {

		@Bean
		KeyflowMeters keyflowMeterBinder(KeyflowEngine keyflow) {
			return new KeyflowMeters(keyflow);
		}

	}

	/**
	 * The {@code keyflow} health contributor, when the application has Spring Boot Actuator; off with
	 * {@code management.health.keyflow.enabled=false}.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
	static class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "keyflowHealthIndicator")
		@ConditionalOnProperty(prefix = "management.health.keyflow", name = "enabled", matchIfMissing = true)
		KeyflowHealthIndicator keyflowHealthIndicator(KeyflowEngine keyflow) {
			return new KeyflowHealthIndicator(keyflow);
		}

	}

}
