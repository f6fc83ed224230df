package io.keyflow.plugin;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.keyflow.api.KeyflowConfigurationException;
import io.keyflow.api.CredentialStore;
import io.keyflow.api.WritableCredentialStore;
import io.keyflow.api.KeyConfigurationException;
import io.keyflow.api.KeyflowPlugin;
import io.keyflow.api.KeyringSource;
import io.keyflow.plugin.internal.KeyflowLog;
import io.keyflow.plugin.internal.PluginInitializer;
import io.keyflow.plugin.internal.crypto.AesGcmSecretCipher;
import io.keyflow.plugin.internal.crypto.EncryptedTable;
import io.keyflow.api.Keyring;
import io.keyflow.plugin.internal.crypto.KeyringVerifier;
import io.keyflow.plugin.internal.engine.CredentialParseListener;
import io.keyflow.plugin.internal.engine.ExternalTaskExchange;
import io.keyflow.plugin.internal.engine.CredentialRequestRecorder;
import io.keyflow.plugin.internal.request.CredentialRequestTable;
import io.keyflow.plugin.internal.principal.Principals;
import io.keyflow.plugin.internal.oauth2.OAuth2Clients;
import io.keyflow.plugin.internal.oauth2.OAuth2Tables;
import io.keyflow.plugin.internal.oauth2.OAuth2TokenRefresher;
import io.keyflow.plugin.internal.oauth2.ProviderCatalogue;
import io.keyflow.plugin.internal.oauth2.RuntimeProviderTable;
import io.keyflow.plugin.internal.oauth2.TokenClient;
import io.keyflow.plugin.internal.metrics.DelegatingKeyflowMetrics;
import io.keyflow.plugin.internal.metrics.MicrometerKeyflowMetrics;
import io.keyflow.plugin.internal.resolve.CredentialResolver;
import io.keyflow.plugin.internal.resolve.ObservedResolutions;
import io.keyflow.plugin.internal.usage.UsageTracker;
import io.keyflow.api.TokenRefresher;
import io.keyflow.plugin.internal.store.CachingCredentialStore;
import io.keyflow.plugin.internal.store.CompositeCredentialStore;
import io.keyflow.plugin.internal.store.JdbcCredentialStore;
import io.keyflow.plugin.internal.jdbc.KeyflowJdbc;

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

	private final OAuth2ConnectionService oauth2Connections;

	private final ProcessPrincipalService processPrincipals;

	private final ExternalTaskCredentialService externalTaskCredentials;

	private final CredentialRequestService credentialRequests;

	private final Supplier<Keyring> keyrings;

	private final AesGcmSecretCipher cipher;

	private final List<EncryptedTable> encryptedTables;

	private final CredentialParseListener parseListener;

	private final KeyOperations keyOperations;

	private final KeyflowAudit audit;

	private final UsageTracker usage;

	private final DelegatingKeyflowMetrics metrics = new DelegatingKeyflowMetrics();

	private final List<Double> resolutionPercentiles;

	private final Duration credentialCountTtl;

	private final Clock clock;

	private KeyflowEngine(Builder builder) {
		if (builder.schemaUpdate) {
			new KeyflowSchema(builder.dataSource).update();
		}
		this.keyrings = keyrings(builder.keyringSource, builder.encryptionKey);
		Keyring keyring = this.keyrings.get();
		KeyflowLog.keyringLoaded(keyring.toString());
		this.cipher = new AesGcmSecretCipher(keyring);
		KeyflowJdbc db = new KeyflowJdbc(builder.dataSource);
		this.clock = builder.clock;
		this.resolutionPercentiles = builder.resolutionPercentiles;
		this.credentialCountTtl = builder.credentialCountTtl;
		this.audit = new KeyflowAudit(db, builder.clock, builder.recordUse);
		this.usage = new UsageTracker(db, builder.clock);
		this.localStore = new JdbcCredentialStore(db, this.cipher, builder.clock);
		OAuth2Tables oauth2Tables = new OAuth2Tables(db, this.cipher, builder.clock);
		this.encryptedTables = List.of(this.localStore, oauth2Tables);
		KeyringVerifier.verify(keyring, this.encryptedTables);
		this.keyOperations = new KeyOperations(db, this.encryptedTables, this.cipher::keyring, builder.keyringOperations,
				builder.clock);
		this.store = new CompositeCredentialStore(orderStores(this.localStore, builder.stores, builder.storeOrder));
		this.providers = new OAuth2ProviderRegistry(ProviderCatalogue.loadBuiltIn().providers(),
				new RuntimeProviderTable(db, builder.clock));
		PluginInitializer plugins = new PluginInitializer(builder.plugins, this.providers, this.store);
		this.credentialService = new CredentialService(this.localStore, List.of(oauth2Tables), builder.sealedByDefault);
		this.credentialService.observe(this.audit, this.usage);
		int upgraded = this.credentialService.upgradeBindings();
		if (upgraded > 0) {
			KeyflowLog.bindingsUpgraded(upgraded);
		}
		CredentialRequestTable requestTable = new CredentialRequestTable(db, builder.clock, this.audit);
		this.credentialRequests = new CredentialRequestService(requestTable, this.credentialService, db,
				builder.resolutionCacheTtl);
		OAuth2Clients oauth2Clients = new OAuth2Clients(builder.oauth2Clients, oauth2Tables);
		TokenClient tokenClient = new TokenClient(this.metrics);
		OAuth2TokenRefresher refresher = new OAuth2TokenRefresher(db, this.localStore, this.providers,
				oauth2Clients, tokenClient, builder.refreshMargin, builder.clock, builder.redirectUri, this.audit,
				this.metrics);
		this.oauth2Connections = new OAuth2ConnectionService(this.providers, this.credentialService, oauth2Tables,
				oauth2Clients, tokenClient, refresher, builder.redirectUri, builder.flowTtl, builder.clock,
				this.credentialRequests);
		CredentialStore lookups = builder.resolutionCacheTtl.isZero() ? this.store
				: new CachingCredentialStore(this.store, builder.resolutionCacheTtl, builder.resolutionCacheMaxEntries,
						builder.clock, this.localStore::writeCount, this.localStore::generation, this.metrics);
		CredentialResolver resolver = new CredentialResolver(lookups,
				(builder.tokenRefresher != null) ? builder.tokenRefresher : refresher, builder.requireAllowedProcesses,
				new ObservedResolutions(this.metrics, this.usage, this.audit));
		Principals principals = new Principals(db, builder.clock, builder.resolutionCacheTtl);
		this.processPrincipals = new ProcessPrincipalService(principals, this.audit);
		CredentialParseListener parseListener = new CredentialParseListener(resolver, builder.principalVariable,
				this.providers::contains, builder.beanTypes, principals, builder.principalVariableWithoutAuthentication,
				new CredentialRequestRecorder(requestTable, builder.publicUrl, this.localStore::list));
		this.parseListener = parseListener;
		ExternalTaskExchange externalTasks = new ExternalTaskExchange(resolver, principals, builder.principalVariable);
		this.externalTaskCredentials = new ExternalTaskCredentialService(externalTasks);
		this.processEnginePlugin = new KeyflowProcessEnginePlugin(plugins, parseListener, externalTasks,
				this.credentialRequests::useEngine);
	}

	/**
	 * The keyring comes from the configured key, or from a keyring source (Vault transit); with both, the
	 * configured keys stay readable behind the source's keys, so existing credentials can be re-encrypted
	 * under the source's primary key.
	 */
	private static Supplier<Keyring> keyrings(Supplier<Keyring> source, String encryptionKey) {
		if (source == null) {
			return () -> Keyring.parse(encryptionKey);
		}
		if (encryptionKey == null || encryptionKey.isBlank()) {
			return source;
		}
		return () -> source.get().withDecryptOnly(Keyring.parse(encryptionKey));
	}

	/**
	 * Orders stores by name as configured; stores not named come after the named ones, in the given order.
	 */
	private static List<CredentialStore> orderStores(CredentialStore local, List<CredentialStore> extra,
			List<String> order) {
		List<CredentialStore> all = new ArrayList<>();
		all.add(local);
		all.addAll(extra);
		List<CredentialStore> ordered = new ArrayList<>();
		for (String name : order) {
			CredentialStore store = all.stream()
				.filter((candidate) -> candidate.name().equals(name))
				.findFirst()
				.orElseThrow(() -> new KeyflowConfigurationException("keyflow.stores", "keyflow.stores names '" + name
						+ "', but no such store is configured; known stores: "
						+ all.stream().map(CredentialStore::name).toList()));
			if (!ordered.contains(store)) {
				ordered.add(store);
			}
		}
		all.stream().filter((store) -> !ordered.contains(store)).forEach(ordered::add);
		return ordered;
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

	/** @return the Java service to connect OAuth2 accounts, store tokens and refresh them */
	public OAuth2ConnectionService oauth2Connections() {
		return this.oauth2Connections;
	}

	/** @return the principals of process instances: read one, or reassign it (an audited administrator's act) */
	public ProcessPrincipalService processPrincipals() {
		return this.processPrincipals;
	}

	/**
	 * @return the tasks whose credential is chosen by the process's principal (they declare a provider and no
	 * explicit key), as {@code processDefinitionKey/activityId}, among the process definitions the engine has
	 * parsed so far: at deployment, and after a restart when a definition is first used or fetched with
	 * {@code RepositoryService#getProcessDefinition}
	 */
	public Set<String> perUserTasks() {
		return this.parseListener.perUserTasks();
	}

	/**
	 * @return the exchange of an external task's credential for the worker holding the task; usable once the process
	 * engine with {@link #processEnginePlugin()} is built
	 */
	public ExternalTaskCredentialService externalTaskCredentials() {
		return this.externalTaskCredentials;
	}

	/** @return credential requests: what tasks wanted and could not get; fulfil or reject them */
	public CredentialRequestService credentialRequests() {
		return this.credentialRequests;
	}

	/** @return the OAuth2 providers */
	public OAuth2ProviderRegistry providers() {
		return this.providers;
	}

	/**
	 * @return every store, in lookup order, as one: reads ask each store in turn; writes go to the local store,
	 * and a credential of a read-only store is refused with the place where it is managed
	 */
	public WritableCredentialStore store() {
		return this.store;
	}

	/** @return the stores in lookup order ({@code keyflow.stores}) */
	public List<CredentialStore> stores() {
		return this.store.stores();
	}

	/** @return Keyflow's own encrypted store */
	public WritableCredentialStore localStore() {
		return this.localStore;
	}

	/**
	 * @return the ids of the keys that Keyflow's encrypted rows use; after a re-encryption, only the primary's
	 */
	public Set<String> keyIdsInUse() {
		Set<String> ids = new TreeSet<>();
		this.encryptedTables.forEach((table) -> ids.addAll(table.storedKeyIds()));
		return ids;
	}

	/**
	 * @return the key operations: which key encrypts what, and re-encryption (or a keyring rewrap) in the background
	 * on one node
	 */
	public KeyOperations keyOperations() {
		return this.keyOperations;
	}

	/**
	 * @return the audit trail: every change, refresh, re-encryption run and (with {@code keyflow.audit.record-use})
	 * every use; what other modules record their own events through
	 */
	public KeyflowAudit audit() {
		return this.audit;
	}

	/**
	 * Writes the uses of credentials counted in memory since the last flush to {@code KEYFLOW_CREDENTIAL_USAGE}.
	 * Spring Boot runs this every {@code keyflow.usage.flush-interval} and at shutdown; other hosts call it.
	 * @return how many credentials' usage rows were written
	 */
	public int flushUsage() {
		return this.usage.flush();
	}

	/**
	 * What {@link KeyflowMeters} does: no Micrometer type in this class's signatures, so that a host without
	 * Micrometer can introspect it.
	 * @param meterRegistry an {@code io.micrometer.core.instrument.MeterRegistry}
	 */
	void bindMetrics(Object meterRegistry) {
		Objects.requireNonNull(meterRegistry, "meterRegistry cannot be null");
		this.metrics.use(MicrometerKeyflowMetrics.create(meterRegistry, this.resolutionPercentiles, this.clock,
				this.credentialCountTtl, this.localStore::countByStatus));
	}

	/** @return the id of the key new ciphertexts are made with */
	public String primaryKeyId() {
		return this.cipher.primaryKeyId();
	}

	/** @return the ids of the keys in the keyring in use, the primary first */
	public List<String> keyIds() {
		return this.cipher.keyIds();
	}

	/** @return how many local credentials each key id encrypts (one query) */
	public Map<String, Long> credentialsByKeyId() {
		return this.localStore.countByKeyId();
	}

	/**
	 * Checks that the keyring in use holds every key that Keyflow's encrypted rows use (reads key ids only).
	 * @throws KeyConfigurationException naming the missing key ids
	 */
	public void verifyKeyring() {
		KeyringVerifier.verify(this.cipher.keyIds(), this.encryptedTables);
	}

	/**
	 * Loads the keyring again from its source and uses it from now on, without a restart: the step between
	 * adding a new primary key (e.g. a new data key wrapped by HashiCorp Vault transit) and
	 * {@link CredentialService#reEncryptAll()}. The new keyring must still hold every key a stored credential
	 * uses; if it does not, the current keyring stays in use.
	 * @return the keyring now in use
	 * @throws KeyConfigurationException if the source fails or lacks a key that stored credentials use
	 */
	public Keyring reloadKeyring() {
		Keyring keyring = this.keyrings.get();
		KeyringVerifier.verify(keyring, this.encryptedTables);
		this.cipher.useKeyring(keyring);
		KeyflowLog.keyringLoaded(keyring.toString());
		return keyring;
	}

	/**
	 * Builds a {@link KeyflowEngine}.
	 */
	public static final class Builder {

		private final DataSource dataSource;

		private String encryptionKey;

		private Clock clock = Clock.systemUTC();

		private String principalVariable = "initiator";

		private boolean principalVariableWithoutAuthentication = true;

		private boolean requireAllowedProcesses;

		private boolean sealedByDefault;

		private List<KeyflowPlugin> plugins = List.of();

		private Function<String, Class<?>> beanTypes = (name) -> null;

		private boolean schemaUpdate = true;

		private TokenRefresher tokenRefresher;

		private URI redirectUri;

		private Duration refreshMargin = Duration.ofMinutes(5);

		private Duration flowTtl = Duration.ofMinutes(10);

		private Map<String, OAuth2Clients.Client> oauth2Clients = Map.of();

		private Supplier<Keyring> keyringSource;

		private KeyringSource keyringOperations;

		private Duration resolutionCacheTtl = Duration.ofSeconds(5);

		private int resolutionCacheMaxEntries = CachingCredentialStore.DEFAULT_MAX_ENTRIES;

		private List<CredentialStore> stores = List.of();

		private List<String> storeOrder = List.of();

		private String publicUrl;

		private boolean recordUse;

		private List<Double> resolutionPercentiles = List.of();

		private Duration credentialCountTtl = Duration.ofSeconds(30);

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

		/**
		 * @param keyringSource where the local store's keys come from instead of {@link #encryptionKey}, e.g.
		 * data keys unwrapped by HashiCorp Vault transit; called once, after the schema is ready
		 * @return this builder
		 */
		public Builder keyringSource(Supplier<Keyring> keyringSource) {
			this.keyringSource = keyringSource;
			return this;
		}

		/**
		 * @param keyringSource where the local store's keys come from instead of {@link #encryptionKey}; besides
		 * loading them, its key descriptions and rewrap serve {@link KeyflowEngine#keyOperations()}
		 * @return this builder
		 */
		public Builder managedKeyringSource(KeyringSource keyringSource) {
			this.keyringSource = (keyringSource != null) ? keyringSource::load : null;
			this.keyringOperations = keyringSource;
			return this;
		}

		/**
		 * @param stores further credential stores (e.g. HashiCorp Vault KV), asked after the local store
		 * unless {@link #storeOrder} says otherwise
		 * @return this builder
		 */
		public Builder stores(List<? extends CredentialStore> stores) {
			this.stores = List.copyOf(stores);
			return this;
		}

		/**
		 * @param storeOrder store names in lookup order, e.g. {@code [vault-kv, local]}; unnamed stores follow
		 * @return this builder
		 */
		public Builder storeOrder(List<String> storeOrder) {
			this.storeOrder = List.copyOf(storeOrder);
			return this;
		}

		/**
		 * @param ttl how often a node checks whether another node changed a credential, so other nodes' writes are
		 * seen within it (a write on this node at once); a lookup answered by the local store is kept until a
		 * credential changes (at most 10 minutes), one answered by another store (Vault KV) for the TTL;
		 * {@link Duration#ZERO} turns the cache off
		 * @return this builder
		 */
		public Builder resolutionCacheTtl(Duration ttl) {
			Objects.requireNonNull(ttl, "resolutionCacheTtl cannot be null");
			if (ttl.isNegative()) {
				throw new IllegalArgumentException("resolutionCacheTtl cannot be negative");
			}
			this.resolutionCacheTtl = ttl;
			return this;
		}

		/**
		 * @param maxEntries how many lookups the cache keeps at most (default 50,000); past that it evicts the least
		 * used ones
		 * @return this builder
		 */
		public Builder resolutionCacheMaxEntries(int maxEntries) {
			if (maxEntries < 1) {
				throw new IllegalArgumentException("resolutionCacheMaxEntries must be positive");
			}
			this.resolutionCacheMaxEntries = maxEntries;
			return this;
		}

		/**
		 * @param publicUrl where users reach this application ({@code keyflow.public-url}, e.g.
		 * {@code https://camunda.example.com}); a failed task's incident then links to the credential request to
		 * fulfil, else it names the request id only
		 * @return this builder
		 */
		public Builder publicUrl(String publicUrl) {
			this.publicUrl = (publicUrl == null || publicUrl.isBlank()) ? null : publicUrl.strip();
			return this;
		}

		public Builder clock(Clock clock) {
			this.clock = Objects.requireNonNull(clock, "clock cannot be null");
			return this;
		}

		/**
		 * A root process instance started by a user authenticated with the engine always has that user as its
		 * principal. This says what a process started without one gets.
		 * @param principalVariableWithoutAuthentication {@code true} (the default): the principal variable as
		 * the starting code gave it; {@code false}: no principal
		 * @return this builder
		 */
		public Builder principalVariableWithoutAuthentication(boolean principalVariableWithoutAuthentication) {
			this.principalVariableWithoutAuthentication = principalVariableWithoutAuthentication;
			return this;
		}

		/**
		 * @param requireAllowedProcesses whether a keyed or tenant-default credential must name the processes that
		 * may use it (strict installations; {@code keyflow.policy.require-allowed-processes})
		 * @return this builder
		 */
		public Builder requireAllowedProcesses(boolean requireAllowedProcesses) {
			this.requireAllowedProcesses = requireAllowedProcesses;
			return this;
		}

		/**
		 * @param sealedByDefault whether a new credential whose draft does not say otherwise is sealed
		 * ({@code keyflow.policy.sealed-by-default})
		 * @return this builder
		 */
		public Builder sealedByDefault(boolean sealedByDefault) {
			this.sealedByDefault = sealedByDefault;
			return this;
		}

		/**
		 * @param principalVariable the variable trusted code may set at an unauthenticated start to name the
		 * principal (default {@code initiator}); read once at the root instance's start, never afterwards
		 * @return this builder
		 */
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

		/**
		 * @param redirectUri the OAuth2 redirect URI registered with the providers ({@code keyflow.oauth2.redirect-uri})
		 * @return this builder
		 */
		public Builder redirectUri(URI redirectUri) {
			this.redirectUri = redirectUri;
			return this;
		}

		/**
		 * @param refreshMargin refresh tokens expiring within this margin (default 5 minutes)
		 * @return this builder
		 */
		public Builder refreshMargin(Duration refreshMargin) {
			Objects.requireNonNull(refreshMargin, "refreshMargin cannot be null");
			if (refreshMargin.isNegative()) {
				throw new IllegalArgumentException("refreshMargin cannot be negative");
			}
			this.refreshMargin = refreshMargin;
			return this;
		}

		/**
		 * @param flowTtl how long an authorization-code flow may take (default 10 minutes)
		 * @return this builder
		 */
		public Builder flowTtl(Duration flowTtl) {
			Objects.requireNonNull(flowTtl, "flowTtl cannot be null");
			if (flowTtl.isNegative() || flowTtl.isZero()) {
				throw new IllegalArgumentException("flowTtl must be positive");
			}
			this.flowTtl = flowTtl;
			return this;
		}

		/**
		 * @param clients configured OAuth2 clients by provider id: client id and client secret
		 * @return this builder
		 */
		public Builder oauth2Clients(Map<String, Map.Entry<String, String>> clients) {
			Map<String, OAuth2Clients.Client> copy = new LinkedHashMap<>();
			clients.forEach((provider, client) -> copy.put(provider,
					new OAuth2Clients.Client(null, client.getKey(), client.getValue())));
			this.oauth2Clients = copy;
			return this;
		}

		/**
		 * @param tokenRefresher replaces the OAuth2 refresher (e.g. {@link TokenRefresher#NONE} for benchmarks)
		 * @return this builder
		 */
		public Builder tokenRefresher(TokenRefresher tokenRefresher) {
			this.tokenRefresher = Objects.requireNonNull(tokenRefresher, "tokenRefresher cannot be null");
			return this;
		}

		/**
		 * @param recordUse whether every use of a credential by a task is an audit event
		 * ({@code keyflow.audit.record-use}; off by default: usage is counted either way)
		 * @return this builder
		 */
		public Builder recordUse(boolean recordUse) {
			this.recordUse = recordUse;
			return this;
		}

		/**
		 * @param percentiles percentiles of the {@code keyflow.resolution} timer to publish, each in [0, 1]
		 * @return this builder
		 */
		public Builder resolutionPercentiles(List<Double> percentiles) {
			for (Double percentile : percentiles) {
				if (percentile == null || percentile < 0 || percentile > 1) {
					throw new IllegalArgumentException("resolutionPercentiles must be between 0 and 1");
				}
			}
			this.resolutionPercentiles = List.copyOf(percentiles);
			return this;
		}

		/**
		 * @param ttl how long the {@code keyflow.credentials} gauge reuses its count (one COUNT ... GROUP BY)
		 * @return this builder
		 */
		public Builder credentialCountTtl(Duration ttl) {
			Objects.requireNonNull(ttl, "credentialCountTtl cannot be null");
			if (ttl.isNegative()) {
				throw new IllegalArgumentException("credentialCountTtl cannot be negative");
			}
			this.credentialCountTtl = ttl;
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
