package io.keyflow.plugin.autoconfigure;

import java.time.Clock;

import javax.sql.DataSource;

import io.keyflow.api.CredentialStore;
import io.keyflow.api.KeyflowPlugin;
import io.keyflow.plugin.CredentialService;
import io.keyflow.plugin.KeyflowEngine;
import io.keyflow.plugin.KeyflowProcessEnginePlugin;
import io.keyflow.plugin.OAuth2ProviderRegistry;
import io.keyflow.plugin.internal.crypto.KeyringSource;

import org.camunda.bpm.spring.boot.starter.CamundaBpmAutoConfiguration;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

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
			.keyringSource((source != null) ? source::load : null)
			.stores(stores.orderedStream().toList())
			.storeOrder(properties.getStores())
			.clock(clock)
			.principalVariable(properties.getPrincipalVariable())
			.plugins(plugins.orderedStream().toList())
			.beanTypes((name) -> beanFactory.containsBean(name) ? beanFactory.getType(name) : null)
			.schemaUpdate(properties.getDatabase().isSchemaUpdate())
			.build();
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
	OAuth2ProviderRegistry keyflowOAuth2Providers(KeyflowEngine keyflow) {
		return keyflow.providers();
	}

}
