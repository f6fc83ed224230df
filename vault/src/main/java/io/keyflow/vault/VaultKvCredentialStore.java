package io.keyflow.vault;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.springframework.vault.core.VaultKeyValueOperations;
import org.springframework.vault.core.VaultKeyValueOperationsSupport.KeyValueBackend;
import org.springframework.vault.core.VaultOperations;
import org.springframework.vault.support.VaultResponse;

import io.keyflow.api.Credential;
import io.keyflow.api.CredentialException;
import io.keyflow.api.CredentialInfo;
import io.keyflow.api.CredentialQuery;
import io.keyflow.api.CredentialStore;
import io.keyflow.api.ReadOnlyStoreException;
import io.keyflow.vault.internal.KvSecretMapper;
import io.keyflow.vault.internal.StaleIfErrorCache;
import io.keyflow.vault.internal.VaultFailures;
import io.keyflow.vault.internal.VaultLog;

/**
 * HashiCorp Vault KV version 2 as a read-only {@link CredentialStore}. A credential is the secret at
 * {@code <mount>/data/<prefix>/<tenant folder>/<KEY>}, where the tenant folder is the tenant id, or
 * {@code default} for tenant-less credentials; its fields are described in {@link KvSecretMapper}. Its id is
 * {@code vault:<tenant folder>/<KEY>}.
 * <p>
 * Keyflow never writes to Vault: it is a read-only {@link CredentialStore}, and a write to one of its credentials
 * through Keyflow is refused with a {@link io.keyflow.api.ReadOnlyStoreException} naming the path where the
 * credential is managed ({@link #location}).
 * <p>
 * Reads and folder listings are cached for {@code cacheTtl}, answers "not found" included, so a busy engine
 * sends one request per path and TTL rather than one per task. When Vault is unavailable, a cached answer is
 * served for up to {@code staleIfError} past its TTL; without one, lookups throw
 * {@link VaultUnavailableException}, which a task's job retries. Permission errors are never masked.
 * <p>
 * Lookups by principal and listings read every secret of the tenant folder (each one cached): keep the folder
 * to credentials. Among several tenant-default candidates without {@code default=true} the first by key wins
 * (KV has no creation order across keys).
 */
public final class VaultKvCredentialStore implements CredentialStore {

	/** The store's {@link #name()}, as used in {@code keyflow.stores}. */
	public static final String NAME = "vault-kv";

	/** Prefix of the ids of credentials of this store. */
	public static final String ID_PREFIX = "vault:";

	// tenant ids become a path segment: nothing that could climb out of the tenant's folder
	private static final Pattern TENANT_PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

	private final VaultKeyValueOperations kv;

	private final String mount;

	private final String prefix;

	private final String defaultTenantFolder;

	private final StaleIfErrorCache<Optional<Credential>> secrets;

	private final StaleIfErrorCache<List<String>> folders;

	private VaultKvCredentialStore(Builder builder) {
		this.mount = trimSlashes(builder.mount);
		this.prefix = trimSlashes(builder.prefix);
		this.defaultTenantFolder = builder.defaultTenantFolder;
		this.kv = builder.operations.opsForKeyValue(this.mount, KeyValueBackend.versioned());
		this.secrets = new StaleIfErrorCache<>(builder.cacheTtl, builder.staleIfError, builder.clock);
		this.folders = new StaleIfErrorCache<>(builder.cacheTtl, builder.staleIfError, builder.clock);
	}

	/**
	 * @param operations the Vault client, authenticated
	 * @return a builder with the defaults: mount {@code secret}, prefix {@code keyflow}, tenant-less folder
	 * {@code default}, cache TTL 60 s, stale-if-error 5 min, UTC system clock
	 */
	public static Builder builder(VaultOperations operations) {
		return new Builder(operations);
	}

	@Override
	public String name() {
		return NAME;
	}

	/**
	 * @return whether the id is {@code vault:<tenant folder>/<KEY>}, the folder a tenant id and the key a credential
	 * key
	 */
	@Override
	public boolean acceptsId(String id) {
		if (id == null || !id.startsWith(ID_PREFIX)) {
			return false;
		}
		String rest = id.substring(ID_PREFIX.length());
		int slash = rest.indexOf('/');
		return slash > 0 && TENANT_PATTERN.matcher(rest.substring(0, slash)).matches()
				&& CredentialInfo.KEY_PATTERN.matcher(rest.substring(slash + 1)).matches();
	}

