package io.keyflow.plugin;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import javax.sql.DataSource;

import io.keyflow.api.KeyflowPlugin;
import io.keyflow.plugin.internal.KeyflowLog;
import io.keyflow.plugin.internal.PluginInitializer;
import io.keyflow.plugin.internal.crypto.AesGcmSecretCipher;
import io.keyflow.plugin.internal.crypto.Keyring;
import io.keyflow.plugin.internal.engine.CredentialParseListener;
import io.keyflow.plugin.internal.oauth2.ProviderCatalogue;
import io.keyflow.plugin.internal.resolve.CredentialResolver;
import io.keyflow.plugin.internal.resolve.TokenRefresher;
import io.keyflow.plugin.internal.store.CompositeCredentialStore;
import io.keyflow.plugin.internal.store.JdbcCredentialStore;
import io.keyflow.plugin.internal.store.KeyflowSchema;

/**
 * Keyflow assembled on one {@link DataSource}: the encrypted local store, the provider registry, the
 * resolver and the engine plugin. Spring Boot builds it from {@code keyflow.*} properties; other hosts (and
 * the benchmarks) build it with {@link #builder(DataSource)}.
 * <p>
 * Building it creates Keyflow's tables when missing and checks the encryption key against the stored data,
 * so a wrong key stops the application at start-up rather than at the first task.
 */
public final class KeyflowEngine {

	private final KeyflowProcessEnginePlugin processEnginePlugin;

	private final CredentialService credentialService;

	private final OAuth2ProviderRegistry providers;

	private final CompositeCredentialStore store;

	private final JdbcCredentialStore localStore;

	private KeyflowEngine(Builder builder) {
		Keyring keyring = Keyring.parse(builder.encryptionKey);
		KeyflowLog.keyringLoaded(keyring.toString());
		if (builder.schemaUpdate) {
			new KeyflowSchema(builder.dataSource).createIfMissing();
		}
		this.localStore = new JdbcCredentialStore(builder.dataSource, new AesGcmSecretCipher(keyring), builder.clock);
		this.localStore.verifyKeys(keyring);
		this.store = new CompositeCredentialStore(List.of(this.localStore));
		this.providers = new OAuth2ProviderRegistry(ProviderCatalogue.loadBuiltIn().providers());
		PluginInitializer plugins = new PluginInitializer(builder.plugins, this.providers, this.store);
		CredentialResolver resolver = new CredentialResolver(this.store, builder.tokenRefresher);
		CredentialParseListener parseListener = new CredentialParseListener(resolver, builder.principalVariable,
				this.providers::contains, builder.beanTypes);
		this.processEnginePlugin = new KeyflowProcessEnginePlugin(plugins, parseListener);
		this.credentialService = new CredentialService(this.localStore, builder.clock);
	}

	/**
	 * @param dataSource the engine's data source; Keyflow's tables live beside Camunda's
	 * @return a builder
	 */
	public static Builder builder(DataSource dataSource) {
		return new Builder(dataSource);
	}

	/** @return the plugin to add to the process engine configuration */
	public KeyflowProcessEnginePlugin processEnginePlugin() {
		return this.processEnginePlugin;
	}

	/** @return the Java service to create, list, get and delete credentials */
	public CredentialService credentialService() {
		return this.credentialService;
	}

	/** @return the OAuth2 providers */
	public OAuth2ProviderRegistry providers() {
		return this.providers;
	}

	/** @return every store, in lookup order, as one */
	public CompositeCredentialStore store() {
		return this.store;
	}

	/** @return Keyflow's own encrypted store */
	public JdbcCredentialStore localStore() {
		return this.localStore;
	}

	/**
	 * Builds a {@link KeyflowEngine}.
	 */
	public static final class Builder {

		private final DataSource dataSource;

		private String encryptionKey;

		private Clock clock = Clock.systemUTC();

		private String principalVariable = "initiator";

		private List<KeyflowPlugin> plugins = List.of();

		private Function<String, Class<?>> beanTypes = (name) -> null;

		private boolean schemaUpdate = true;

		private TokenRefresher tokenRefresher = TokenRefresher.NONE;

		private Builder(DataSource dataSource) {
			this.dataSource = Objects.requireNonNull(dataSource, "dataSource cannot be null");
		}

		/**
		 * @param encryptionKey one or more base64 AES-256 keys, comma-separated, the primary first
		 * @return this builder
		 */
		public Builder encryptionKey(String encryptionKey) {
			this.encryptionKey = encryptionKey;
			return this;
		}

		public Builder clock(Clock clock) {
			this.clock = Objects.requireNonNull(clock, "clock cannot be null");
			return this;
		}

		public Builder principalVariable(String principalVariable) {
			this.principalVariable = Objects.requireNonNull(principalVariable, "principalVariable cannot be null");
			return this;
		}

		public Builder plugins(List<KeyflowPlugin> plugins) {
			this.plugins = List.copyOf(plugins);
			return this;
		}

		/**
		 * @param beanTypes the type of a bean by name ({@code null} when unknown), so tasks with
		 * {@code delegateExpression="${bean}"} are bound at deployment
		 * @return this builder
		 */
		public Builder beanTypes(Function<String, Class<?>> beanTypes) {
			this.beanTypes = Objects.requireNonNull(beanTypes, "beanTypes cannot be null");
			return this;
		}

		public Builder schemaUpdate(boolean schemaUpdate) {
			this.schemaUpdate = schemaUpdate;
			return this;
		}

		public Builder tokenRefresher(TokenRefresher tokenRefresher) {
			this.tokenRefresher = Objects.requireNonNull(tokenRefresher, "tokenRefresher cannot be null");
			return this;
		}

		/**
		 * @return the assembled Keyflow
		 * @throws io.keyflow.api.KeyConfigurationException if the key is missing, malformed or does not match
		 * the stored data
		 */
		public KeyflowEngine build() {
			return new KeyflowEngine(this);
		}

	}

}
