package io.keyflow.plugin.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Keyflow's configuration, under the {@code keyflow} prefix.
 */
@ConfigurationProperties("keyflow")
public class KeyflowProperties {

	/** Whether Keyflow plugs into the engine. */
	private boolean enabled = true;

	/**
	 * The process variable that trusted code may use to name the principal of a process it starts without an
	 * authenticated user (see keyflow.principal.without-authentication). Read once, at the start of the root
	 * process instance; Keyflow records the principal in its own table and never reads the variable again.
	 */
	private String principalVariable = "initiator";

	private final Principal principal = new Principal();

	private final Policy policy = new Policy();

	/**
	 * Credential stores by name in lookup order, e.g. vault-kv,local. Stores not named are asked after the
	 * named ones. Writes go to the first writable store ("local").
	 */
	private List<String> stores = new ArrayList<>(List.of("local"));

	/**
	 * How often a node checks whether a credential changed on another node, so such a change is seen within this
	 * time (one on this node at once). A task's credential lookup is kept in memory until its credential changes
	 * (at most 10 minutes) if the local store answered it, for this time if another store (Vault KV) did. PT0S
	 * turns the cache off.
	 */
	private Duration resolutionCacheTtl = Duration.ofSeconds(5);

	/**
	 * How many credential lookups the cache keeps at most; past that it evicts the least used ones.
	 */
	private int resolutionCacheMaxEntries = 50_000;

	/**
	 * Where users reach this application, e.g. https://camunda.example.com. When set, the incident of a task
	 * waiting on a credential request links to the page where it is fulfilled.
	 */
	private String publicUrl;

	private final Encryption encryption = new Encryption();

	private final Database database = new Database();

	private final OAuth2 oauth2 = new OAuth2();

	private final Audit audit = new Audit();

	private final Usage usage = new Usage();

	private final Metrics metrics = new Metrics();

	public Audit getAudit() {
		return this.audit;
	}

	public Usage getUsage() {
		return this.usage;
	}