	@Override
	public Optional<Credential> findById(String tenantId, String id) {
		if (id == null || !id.startsWith(ID_PREFIX)) {
			return Optional.empty();
		}
		String rest = id.substring(ID_PREFIX.length());
		int slash = rest.indexOf('/');
		if (slash < 0 || !rest.substring(0, slash).equals(folder(tenantId))) {
			// another tenant's id (or not one of ours): never looked up
			return Optional.empty();
		}
		return findByKey(tenantId, rest.substring(slash + 1));
	}

	@Override
	public Optional<Credential> findByKey(String tenantId, String key) {
		if (key == null || !CredentialInfo.KEY_PATTERN.matcher(key).matches()) {
			return Optional.empty();
		}
		String folder = folder(tenantId);
		String path = this.prefix + "/" + folder + "/" + key;
		return this.secrets.get(path, () -> read(tenantId, folder, key, path));
	}

	private Optional<Credential> read(String tenantId, String folder, String key, String path) {
		String location = location(path);
		VaultResponse response = VaultFailures.call("read", location, () -> this.kv.get(path));
		if (response == null || response.getData() == null) {
			return Optional.empty();
		}
		return Optional.of(KvSecretMapper.toCredential(response.getData(), response.getMetadata(),
				ID_PREFIX + folder + "/" + key, tenantId, key, location));
	}

	@Override
	public Optional<Credential> findByPrincipal(String tenantId, String principalId, String provider) {
		if (provider == null) {
			return Optional.empty();
		}
		List<Credential> candidates = credentials(tenantId)
			.filter((credential) -> provider.equals(credential.provider())
					&& Objects.equals(principalId, credential.principalId()))
			.toList();
		if (principalId != null) {
			return candidates.stream().findFirst();
		}
		return candidates.stream()
			.filter((credential) -> "true".equals(credential.metadata().get("default")))
			.findFirst()
			.or(() -> candidates.stream().findFirst());
	}

	/**
	 * Reads every credential of the tenant folder (through the cache); never returns a secret.
	 */
	@Override
	public List<CredentialInfo> list(CredentialQuery query) {
		Objects.requireNonNull(query, "query cannot be null");
		return credentials(query.tenantId()).map(Credential::info)
			.filter((info) -> query.principalId() == null || query.principalId().equals(info.principalId()))
			.filter((info) -> query.provider() == null || query.provider().equals(info.provider()))
			.filter((info) -> query.type() == null || query.type() == info.type())
			.filter((info) -> query.key() == null || query.key().equals(info.key()))
			.skip(query.offset())
			.limit(query.limit())
			.toList();
	}

	/**
	 * The tenant folder's credentials by key; an entry that is not a credential is skipped with a warning,
	 * so one bad secret does not hide the others.
	 */
	private Stream<Credential> credentials(String tenantId) {
		String folder = folder(tenantId);
		String path = this.prefix + "/" + folder;
		List<String> keys = this.folders.get(path + "/",
				() -> VaultFailures.call("list", this.mount + "/metadata/" + path, () -> listKeys(path)));
		return keys.stream()
			.filter((key) -> CredentialInfo.KEY_PATTERN.matcher(key).matches())
			.sorted(Comparator.naturalOrder())
			.map((key) -> {
				try {
					return findByKey(tenantId, key);
				}
				catch (VaultUnavailableException ex) {
					throw ex;
				}
				catch (CredentialException ex) {
					VaultLog.skippedEntry(location(path + "/" + key), ex.getMessage());
					return Optional.<Credential>empty();
				}
			})
			.flatMap(Optional::stream);
	}

	private List<String> listKeys(String path) {
		List<String> keys = this.kv.list(path);
		return (keys != null) ? List.copyOf(keys) : List.of();
	}

	/**
	 * Keyflow never writes to Vault: a change to a credential of this store is refused with this location.
	 */
	@Override
	public String location(String tenantId, String key) {
		return dataLocation(tenantId, key);
	}

