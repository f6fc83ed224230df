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
 * A principal's credential for a provider is the secret at
 * {@code <mount>/data/<prefix>/<tenant folder>/users/<principalId>/<provider>}, id
 * {@code vault:<tenant folder>/users/<principalId>/<provider>}: a lookup by principal is one read. A principal or
 * provider id that could leave its path segment ({@code /}, {@code \}, {@code %}, {@code ?}, {@code #}, {@code .},
 * {@code ..}, control characters) is never sent to Vault: it is "not found". With {@code principalScan} on (the
 * layout before 0.3), a principal whose path holds nothing is also looked for among the tenant folder's secrets
 * carrying a {@code principalId} field, which reads every secret of the folder.
 * <p>
 * Tenant defaults and listings read every secret of the tenant folder (each one cached): keep the folder
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

	// a provider id as one path segment: what OAuth2 provider ids and service names look like, never "." or ".."
	private static final Pattern PROVIDER_PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

	// a principal id as one path segment: Keyflow's principal ids (1 to 255, no control character) without what
	// could end, climb out of, or re-encode a segment
	private static final Pattern PRINCIPAL_PATTERN = Pattern.compile("[^\\p{Cntrl}/\\\\%?#]{1,255}");

	/** The folder, inside a tenant folder, of per-user credentials: {@code users/<principalId>/<provider>}. */
	public static final String USERS_FOLDER = "users";

	private final VaultKeyValueOperations kv;

	private final String mount;

	private final String prefix;

	private final String defaultTenantFolder;

	private final StaleIfErrorCache<Optional<Credential>> secrets;

	private final StaleIfErrorCache<List<String>> folders;

	private final boolean principalScan;

	private VaultKvCredentialStore(Builder builder) {
		this.principalScan = builder.principalScan;
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
		if (slash <= 0 || !TENANT_PATTERN.matcher(rest.substring(0, slash)).matches()) {
			return false;
		}
		String name = rest.substring(slash + 1);
		return CredentialInfo.KEY_PATTERN.matcher(name).matches() || userPath(name) != null;
	}

	/**
	 * @param name what follows the tenant folder in an id
	 * @return principal and provider of {@code users/<principalId>/<provider>}, or {@code null}
	 */
	private static String[] userPath(String name) {
		String users = USERS_FOLDER + "/";
		if (!name.startsWith(users)) {
			return null;
		}
		String rest = name.substring(users.length());
		int slash = rest.lastIndexOf('/');
		if (slash <= 0) {
			return null;
		}
		String principalId = rest.substring(0, slash);
		String provider = rest.substring(slash + 1);
		return (isPathSafePrincipal(principalId) && isPathSafeProvider(provider))
				? new String[] { principalId, provider } : null;
	}

	/**
	 * @param principalId a principal id
	 * @return whether it can be one segment of a Vault path as it is: {@code false} for {@code null}, blank,
	 * {@code .}, {@code ..}, or an id with a control character, {@code /}, {@code \}, {@code %}, {@code ?} or
	 * {@code #}
	 */
	static boolean isPathSafePrincipal(String principalId) {
		return principalId != null && !principalId.isBlank() && !principalId.equals(".") && !principalId.equals("..")
				&& PRINCIPAL_PATTERN.matcher(principalId).matches();
	}

	static boolean isPathSafeProvider(String provider) {
		return provider != null && PROVIDER_PATTERN.matcher(provider).matches();
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
		String name = rest.substring(slash + 1);
		String[] user = userPath(name);
		return (user != null) ? findUserCredential(tenantId, user[0], user[1]) : findByKey(tenantId, name);
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

	/**
	 * One read of {@code <tenant folder>/users/<principalId>/<provider>} (cached, "not found" too). The path names
	 * the credential's principal and provider, whatever the secret's fields say.
	 */
	private Optional<Credential> findUserCredential(String tenantId, String principalId, String provider) {
		if (!isPathSafePrincipal(principalId) || !isPathSafeProvider(provider)) {
			return Optional.empty();
		}
		String folder = folder(tenantId);
		String name = USERS_FOLDER + "/" + principalId + "/" + provider;
		String path = this.prefix + "/" + folder + "/" + name;
		return this.secrets.get(path, () -> {
			String location = location(path);
			VaultResponse response = VaultFailures.call("read", location, () -> this.kv.get(path));
			if (response == null || response.getData() == null) {
				return Optional.empty();
			}
			Credential credential = KvSecretMapper.toCredential(response.getData(), response.getMetadata(),
					ID_PREFIX + folder + "/" + name, tenantId, null, location);
			return Optional.of(Credential.of(
					credential.info().toBuilder().principalId(principalId).provider(provider).build(),
					credential.secrets()));
		});
	}

	@Override
	public Optional<Credential> findByPrincipal(String tenantId, String principalId, String provider) {
		if (provider == null) {
			return Optional.empty();
		}
		if (principalId != null) {
			Optional<Credential> own = findUserCredential(tenantId, principalId, provider);
			if (own.isPresent() || !this.principalScan) {
				return own;
			}
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
		return Stream.concat(credentials(query.tenantId()), userCredentials(query.tenantId(), query.principalId()))
			.map(Credential::info)
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
		List<String> keys = cachedList(path);
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

	/**
	 * The per-user credentials of the tenant folder ({@code users/<principalId>/<provider>}), of one principal or
	 * all: one list of {@code users/}, one per principal, then a (cached) read per credential.
	 */
	private Stream<Credential> userCredentials(String tenantId, String principalId) {
		String users = this.prefix + "/" + folder(tenantId) + "/" + USERS_FOLDER;
		Stream<String> principals;
		if (principalId != null) {
			principals = isPathSafePrincipal(principalId) ? Stream.of(principalId) : Stream.empty();
		}
		else {
			principals = cachedList(users).stream()
				.filter((entry) -> entry.endsWith("/"))
				.map((entry) -> entry.substring(0, entry.length() - 1))
				.filter(VaultKvCredentialStore::isPathSafePrincipal)
				.sorted();
		}
		return principals.flatMap((principal) -> cachedList(users + "/" + principal).stream()
			.filter(VaultKvCredentialStore::isPathSafeProvider)
			.sorted()
			.map((provider) -> findUserCredential(tenantId, principal, provider))
			.flatMap(Optional::stream));
	}

	private List<String> cachedList(String path) {
		return this.folders.get(path + "/",
				() -> VaultFailures.call("list", this.mount + "/metadata/" + path, () -> listKeys(path)));
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

		private boolean principalScan;

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

		/**
		 * @param principalScan whether a principal's credential missing at {@code users/<principalId>/<provider>}
		 * is also looked for among the tenant folder's secrets with a {@code principalId} field (the layout before
		 * 0.3; reads every secret of the folder) @return this builder
		 */
		public Builder principalScan(boolean principalScan) {
			this.principalScan = principalScan;
			return this;
		}

		/** @return the store */
		public VaultKvCredentialStore build() {
			return new VaultKvCredentialStore(this);
		}

	}

}