	public Metrics getMetrics() {
		return this.metrics;
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Principal getPrincipal() {
		return this.principal;
	}

	public Policy getPolicy() {
		return this.policy;
	}

	public String getPrincipalVariable() {
		return this.principalVariable;
	}

	public void setPrincipalVariable(String principalVariable) {
		this.principalVariable = principalVariable;
	}

	public List<String> getStores() {
		return this.stores;
	}

	public void setStores(List<String> stores) {
		this.stores = stores;
	}

	public Duration getResolutionCacheTtl() {
		return this.resolutionCacheTtl;
	}

	public void setResolutionCacheTtl(Duration resolutionCacheTtl) {
		this.resolutionCacheTtl = resolutionCacheTtl;
	}

	public int getResolutionCacheMaxEntries() {
		return this.resolutionCacheMaxEntries;
	}

	public void setResolutionCacheMaxEntries(int resolutionCacheMaxEntries) {
		this.resolutionCacheMaxEntries = resolutionCacheMaxEntries;
	}

	public String getPublicUrl() {
		return this.publicUrl;
	}

	public void setPublicUrl(String publicUrl) {
		this.publicUrl = publicUrl;
	}

	public Encryption getEncryption() {
		return this.encryption;
	}

	public Database getDatabase() {
		return this.database;
	}

	public OAuth2 getOauth2() {
		return this.oauth2;
	}

	/**
	 * OAuth2 connections.
	 */
	public static class OAuth2 {

		/**
		 * The redirect URI every provider sends the browser back to after consent, e.g.
		 * https://camunda.example.com/keyflow/oauth2/callback. Register it with each provider's client. Fixed here,
		 * never taken from a request. Required to start authorization-code connections.
		 */
		private URI redirectUri;

		/** Refresh an access token when it expires within this margin, before a task gets it. */
		private Duration refreshMargin = Duration.ofMinutes(5);

		/** How long a started authorization-code flow may take until its callback; its state is refused after. */
		private Duration flowTtl = Duration.ofMinutes(10);

		/**
		 * Client registrations by provider id (keyflow.oauth2.clients.github.client-id=...), used when a connection
		 * does not bring its own client.
		 */
		private final Map<String, Client> clients = new LinkedHashMap<>();

		public URI getRedirectUri() {
			return this.redirectUri;
		}

		public void setRedirectUri(URI redirectUri) {
			this.redirectUri = redirectUri;
		}

		public Duration getRefreshMargin() {
			return this.refreshMargin;
		}

		public void setRefreshMargin(Duration refreshMargin) {
			this.refreshMargin = refreshMargin;
		}

		public Duration getFlowTtl() {
			return this.flowTtl;
		}

		public void setFlowTtl(Duration flowTtl) {
			this.flowTtl = flowTtl;
		}

		public Map<String, Client> getClients() {
			return this.clients;
		}

	}

	/**
	 * An OAuth2 client registration of one provider.
	 */
	public static class Client {

		/** The client id the provider issued. */
		private String clientId;

		/** The client secret the provider issued; usually set from an environment variable. Never logged. */
		private String clientSecret;

		public String getClientId() {
			return this.clientId;
		}

		public void setClientId(String clientId) {
			this.clientId = clientId;
		}

		public String getClientSecret() {
			return this.clientSecret;
		}

		public void setClientSecret(String clientSecret) {
			this.clientSecret = clientSecret;
		}

		@Override
		public String toString() {
			return "Client[clientId=" + this.clientId + ", clientSecret="
					+ ((this.clientSecret != null) ? "(set)" : "(unset)") + "]";
		}

	}

	/**
	 * The local store's encryption.
	 */
	public static class Encryption {

		/**
		 * One or more base64-encoded 32-byte AES keys, comma-separated, the primary (used for new writes)
		 * first. Usually set through the KEYFLOW_ENCRYPTION_KEY environment variable.
		 */
		private String key;

		public String getKey() {
			return this.key;
		}

		public void setKey(String key) {
			this.key = key;
		}

		@Override
		public String toString() {
			return "Encryption[key=" + ((this.key != null) ? "(set)" : "(unset)") + "]";
		}

	}

	/**
	 * Keyflow's tables.
	 */
	public static class Database {

		/**
		 * Whether Keyflow brings its tables up to date at start-up (its Liquibase changelogs); false leaves it to a
		 * DBA (KeyflowSchema#updateSql gives the SQL).
		 */
		private boolean schemaUpdate = true;

		public boolean isSchemaUpdate() {
			return this.schemaUpdate;
		}

		public void setSchemaUpdate(boolean schemaUpdate) {
			this.schemaUpdate = schemaUpdate;
		}

	}

	/**
	 * Usage policies for strict installations (keyflow.policy.*).
	 */
	public static class Policy {

		/**
		 * Whether a keyed or tenant-default credential must name the processes that may use it
		 * (allowedProcesses); one that names none is refused to every task.
		 */
		private boolean requireAllowedProcesses;

		/**
		 * Whether a new credential is sealed unless its request says otherwise: task code cannot read it, only
		 * an egress that checks its policy (the ready-made actions) can send it.
		 */
		private boolean sealedByDefault;

		public boolean isRequireAllowedProcesses() {
			return this.requireAllowedProcesses;
		}

		public void setRequireAllowedProcesses(boolean requireAllowedProcesses) {
			this.requireAllowedProcesses = requireAllowedProcesses;
		}

		public boolean isSealedByDefault() {
			return this.sealedByDefault;
		}

		public void setSealedByDefault(boolean sealedByDefault) {
			this.sealedByDefault = sealedByDefault;
		}

	}

	/**
	 * How a process instance's principal is bound (keyflow.principal.*).
	 */
	public static class Principal {

		/**
		 * The principal of a root process instance started without an authenticated user (timers, messages,
		 * trusted Java code): start-variable takes the principal variable as given at start; none gives such
		 * processes no principal (they use tenant defaults only). A user authenticated with the engine is
		 * always the principal, whatever the variables say.
		 */
		private WithoutAuthentication withoutAuthentication = WithoutAuthentication.START_VARIABLE;

		/**
		 * How often the records of process instances whose history is gone are deleted. PT0S turns it off.
		 */
		private Duration cleanupInterval = Duration.ofHours(1);

		public WithoutAuthentication getWithoutAuthentication() {
			return this.withoutAuthentication;
		}

		public void setWithoutAuthentication(WithoutAuthentication withoutAuthentication) {
			this.withoutAuthentication = withoutAuthentication;
		}

		public Duration getCleanupInterval() {
			return this.cleanupInterval;
		}

		public void setCleanupInterval(Duration cleanupInterval) {
			this.cleanupInterval = cleanupInterval;
		}

	}

	/**
	 * The audit trail (keyflow.audit.*).
	 */
	public static class Audit {

		/**
		 * Whether every use of a credential by a task is an audit event (credential.use, with the process and the
		 * principal), written in the task's transaction. Usage counts are kept either way.
		 */
		private boolean recordUse;

		/**
		 * How long audit events are kept; older ones are deleted every keyflow.audit.cleanup-interval. Unset: kept
		 * forever.
		 */
		private Duration retention;

		/**
		 * How often events older than keyflow.audit.retention are deleted.
		 */
		private Duration cleanupInterval = Duration.ofHours(1);

		public boolean isRecordUse() {
			return this.recordUse;
		}

		public void setRecordUse(boolean recordUse) {
			this.recordUse = recordUse;
		}

		public Duration getRetention() {
			return this.retention;
		}

		public void setRetention(Duration retention) {
			this.retention = retention;
		}

		public Duration getCleanupInterval() {
			return this.cleanupInterval;
		}

		public void setCleanupInterval(Duration cleanupInterval) {
			this.cleanupInterval = cleanupInterval;
		}

	}

	/**
	 * Usage tracking (keyflow.usage.*).
	 */
	public static class Usage {

		/**
		 * How often the uses of credentials counted in memory are written to the database (and at shutdown); a
		 * credential's lastUsedAt and useCount lag by up to this interval. PT0S writes them at shutdown only.
		 */
		private Duration flushInterval = Duration.ofSeconds(30);

		public Duration getFlushInterval() {
			return this.flushInterval;
		}

		public void setFlushInterval(Duration flushInterval) {
			this.flushInterval = flushInterval;
		}

	}

	/**
	 * Micrometer meters (keyflow.metrics.*), when the application has Micrometer.
	 */
	public static class Metrics {

		/**
		 * Percentiles of the keyflow.resolution timer to publish, e.g. 0.5,0.95,0.99 (Micrometer's
		 * management.metrics.distribution.percentiles.keyflow.resolution works too).
		 */
		private List<Double> resolutionPercentiles = new ArrayList<>();

		/**
		 * How long the keyflow.credentials gauge reuses its count of credentials by status (one query), so a
		 * scrape does not query the database each time.
		 */
		private Duration credentialCountTtl = Duration.ofSeconds(30);

		public List<Double> getResolutionPercentiles() {
			return this.resolutionPercentiles;
		}

		public void setResolutionPercentiles(List<Double> resolutionPercentiles) {
			this.resolutionPercentiles = resolutionPercentiles;
		}

		public Duration getCredentialCountTtl() {
			return this.credentialCountTtl;
		}

		public void setCredentialCountTtl(Duration credentialCountTtl) {
			this.credentialCountTtl = credentialCountTtl;
		}

	}

	/**
	 * Where the principal of a process started without an authenticated user comes from.
	 */
	public enum WithoutAuthentication {

		/** The principal variable as the starting code gave it. */
		START_VARIABLE,

		/** Nowhere: the process has no principal. */
		NONE

	}

}