	/**
	 * @param tenantId the tenant ({@code null} for tenant-less)
	 * @param key the credential key
	 * @return where the credential lives in Vault, e.g. {@code secret/data/keyflow/default/GITHUB}
	 */
	public String dataLocation(String tenantId, String key) {
		return location(this.prefix + "/" + folder(tenantId) + "/" + key);
	}

	private String location(String path) {
		return this.mount + "/data/" + path;
	}

	private String folder(String tenantId) {
		if (tenantId == null) {
			return this.defaultTenantFolder;
		}
		if (tenantId.equals(this.defaultTenantFolder)) {
			// otherwise tenant "default" would read the tenant-less credentials
			throw new CredentialException("tenant '" + tenantId + "' has the name of the folder of tenant-less "
					+ "credentials in Vault; set keyflow.vault.kv.default-tenant-folder to another name");
		}
		if (!TENANT_PATTERN.matcher(tenantId).matches() || tenantId.equals("..")) {
			throw new CredentialException("tenant id '" + tenantId + "' cannot be used as a Vault path segment; "
					+ "Vault KV supports tenant ids of letters, digits, '_', '.' and '-'");
		}
		return tenantId;
	}

	private static String trimSlashes(String path) {
		String trimmed = Objects.requireNonNull(path, "path cannot be null").trim();
		while (trimmed.startsWith("/")) {
			trimmed = trimmed.substring(1);
		}
		while (trimmed.endsWith("/")) {
			trimmed = trimmed.substring(0, trimmed.length() - 1);
		}
		if (trimmed.isEmpty()) {
			throw new IllegalArgumentException("a Vault mount or prefix cannot be empty");
		}
		return trimmed;
	}

	@Override
	public String toString() {
		return "VaultKvCredentialStore[" + this.mount + "/data/" + this.prefix + ", cache=" + this.secrets + "]";
	}

	/**
	 * Builds a {@link VaultKvCredentialStore}.
	 */
	public static final class Builder {

		private final VaultOperations operations;

		private String mount = "secret";

		private String prefix = "keyflow";

		private String defaultTenantFolder = "default";

		private Duration cacheTtl = Duration.ofSeconds(60);

		private Duration staleIfError = Duration.ofMinutes(5);

		private Clock clock = Clock.systemUTC();

		private Builder(VaultOperations operations) {
			this.operations = Objects.requireNonNull(operations, "operations cannot be null");
		}

		/** @param mount the KV v2 mount, e.g. {@code secret} @return this builder */
		public Builder mount(String mount) {
			this.mount = Objects.requireNonNull(mount, "mount cannot be null");
			return this;
		}

		/** @param prefix the path under the mount holding the tenant folders @return this builder */
		public Builder prefix(String prefix) {
			this.prefix = Objects.requireNonNull(prefix, "prefix cannot be null");
			return this;
		}

		/** @param folder the folder of tenant-less credentials @return this builder */
		public Builder defaultTenantFolder(String folder) {
			Objects.requireNonNull(folder, "defaultTenantFolder cannot be null");
			if (!TENANT_PATTERN.matcher(folder).matches()) {
				throw new IllegalArgumentException("defaultTenantFolder must be one path segment of letters, "
						+ "digits, '_', '.' or '-'");
			}
			this.defaultTenantFolder = folder;
			return this;
		}

		/** @param cacheTtl how long a Vault answer is used before Vault is asked again @return this builder */
		public Builder cacheTtl(Duration cacheTtl) {
			this.cacheTtl = Objects.requireNonNull(cacheTtl, "cacheTtl cannot be null");
			return this;
		}

		/**
		 * @param staleIfError how long past its TTL a cached answer may be used while Vault is unavailable
		 * @return this builder
		 */
		public Builder staleIfError(Duration staleIfError) {
			this.staleIfError = Objects.requireNonNull(staleIfError, "staleIfError cannot be null");
			return this;
		}

		/** @param clock the time source of the cache @return this builder */
		public Builder clock(Clock clock) {
			this.clock = Objects.requireNonNull(clock, "clock cannot be null");
			return this;
		}

		/** @return the store */
		public VaultKvCredentialStore build() {
			return new VaultKvCredentialStore(this);
		}

	}

}
