package io.keyflow.vault.autoconfigure;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Keyflow's HashiCorp Vault configuration, under the {@code keyflow.vault} prefix. The module is on when
 * {@code keyflow.vault.enabled=true}, or when {@code keyflow.vault.address} is set and {@code enabled} is not
 * {@code false}.
 */
@ConfigurationProperties("keyflow.vault")
public class KeyflowVaultProperties {

	/**
	 * Whether Keyflow uses Vault. Unset: on when an address is set.
	 */
	private Boolean enabled;

	/**
	 * Vault's address, e.g. https://vault.example.com:8200 (as VAULT_ADDR).
	 */
	private URI address;

	/**
	 * Whether an http:// address that is not a loopback address is accepted (with a warning at start-up). Tokens,
	 * secrets and data keys would cross the network in clear text: for a test set-up only.
	 */
	private boolean allowInsecureHttp;

	/**
	 * Vault Enterprise namespace, sent as the X-Vault-Namespace header; unset for none.
	 */
	private String namespace;

	/**
	 * Connect timeout of requests to Vault.
	 */
	private Duration connectTimeout = Duration.ofSeconds(5);

	/**
	 * Read timeout of requests to Vault.
	 */
	private Duration readTimeout = Duration.ofSeconds(15);

	private final Authentication authentication = new Authentication();

	private final Kv kv = new Kv();

	private final Transit transit = new Transit();

	private final Ssl ssl = new Ssl();

	public Boolean getEnabled() {
		return this.enabled;
	}

	public void setEnabled(Boolean enabled) {
		this.enabled = enabled;
	}

	public URI getAddress() {
		return this.address;
	}

	public void setAddress(URI address) {
		this.address = address;
	}

	public boolean isAllowInsecureHttp() {
		return this.allowInsecureHttp;
	}

	public void setAllowInsecureHttp(boolean allowInsecureHttp) {
		this.allowInsecureHttp = allowInsecureHttp;
	}

	public Ssl getSsl() {
		return this.ssl;
	}

	public String getNamespace() {
		return this.namespace;
	}

	public void setNamespace(String namespace) {
		this.namespace = namespace;
	}

	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
	}

	public Duration getReadTimeout() {
		return this.readTimeout;
	}

	public void setReadTimeout(Duration readTimeout) {
		this.readTimeout = readTimeout;
	}

	public Authentication getAuthentication() {
		return this.authentication;
	}

	public Kv getKv() {
		return this.kv;
	}

	public Transit getTransit() {
		return this.transit;
	}

	@Override
	public String toString() {
		return "KeyflowVaultProperties[address=" + this.address + ", namespace=" + this.namespace
				+ ", allowInsecureHttp=" + this.allowInsecureHttp + ", " + this.ssl + ", " + this.authentication + "]";
	}

	/**
	 * The CA Keyflow trusts for Vault's https certificate, when not one the JVM trusts (keyflow.vault.ssl.*). Set
	 * either a PEM file or a trust store, not both.
	 */
	public static class Ssl {

		/**
		 * A PEM file with the CA certificate(s) that signed Vault's certificate (as VAULT_CACERT), e.g.
		 * /etc/vault/ca.pem or file:/etc/vault/ca.pem.
		 */
		private String caCertificate;

		/**
		 * A trust store holding the CA certificate(s), e.g. file:/etc/keyflow/vault-trust.p12 or
		 * classpath:vault-trust.p12.
		 */
		private String trustStore;

		/**
		 * The trust store's password.
		 */
		private String trustStorePassword;

		/**
		 * The trust store's type: PKCS12 (default), JKS or PEM.
		 */
		private String trustStoreType;

		public String getCaCertificate() {
			return this.caCertificate;
		}

		public void setCaCertificate(String caCertificate) {
			this.caCertificate = caCertificate;
		}

		public String getTrustStore() {
			return this.trustStore;
		}

		public void setTrustStore(String trustStore) {
			this.trustStore = trustStore;
		}

		public String getTrustStorePassword() {
			return this.trustStorePassword;
		}

		public void setTrustStorePassword(String trustStorePassword) {
			this.trustStorePassword = trustStorePassword;
		}

		public String getTrustStoreType() {
			return this.trustStoreType;
		}

		public void setTrustStoreType(String trustStoreType) {
			this.trustStoreType = trustStoreType;
		}

		@Override
		public String toString() {
			return "Ssl[caCertificate=" + this.caCertificate + ", trustStore=" + this.trustStore + ", trustStorePassword="
					+ ((this.trustStorePassword != null) ? "(set)" : "(unset)") + ", trustStoreType=" + this.trustStoreType
					+ "]";
		}

	}

	/**
	 * How Keyflow logs in to Vault.
	 */
	public enum Method {

		/** A Vault token (keyflow.vault.authentication.token, e.g. from VAULT_TOKEN). */
		TOKEN,

		/** AppRole: role id and secret id. */
		APPROLE,

		/** Kubernetes: the pod's service account JWT and a Vault role. */
		KUBERNETES

	}

	/**
	 * Authentication. Renewable tokens are renewed before they expire; when a token reaches its maximum TTL,
	 * Keyflow logs in again (AppRole, Kubernetes).
	 */
	public static class Authentication {

		/**
		 * The login method.
		 */
		private Method method = Method.TOKEN;

		/**
		 * The token for method TOKEN. Set it from the environment (VAULT_TOKEN), never in a file.
		 */
		private String token;

		/**
		 * Renew the token this long before it expires.
		 */
		private Duration refreshBeforeExpiry = Duration.ofSeconds(5);

		/**
		 * A renewed token with less TTL than this is dropped and a new login made (the token reached its max
		 * TTL).
		 */
		private Duration expiryThreshold = Duration.ofSeconds(7);

		private final AppRole appRole = new AppRole();

		private final Kubernetes kubernetes = new Kubernetes();

		public Method getMethod() {
			return this.method;
		}

		public void setMethod(Method method) {
			this.method = method;
		}

		public String getToken() {
			return this.token;
		}

		public void setToken(String token) {
			this.token = token;
		}

		public Duration getRefreshBeforeExpiry() {
			return this.refreshBeforeExpiry;
		}

		public void setRefreshBeforeExpiry(Duration refreshBeforeExpiry) {
			this.refreshBeforeExpiry = refreshBeforeExpiry;
		}

		public Duration getExpiryThreshold() {
			return this.expiryThreshold;
		}

		public void setExpiryThreshold(Duration expiryThreshold) {
			this.expiryThreshold = expiryThreshold;
		}

		public AppRole getAppRole() {
			return this.appRole;
		}

		public Kubernetes getKubernetes() {
			return this.kubernetes;
		}

		@Override
		public String toString() {
			return "Authentication[method=" + this.method + ", token=" + ((this.token != null) ? "(set)" : "(unset)")
					+ ", " + this.appRole + ", " + this.kubernetes + "]";
		}

	}

	/**
	 * AppRole login.
	 */
	public static class AppRole {

		/**
		 * The role id.
		 */
		private String roleId;

		/**
		 * The secret id. Set it from the environment, never in a file.
		 */
		private String secretId;

		/**
		 * The AppRole auth mount.
		 */
		private String path = "approle";

		public String getRoleId() {
			return this.roleId;
		}

		public void setRoleId(String roleId) {
			this.roleId = roleId;
		}

		public String getSecretId() {
			return this.secretId;
		}

		public void setSecretId(String secretId) {
			this.secretId = secretId;
		}

		public String getPath() {
			return this.path;
		}

		public void setPath(String path) {
			this.path = path;
		}

		@Override
		public String toString() {
			return "AppRole[roleId=" + this.roleId + ", secretId=" + ((this.secretId != null) ? "(set)" : "(unset)")
					+ ", path=" + this.path + "]";
		}

	}

	/**
	 * Kubernetes login.
	 */
	public static class Kubernetes {

		/**
		 * The Vault role bound to the pod's service account.
		 */
		private String role;

		/**
		 * The service account token file; read at every login, as projected tokens rotate.
		 */
		private String jwtPath = "/var/run/secrets/kubernetes.io/serviceaccount/token";

		/**
		 * The Kubernetes auth mount.
		 */
		private String path = "kubernetes";

		public String getRole() {
			return this.role;
		}

		public void setRole(String role) {
			this.role = role;
		}

		public String getJwtPath() {
			return this.jwtPath;
		}

		public void setJwtPath(String jwtPath) {
			this.jwtPath = jwtPath;
		}

		public String getPath() {
			return this.path;
		}

		public void setPath(String path) {
			this.path = path;
		}

		@Override
		public String toString() {
			return "Kubernetes[role=" + this.role + ", jwtPath=" + this.jwtPath + ", path=" + this.path + "]";
		}

	}

	/**
	 * KV v2 as a read-only credential store (store name vault-kv).
	 */
	public static class Kv {

		/**
		 * Whether the vault-kv store is offered.
		 */
		private boolean enabled = true;

		/**
		 * The KV v2 mount.
		 */
		private String mount = "secret";

		/**
		 * The path under the mount that holds one folder per tenant: <mount>/data/<prefix>/<tenant>/<KEY>.
		 */
		private String prefix = "keyflow";

		/**
		 * The folder of tenant-less credentials. A tenant of that name is refused.
		 */
		private String defaultTenantFolder = "default";

		/**
		 * How long a Vault answer (found or not found) is used before Vault is asked again.
		 */
		private Duration cacheTtl = Duration.ofSeconds(60);

		/**
		 * How long past cache-ttl a cached answer may be used while Vault is unavailable (0 to never).
		 */
		private Duration staleIfError = Duration.ofMinutes(5);

		/**
		 * Whether a user's credential missing at <prefix>/<tenant>/users/<principalId>/<provider> is also looked
		 * for among the tenant folder's secrets with a principalId field (the layout before 0.3). Each such lookup
		 * reads every secret of the folder: move them to users/<principalId>/<provider> instead.
		 */
		private boolean principalScan = false;

		public boolean isPrincipalScan() {
			return this.principalScan;
		}

		public void setPrincipalScan(boolean principalScan) {
			this.principalScan = principalScan;
		}

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getMount() {
			return this.mount;
		}

		public void setMount(String mount) {
			this.mount = mount;
		}

		public String getPrefix() {
			return this.prefix;
		}

		public void setPrefix(String prefix) {
			this.prefix = prefix;
		}

		public String getDefaultTenantFolder() {
			return this.defaultTenantFolder;
		}

		public void setDefaultTenantFolder(String defaultTenantFolder) {
			this.defaultTenantFolder = defaultTenantFolder;
		}

		public Duration getCacheTtl() {
			return this.cacheTtl;
		}

		public void setCacheTtl(Duration cacheTtl) {
			this.cacheTtl = cacheTtl;
		}

		public Duration getStaleIfError() {
			return this.staleIfError;
		}

		public void setStaleIfError(Duration staleIfError) {
			this.staleIfError = staleIfError;
		}

	}

	/**
	 * Transit as the key-encryption service of the local store (envelope encryption).
	 */
	public static class Transit {

		/**
		 * Whether the local store's data keys come from Vault transit instead of KEYFLOW_ENCRYPTION_KEY.
		 */
		private boolean enabled;

		/**
		 * The transit mount.
		 */
		private String mount = "transit";

		/**
		 * The transit key that wraps the data keys; it must exist (vault write -f transit/keys/keyflow).
		 */
		private String key = "keyflow";

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getMount() {
			return this.mount;
		}

		public void setMount(String mount) {
			this.mount = mount;
		}

		public String getKey() {
			return this.key;
		}

		public void setKey(String key) {
			this.key = key;
		}

	}

}
