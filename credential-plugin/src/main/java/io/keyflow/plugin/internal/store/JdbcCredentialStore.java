package io.keyflow.plugin.internal.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.support.DataAccessUtils;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import io.keyflow.api.Credential;
import io.keyflow.api.CredentialChangedException;
import io.keyflow.api.CredentialConflictException;
import io.keyflow.api.CredentialException;
import io.keyflow.api.CredentialInfo;
import io.keyflow.api.CredentialQuery;
import io.keyflow.api.CredentialStatus;
import io.keyflow.api.WritableCredentialStore;
import io.keyflow.api.CredentialType;
import io.keyflow.api.UsagePolicy;
import io.keyflow.api.DecryptionException;
import io.keyflow.api.InvalidCredentialException;
import io.keyflow.api.KeyConfigurationException;
import io.keyflow.plugin.internal.crypto.AesGcmSecretCipher;
import io.keyflow.plugin.internal.crypto.EncryptedColumn;
import io.keyflow.plugin.internal.jdbc.KeyflowJdbc;
import io.keyflow.plugin.internal.crypto.EncryptedTable;
import io.keyflow.api.Keyring;
import io.keyflow.plugin.internal.crypto.KeyringVerifier;

import static io.keyflow.plugin.internal.jdbc.KeyflowJdbc.instant;
import static io.keyflow.plugin.internal.jdbc.KeyflowJdbc.micros;
import static io.keyflow.plugin.internal.jdbc.KeyflowJdbc.tenant;
import static io.keyflow.plugin.internal.jdbc.KeyflowJdbc.tenantOf;
import static io.keyflow.plugin.internal.jdbc.KeyflowJdbc.timestamp;

/**
 * The local store: table {@code KEYFLOW_CREDENTIAL} in the engine's database, secret parts encrypted with
 * AES-256-GCM. Uses the {@link DataSource} through Spring's JDBC support, so a call made inside the engine's
 * Spring-managed transaction joins it.
 * <p>
 * The secret parts are one JSON object, encrypted with the row's id and tenant as associated data; a
 * ciphertext copied into another row does not decrypt. {@code KEY_ID_} repeats the ciphertext's key id in clear
 * so that {@link #verifyKeys} and {@link #reEncrypt} never decrypt to find out which key a row uses.
 * Input validation is {@link io.keyflow.plugin.CredentialService}'s job; the store only refuses what would
 * break its own invariants (no id, an id that is not a simple token).
 */
public class JdbcCredentialStore implements WritableCredentialStore, EncryptedTable {

	/** The store's {@link #name()}. */
	public static final String NAME = "local";

	/** Ids the store accepts; UUIDs fit, and without '|' the associated data cannot be ambiguous. */
	static final Pattern ID_PATTERN = SIMPLE_ID;

	/** {@code NAME_} of the credentials' row in {@code KEYFLOW_GENERATION}. */
	static final String GENERATION = "credentials";

	/** Rows written before 0.2: their ciphertext is bound to id and tenant only, until {@link #upgradeBindings}. */
	static final int BINDING_ID_TENANT = 1;

	/** The ciphertext is bound to every column that decides who or what may use the credential. */
	static final int BINDING_FULL = 2;

	/** The metadata key of 0.1's host list, moved into the usage policy's allowedOrigins by the upgrade. */
	static final String LEGACY_ALLOWED_HOSTS = "allowedHosts";

	private static final String INFO_COLUMNS = "ID_, TENANT_ID_, KEY_, NAME_, TYPE_, PROVIDER_, PRINCIPAL_ID_, "
			+ "SCOPES_, EXPIRES_AT_, STATUS_, METADATA_, ALLOWED_PROCESSES_, ALLOWED_ORIGINS_, SEALED_, CREATED_AT_, "
			+ "UPDATED_AT_";

	private static final String ALL_COLUMNS = INFO_COLUMNS + ", SECRET_, BINDING_";

	private static final String INSERT = "insert into KEYFLOW_CREDENTIAL (ID_, TENANT_ID_, KEY_, NAME_, TYPE_, "
			+ "PROVIDER_, PRINCIPAL_ID_, SCOPES_, EXPIRES_AT_, STATUS_, METADATA_, ALLOWED_PROCESSES_, ALLOWED_ORIGINS_, "
			+ "SEALED_, KEY_ID_, SECRET_, BINDING_, REV_, CREATED_AT_, UPDATED_AT_) values (:id, :tenant, :key, :name, "
			+ ":type, :provider, :principal, :scopes, :expiresAt, :status, :metadata, :processes, :origins, :sealed, "
			+ ":keyId, :secret, " + BINDING_FULL + ", 1, :now, :now)";

	private static final String UPDATE = "update KEYFLOW_CREDENTIAL set KEY_ = :key, NAME_ = :name, TYPE_ = :type, "
			+ "PROVIDER_ = :provider, PRINCIPAL_ID_ = :principal, SCOPES_ = :scopes, EXPIRES_AT_ = :expiresAt, "
			+ "STATUS_ = :status, METADATA_ = :metadata, ALLOWED_PROCESSES_ = :processes, ALLOWED_ORIGINS_ = :origins, "
			+ "SEALED_ = :sealed, KEY_ID_ = :keyId, SECRET_ = :secret, BINDING_ = " + BINDING_FULL + ", REV_ = REV_ + 1, "
			+ "UPDATED_AT_ = :now where ID_ = :id and TENANT_ID_ = :tenant and REV_ = :rev";

	private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
	};

	private final KeyflowJdbc db;

	private final NamedParameterJdbcTemplate jdbc;

	private final AesGcmSecretCipher cipher;

	private final EncryptedColumn secrets;

	private final Clock clock;

	/** Counts saves and deletes on this node, so caches of lookups can tell that they are stale. */
	private final AtomicLong writes = new AtomicLong();

	/** The last statement of every transaction that writes credential rows (one instance: it is the key). */
	private final Runnable bumpGeneration = this::bumpGeneration;

	/** Counts a write once more when its transaction ended: a lookup during it may have read the old row. */
	private final Runnable countWrite = this.writes::incrementAndGet;

	// private on purpose: the stored format must not follow the application's Jackson settings
	private final ObjectMapper json = new ObjectMapper();

	private final ObjectReader secretsReader = this.json.readerFor(STRING_MAP);

	private final RowMapper<CredentialInfo> infoMapper = (rs, rowNum) -> readInfo(rs);

	private final RowMapper<StoredRow> rowMapper = (rs, rowNum) -> new StoredRow(readInfo(rs),
			rs.getString("SECRET_"), rs.getInt("BINDING_"));

	/**
	 * @param dataSource the engine's data source; the tables must exist ({@link io.keyflow.plugin.KeyflowSchema})
	 * @param cipher encrypts new writes under its keyring's primary key, decrypts under any of its keys
	 * @param clock stamps {@code createdAt} and {@code updatedAt}
	 */
	public JdbcCredentialStore(DataSource dataSource, AesGcmSecretCipher cipher, Clock clock) {
		this(new KeyflowJdbc(dataSource), cipher, clock);
	}

	/**
	 * @param db Keyflow's database access
	 * @param cipher encrypts new writes under its keyring's primary key, decrypts under any of its keys
	 * @param clock stamps {@code createdAt} and {@code updatedAt}
	 */
	public JdbcCredentialStore(KeyflowJdbc db, AesGcmSecretCipher cipher, Clock clock) {
		this.db = Objects.requireNonNull(db, "db cannot be null");
		this.cipher = Objects.requireNonNull(cipher, "cipher cannot be null");
		this.secrets = new EncryptedColumn(cipher);
		this.clock = Objects.requireNonNull(clock, "clock cannot be null");
		this.jdbc = db.template();
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public Optional<Credential> findById(String tenantId, String id) {
		if (id == null) {
			return Optional.empty();
		}
		return this.jdbc
			.query("select " + ALL_COLUMNS + " from KEYFLOW_CREDENTIAL where TENANT_ID_ = :tenant and ID_ = :id",
					params(tenantId).addValue("id", id), this.rowMapper)
			.stream()
			.findFirst()
			.map(this::decrypt);
	}

	@Override
	public Optional<Credential> findByKey(String tenantId, String key) {
		if (key == null) {
			return Optional.empty();
		}
		return this.jdbc
			.query("select " + ALL_COLUMNS + " from KEYFLOW_CREDENTIAL where TENANT_ID_ = :tenant and KEY_ = :key",
					params(tenantId).addValue("key", key), this.rowMapper)
			.stream()
			.findFirst()
			.map(this::decrypt);
	}

	@Override
	public Optional<Credential> findByPrincipal(String tenantId, String principalId, String provider) {
		if (provider == null) {
			return Optional.empty();
		}
		MapSqlParameterSource params = params(tenantId).addValue("provider", provider);
		if (principalId != null) {
			return this.jdbc
				.query("select " + ALL_COLUMNS + " from KEYFLOW_CREDENTIAL where TENANT_ID_ = :tenant"
						+ " and PRINCIPAL_ID_ = :principal and PROVIDER_ = :provider",
						params.addValue("principal", principalId), this.rowMapper)
				.stream()
				.findFirst()
				.map(this::decrypt);
		}
		// the tenant default; few rows, and only the chosen one is decrypted
		List<StoredRow> candidates = this.jdbc.query("select " + ALL_COLUMNS + " from KEYFLOW_CREDENTIAL"
				+ " where TENANT_ID_ = :tenant and PRINCIPAL_ID_ is null and PROVIDER_ = :provider"
				+ " order by CREATED_AT_, ID_", params, this.rowMapper);
		return candidates.stream()
			.filter((row) -> isMarkedDefault(row.info()))
			.findFirst()
			.or(() -> candidates.stream().findFirst())
			.map(this::decrypt);
	}

	private static boolean isMarkedDefault(CredentialInfo info) {
		String marker = info.metadata().get("default");
		return marker != null && marker.trim().equalsIgnoreCase("true");
	}

	/**
	 * Never decrypts.
	 */
	@Override
	public List<CredentialInfo> list(CredentialQuery query) {
		return list(query, null, null);
	}

	/**
	 * @param query the filter
	 * @param usedSince only credentials a task used at or after this time (as last written by the usage flush);
	 * {@code null} for no such filter
	 * @param unusedSince only credentials no task used at or after this time, including never used ones;
	 * {@code null} for no such filter
	 * @return the matching credentials' clear part, ordered by key then creation time
	 */
	public List<CredentialInfo> list(CredentialQuery query, Instant usedSince, Instant unusedSince) {
		Objects.requireNonNull(query, "query cannot be null");
		MapSqlParameterSource params = params(query.tenantId());
		StringBuilder sql = new StringBuilder("select " + INFO_COLUMNS
				+ " from KEYFLOW_CREDENTIAL where TENANT_ID_ = :tenant");
		if (query.principalId() != null) {
			sql.append(" and PRINCIPAL_ID_ = :principal");
			params.addValue("principal", query.principalId());
		}
		if (query.provider() != null) {
			sql.append(" and PROVIDER_ = :provider");
			params.addValue("provider", query.provider());
		}
		if (query.type() != null) {
			sql.append(" and TYPE_ = :type");
			params.addValue("type", query.type().wireName());
		}
		if (query.key() != null) {
			sql.append(" and KEY_ = :key");
			params.addValue("key", query.key());
		}
		if (usedSince != null) {
			sql.append(" and ID_ in (select CREDENTIAL_ID_ from KEYFLOW_CREDENTIAL_USAGE where LAST_USED_AT_ >= :usedSince)");
			params.addValue("usedSince", KeyflowJdbc.timestamp(KeyflowJdbc.micros(usedSince)));
		}
		if (unusedSince != null) {
			sql.append(" and ID_ not in (select CREDENTIAL_ID_ from KEYFLOW_CREDENTIAL_USAGE "
					+ "where LAST_USED_AT_ >= :unusedSince)");
			params.addValue("unusedSince", KeyflowJdbc.timestamp(KeyflowJdbc.micros(unusedSince)));
		}
		// NULL keys last on every database (H2 sorts them first, PostgreSQL last); ID_ makes pages stable
		sql.append(" order by case when KEY_ is null then 1 else 0 end, KEY_, CREATED_AT_, ID_"
				+ " limit :limit offset :offset");
		params.addValue("limit", query.limit()).addValue("offset", query.offset());
		return this.jdbc.query(sql.toString(), params, this.infoMapper);
	}

	/**
	 * Clear part of one credential, without decrypting.
	 * @param tenantId the tenant ({@code null} for tenant-less)
	 * @param id the credential id
	 * @return the credential's clear part, if it exists in that tenant
	 */
	public Optional<CredentialInfo> findInfoById(String tenantId, String id) {
		if (id == null) {
			return Optional.empty();
		}
		return this.jdbc
			.query("select " + INFO_COLUMNS + " from KEYFLOW_CREDENTIAL where TENANT_ID_ = :tenant and ID_ = :id",
					params(tenantId).addValue("id", id), this.infoMapper)
			.stream()
			.findFirst();
	}

	/**
	 * Inserts, or replaces the row with the same id in the same tenant. {@code createdAt} is kept from the
	 * stored row (or set now on insert), {@code updatedAt} is set now; the secret parts are re-encrypted under
	 * the primary key. One statement writes the row: on any exception nothing was written.
	 * @throws InvalidCredentialException if the credential has no id, or an id that is not a simple token of at
	 * most 36 characters
	 * @throws CredentialConflictException if the key or the (principal, provider) pair is taken in the tenant,
	 * the id exists in another tenant, or the row changed between the read and the write of this save
	 */
	@Override
	public Credential save(Credential credential) {
		return save(credential, null);
	}

	/**
	 * {@link #save(Credential)}, conditional on the stored row's revision.
	 * @param credential what to store
	 * @param expectedRevision the revision the caller read ({@link #revisions}), or {@code null} for none
	 * @return what was stored
	 * @throws CredentialChangedException if a revision is expected and the row is missing or at another revision
	 */
	public Credential save(Credential credential, Integer expectedRevision) {
		return writing(() -> doSave(credential, expectedRevision));
	}

	/**
	 * @return how many writes of credentials this store has begun, finished and committed; moves whenever a
	 * credential changes through this node
	 */
	public long writeCount() {
		return this.writes.get();
	}

	/**
	 * @return the shared generation of credential rows: every transaction that writes them moves it, on any node
	 * (one query)
	 */
	public long generation() {
		Long value = DataAccessUtils.singleResult(this.jdbc.getJdbcTemplate()
			.queryForList("select VALUE_ from KEYFLOW_GENERATION where NAME_ = ?", Long.class, GENERATION));
		return (value != null) ? value : 0;
	}

	/**
	 * Runs a write of credential rows in the caller's transaction or a new one that ends by moving the shared
	 * generation. Counted on this node before, after, and when its transaction ended: a lookup racing with the
	 * write cannot keep the old answer.
	 */
	private <T> T writing(Supplier<T> write) {
		this.writes.incrementAndGet();
		try {
			return this.db.inTransactionEndingWith(this.bumpGeneration, this.countWrite, write);
		}
		finally {
			this.writes.incrementAndGet();
		}
	}

	private void bumpGeneration() {
		if (this.jdbc.getJdbcTemplate()
			.update("update KEYFLOW_GENERATION set VALUE_ = VALUE_ + 1 where NAME_ = ?", GENERATION) == 0) {
			// the seed row of change set 0.3-credential-generation was removed by hand
			this.jdbc.getJdbcTemplate()
				.update("insert into KEYFLOW_GENERATION (NAME_, VALUE_) values (?, 1)", GENERATION);
		}
	}

	private Credential doSave(Credential credential, Integer expectedRevision) {
		Objects.requireNonNull(credential, "credential cannot be null");
		CredentialInfo info = credential.info();
		if (info.id() == null || !ID_PATTERN.matcher(info.id()).matches()) {
			throw new InvalidCredentialException("id",
					"the local store needs an id of 1 to 36 letters, digits, '_', '.' or '-' (e.g. a UUID)");
		}
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.MICROS);
		checkUnique(info);
		// locked until the transaction ends (which moves the generation last): a concurrent save of the row waits
		// here and then reads the revision this one writes, instead of failing on it
		List<Existing> existing = this.jdbc.query(
				"select TENANT_ID_, REV_, CREATED_AT_ from KEYFLOW_CREDENTIAL where ID_ = :id for update",
				new MapSqlParameterSource("id", info.id()), (rs, rowNum) -> new Existing(rs.getString("TENANT_ID_"),
						rs.getInt("REV_"), instant(rs, "CREATED_AT_")));
		MapSqlParameterSource params = rowParams(info, credential.secrets()).addValue("now", timestamp(now),
				Types.TIMESTAMP);
		Instant createdAt;
		if (expectedRevision != null && (existing.isEmpty() || existing.get(0).rev() != expectedRevision)) {
			throw changed(info);
		}
		if (existing.isEmpty()) {
			write(INSERT, params, info);
			createdAt = now;
		}
		else {
			Existing row = existing.get(0);
			if (!row.tenant().equals(tenant(info.tenantId()))) {
				// ids are global; overwriting would move another tenant's row
				throw new CredentialConflictException("a credential with id " + info.id() + " already exists");
			}
			if (write(UPDATE, params.addValue("rev", row.rev()), info) == 0) {
				if (expectedRevision != null) {
					throw changed(info);
				}
				throw new CredentialConflictException(
						"credential " + info.id() + " was changed concurrently; read it again and retry");
			}
			createdAt = row.createdAt();
		}
		CredentialInfo saved = info.toBuilder()
			.expiresAt(micros(info.expiresAt()))
			.createdAt(createdAt)
			.updatedAt(now)
			.build();
		return Credential.of(saved, credential.secrets());
	}

	/**
	 * Inserts new credentials in batches, all in one transaction of their own: every row is encrypted as
	 * {@link #save} encrypts it, and the table's unique indexes still refuse a taken id, key or (principal,
	 * provider). For loading many credentials at once (a migration, the benchmarks); no pre-checks, so on a
	 * conflict the whole call is rolled back and the message cannot say which row it was.
	 * @param credentials new credentials, each with an id as {@link #save} requires
	 * @param batchSize rows per JDBC batch
	 * @return how many rows were inserted
	 * @throws InvalidCredentialException if a credential has no id or an id that is not a simple token; nothing
	 * was stored
	 * @throws CredentialConflictException if a row's id, key or (principal, provider) is taken; nothing was stored
	 */
	public int insertAll(List<Credential> credentials, int batchSize) {
		if (batchSize < 1) {
			throw new IllegalArgumentException("batchSize must be positive");
		}
		for (Credential credential : credentials) {
			String id = credential.info().id();
			if (id == null || !ID_PATTERN.matcher(id).matches()) {
				throw new InvalidCredentialException("id",
						"the local store needs an id of 1 to 36 letters, digits, '_', '.' or '-' (e.g. a UUID)");
			}
		}
		try {
			return this.db.inNewTransaction(() -> writing(() -> {
				Instant now = this.clock.instant().truncatedTo(ChronoUnit.MICROS);
				int inserted = 0;
				for (int from = 0; from < credentials.size(); from += batchSize) {
					List<Credential> batch = credentials.subList(from, Math.min(credentials.size(), from + batchSize));
					MapSqlParameterSource[] rows = batch.stream()
						.map((credential) -> rowParams(credential.info(), credential.secrets()).addValue("now",
								timestamp(now), Types.TIMESTAMP))
						.toArray(MapSqlParameterSource[]::new);
					inserted += Arrays.stream(this.jdbc.batchUpdate(INSERT, rows))
						.map((count) -> (count < 0) ? 1 : count)
						.sum();
				}
				return inserted;
			}));
		}
		catch (DuplicateKeyException ex) {
			throw new CredentialConflictException("a credential of this import has an id, key or principal and "
					+ "provider that is taken; nothing was imported");
		}
	}

	// a clear message in the common case, before the database has to refuse the write
	private void checkUnique(CredentialInfo info) {
		MapSqlParameterSource params = params(info.tenantId()).addValue("id", info.id());
		if (info.key() != null && exists("KEY_ = :key", params.addValue("key", info.key()))) {
			throw keyConflict(info);
		}
		if (info.principalId() != null && info.provider() != null && exists(
				"PRINCIPAL_ID_ = :principal and PROVIDER_ = :provider",
				params.addValue("principal", info.principalId()).addValue("provider", info.provider()))) {
			throw principalConflict(info);
		}
	}

	private boolean exists(String condition, MapSqlParameterSource params) {
		return !this.jdbc.queryForList("select ID_ from KEYFLOW_CREDENTIAL where TENANT_ID_ = :tenant and ID_ <> :id"
				+ " and " + condition, params, String.class).isEmpty();
	}

	/**
	 * @param work writes to this store
	 * @return what the work returned; every write it made is committed together, or none is
	 */
	public <T> T inTransaction(Supplier<T> work) {
		return this.db.inTransaction(work);
	}

	/**
	 * Runs one insert or update (under a savepoint inside a transaction); a lost race on a unique index becomes a
	 * conflict that names the taken key or principal.
	 */
	private int write(String sql, MapSqlParameterSource params, CredentialInfo info) {
		try {
			return this.db.underSavepoint(() -> this.jdbc.update(sql, params));
		}
		catch (DuplicateKeyException ex) {
			// lost a race with a concurrent writer; the driver's message names the index that refused it
			String message = String.valueOf(ex.getMessage()).toUpperCase(Locale.ROOT);
			if (message.contains("KEYFLOW_UX_CRED_KEY")) {
				throw keyConflict(info);
			}
			if (message.contains("KEYFLOW_UX_CRED_PRINCIPAL")) {
				throw principalConflict(info);
			}
			throw new CredentialConflictException("credential " + info.id() + " conflicts with a credential saved "
					+ "concurrently (id, key " + info.key() + " or principal " + info.principalId() + " and provider "
					+ info.provider() + ")");
		}
	}

	private static CredentialChangedException changed(CredentialInfo info) {
		return new CredentialChangedException("credential " + info.id() + " is no longer at the revision the request "
				+ "names (If-Match); read it again and retry");
	}

	/**
	 * @param tenantId the tenant ({@code null} for tenant-less)
	 * @param ids credential ids
	 * @return the stored revision of each of them that exists in the tenant; a revision grows with every write of the
	 * row (a re-encryption does not count: it changes no content)
	 */
	public Map<String, Integer> revisions(String tenantId, Collection<String> ids) {
		if (ids.isEmpty()) {
			return Map.of();
		}
		Map<String, Integer> revisions = new HashMap<>();
		this.jdbc.query("select ID_, REV_ from KEYFLOW_CREDENTIAL where TENANT_ID_ = :tenant and ID_ in (:ids)",
				params(tenantId).addValue("ids", ids),
				(rs) -> {
					revisions.put(rs.getString("ID_"), rs.getInt("REV_"));
				});
		return revisions;
	}

	private static CredentialConflictException keyConflict(CredentialInfo info) {
		return new CredentialConflictException("a credential with key " + info.key() + " already exists in "
				+ describeTenant(info.tenantId()));
	}

	private static CredentialConflictException principalConflict(CredentialInfo info) {
		return new CredentialConflictException("principal '" + info.principalId()
				+ "' already has a credential for provider '" + info.provider() + "' in "
				+ describeTenant(info.tenantId()));
	}

	private static String describeTenant(String tenantId) {
		return (tenantId != null && !tenantId.isEmpty()) ? "tenant '" + tenantId + "'" : "the tenant-less scope";
	}

	@Override
	public boolean delete(String tenantId, String id) {
		if (id == null) {
			return false;
		}
		return writing(() -> this.jdbc.update("delete from KEYFLOW_CREDENTIAL where TENANT_ID_ = :tenant and ID_ = :id",
				params(tenantId).addValue("id", id)) > 0);
	}

	/**
	 * @return the ids of the keys the stored rows are encrypted under
	 */
	/**
	 * @return how many credentials each key id encrypts
	 */
	public Map<String, Long> countByKeyId() {
		return counts("KEY_ID_");
	}

	/**
	 * @return how many credentials there are of each status ({@code ACTIVE}, {@code NEEDS_REAUTHORIZATION})
	 */
	public Map<String, Long> countByStatus() {
		return counts("STATUS_");
	}

	private Map<String, Long> counts(String column) {
		Map<String, Long> counts = new TreeMap<>();
		this.jdbc.getJdbcTemplate()
			.query("select " + column + ", count(*) from KEYFLOW_CREDENTIAL group by " + column,
					(rs) -> {
						counts.put(rs.getString(1), rs.getLong(2));
					});
		return counts;
	}

	public Set<String> storedKeyIds() {
		return new TreeSet<>(this.jdbc.getJdbcTemplate()
			.queryForList("select distinct KEY_ID_ from KEYFLOW_CREDENTIAL", String.class));
	}

	@Override
	public Map<String, Map<String, Integer>> rowsByKeyId() {
		return Map.of("credentials", KeyflowJdbc.countByKeyId(this.jdbc,
				"select KEY_ID_, count(*) from KEYFLOW_CREDENTIAL group by KEY_ID_", new MapSqlParameterSource()));
	}

	/**
	 * Start-up check: every key id in use must be in the keyring, else the engine would come up with
	 * credentials it cannot read. Reads the {@code KEY_ID_} column only; decrypts nothing.
	 * @param keyring the configured keyring
	 * @throws KeyConfigurationException naming the missing key ids
	 */
	public void verifyKeys(Keyring keyring) {
		Objects.requireNonNull(keyring, "keyring cannot be null");
		KeyringVerifier.verify(keyring, List.of(this));
	}

	/**
	 * Moves up to {@code batchSize} rows that are not encrypted under the primary key to it. A row changed
	 * since it was read is skipped: whoever changed it wrote it under the primary key already. Does not touch
	 * {@code REV_} or {@code UPDATED_AT_}: the content is unchanged, and a concurrent save must not fail
	 * because of it.
	 * @param batchSize how many rows to read at most
	 * @return how many rows were moved; {@code 0} when none is left (or every one was changed meanwhile)
	 * @throws DecryptionException if a row does not decrypt, naming its id
	 */
	public int reEncrypt(int batchSize) {
		if (batchSize < 1) {
			throw new IllegalArgumentException("batchSize must be positive");
		}
		String primary = this.cipher.primaryKeyId();
		List<ReEncryption> rows = this.jdbc.query("select " + ALL_COLUMNS + ", KEY_ID_, REV_ "
				+ "from KEYFLOW_CREDENTIAL where KEY_ID_ <> :primary order by ID_ limit :limit",
				new MapSqlParameterSource("primary", primary).addValue("limit", batchSize),
				(rs, rowNum) -> new ReEncryption(this.rowMapper.mapRow(rs, rowNum), rs.getString("KEY_ID_"),
						rs.getInt("REV_")));
		int moved = 0;
		for (ReEncryption reEncryption : rows) {
			StoredRow stored = reEncryption.row();
			ReEncryption row = reEncryption;
			byte[] associatedData = associatedData(stored.info(), stored.binding());
			EncryptedColumn.Sealed sealed = this.secrets.reseal(stored.secret(), associatedData,
					"credential " + stored.info().id());
			// the credential is unchanged, only its ciphertext: no cached answer is stale, so the generation stays
			// (a million rows re-encrypted must not empty every node's cache a million times)
			moved += this.jdbc.update("update KEYFLOW_CREDENTIAL set SECRET_ = :secret, KEY_ID_ = :keyId"
					+ " where ID_ = :id and REV_ = :rev and KEY_ID_ = :oldKeyId",
					new MapSqlParameterSource("secret", sealed.base64())
						.addValue("keyId", sealed.keyId())
						.addValue("id", stored.info().id())
						.addValue("rev", row.rev())
						.addValue("oldKeyId", row.keyId()));
		}
		return moved;
	}

	/**
	 * Moves up to {@code batchSize} rows written before 0.2 to the full row binding: decrypts each with its old
	 * associated data (id and tenant), moves 0.1's {@code allowedHosts} metadata into the usage policy's
	 * allowedOrigins, and encrypts it again bound to every column that decides its use. Online and resumable: each
	 * row is one conditional update (unchanged {@code REV_}); a row changed meanwhile is left for the next batch,
	 * and a save binds fully anyway.
	 * @param batchSize how many rows to read at most
	 * @return how many rows were moved; {@code 0} when none is left
	 * @throws DecryptionException if a row does not decrypt, naming its id
	 */
	public int upgradeBindings(int batchSize) {
		if (batchSize < 1) {
			throw new IllegalArgumentException("batchSize must be positive");
		}
		List<ReEncryption> rows = this.jdbc.query("select " + ALL_COLUMNS + ", KEY_ID_, REV_ from KEYFLOW_CREDENTIAL "
				+ "where BINDING_ < " + BINDING_FULL + " order by ID_ limit :limit",
				new MapSqlParameterSource("limit", batchSize), (rs, rowNum) -> new ReEncryption(
						this.rowMapper.mapRow(rs, rowNum), rs.getString("KEY_ID_"), rs.getInt("REV_")));
		int moved = 0;
		for (ReEncryption row : rows) {
			CredentialInfo old = row.row().info();
			byte[] plaintext = this.secrets.open(row.row().secret(), associatedData(old, row.row().binding()),
					"credential " + old.id());
			CredentialInfo upgraded = withLegacyHostsAsOrigins(old);
			EncryptedColumn.Sealed sealed = this.secrets.seal(plaintext, associatedData(upgraded, BINDING_FULL));
			moved += writing(() -> this.jdbc.update("update KEYFLOW_CREDENTIAL set SECRET_ = :secret, KEY_ID_ = :keyId, "
					+ "METADATA_ = :metadata, ALLOWED_ORIGINS_ = :origins, BINDING_ = " + BINDING_FULL
					+ " where ID_ = :id and REV_ = :rev and BINDING_ = :binding",
					new MapSqlParameterSource("secret", sealed.base64())
						.addValue("keyId", sealed.keyId())
						.addValue("metadata", metadataColumn(upgraded.metadata()), Types.VARCHAR)
						.addValue("origins", listColumn(upgraded.policy().allowedOrigins()), Types.VARCHAR)
						.addValue("id", old.id())
						.addValue("rev", row.rev())
						.addValue("binding", row.row().binding())));
		}
		return moved;
	}

	/** 0.1 kept a comma-separated host list in metadata; the policy takes origins, https unless loopback. */
	private static CredentialInfo withLegacyHostsAsOrigins(CredentialInfo info) {
		String hosts = info.metadata().get(LEGACY_ALLOWED_HOSTS);
		if (hosts == null) {
			return info;
		}
		Set<String> origins = new TreeSet<>(info.policy().allowedOrigins());
		for (String host : hosts.split("[,\\s]+")) {
			if (!host.isBlank()) {
				origins.add("https://" + host.trim());
				if (UsagePolicy.isLoopbackName(host.trim())) {
					origins.add("http://" + host.trim());
				}
			}
		}
		Map<String, String> metadata = new LinkedHashMap<>(info.metadata());
		metadata.remove(LEGACY_ALLOWED_HOSTS);
		UsagePolicy policy;
		try {
			policy = new UsagePolicy(info.policy().allowedProcesses(), origins, info.policy().sealed());
		}
		catch (InvalidCredentialException ex) {
			// not a host list an origin can be made of: keep it where it was, visible to an operator
			return info;
		}
		return info.toBuilder().metadata(metadata).policy(policy).build();
	}

	private MapSqlParameterSource rowParams(CredentialInfo info, Map<String, String> secrets) {
		EncryptedColumn.Sealed sealed = this.secrets.seal(writeJson(secrets), associatedData(info, BINDING_FULL));
		return params(info.tenantId()).addValue("id", info.id())
			.addValue("key", info.key(), Types.VARCHAR)
			.addValue("name", info.name(), Types.VARCHAR)
			.addValue("type", info.type().wireName())
			.addValue("provider", info.provider(), Types.VARCHAR)
			.addValue("principal", info.principalId(), Types.VARCHAR)
			.addValue("scopes", info.scopes().isEmpty() ? null : String.join(" ", info.scopes()), Types.VARCHAR)
			.addValue("expiresAt", timestamp(micros(info.expiresAt())), Types.TIMESTAMP)
			.addValue("status", info.status().name())
			.addValue("metadata", metadataColumn(info.metadata()), Types.VARCHAR)
			.addValue("processes", listColumn(info.policy().allowedProcesses()), Types.VARCHAR)
			.addValue("origins", listColumn(info.policy().allowedOrigins()), Types.VARCHAR)
			.addValue("sealed", info.policy().sealed())
			.addValue("keyId", sealed.keyId())
			.addValue("secret", sealed.base64());
	}

	private Credential decrypt(StoredRow row) {
		CredentialInfo info = row.info();
		byte[] plaintext = this.secrets.open(row.secret(), associatedData(info, row.binding()),
				"credential " + info.id());
		try {
			return Credential.of(info, readJson(plaintext, info.id()));
		}
		finally {
			Arrays.fill(plaintext, (byte) 0);
		}
	}

	/**
	 * Binds a ciphertext to its row. {@link #BINDING_FULL}: every column that decides who or what may use the
	 * credential (id, tenant, principal, provider, key, type, usage policy), each length-prefixed so that no other
	 * row gives the same bytes; changing any of them in the database makes the row undecryptable.
	 * {@link #BINDING_ID_TENANT} (rows of 0.1 until upgraded): id and tenant; the id cannot contain '|'.
	 */
	static byte[] associatedData(CredentialInfo info, int binding) {
		if (binding == BINDING_ID_TENANT) {
			return ("keyflow/credential/v1|" + info.id() + "|" + tenant(info.tenantId())).getBytes(StandardCharsets.UTF_8);
		}
		StringBuilder data = new StringBuilder("keyflow/credential/v2");
		for (String field : new String[] { info.id(), tenant(info.tenantId()), info.principalId(), info.provider(),
				info.key(), info.type().wireName(), listColumn(info.policy().allowedProcesses()),
				listColumn(info.policy().allowedOrigins()), Boolean.toString(info.policy().sealed()) }) {
			data.append('|').append((field != null) ? field.length() + ":" + field : "-");
		}
		return data.toString().getBytes(StandardCharsets.UTF_8);
	}

	private String metadataColumn(Map<String, String> metadata) {
		return metadata.isEmpty() ? null : new String(writeJson(metadata), StandardCharsets.UTF_8);
	}

	private static String listColumn(Set<String> values) {
		return values.isEmpty() ? null : String.join(" ", values);
	}

	private byte[] writeJson(Map<String, String> map) {
		try {
			return this.json.writeValueAsBytes(map);
		}
		catch (JsonProcessingException ex) {
			// a map of strings always serializes; no cause, as it could quote a value
			throw new IllegalStateException("cannot serialize a map of strings to JSON");
		}
	}

	private Map<String, String> readJson(byte[] bytes, String id) {
		try {
			return this.secretsReader.readValue(bytes);
		}
		catch (IOException ex) {
			// Jackson's message may quote the content: not passed on
			throw new CredentialException("stored data of credential " + id + " is not a JSON object of strings");
		}
	}

	private CredentialInfo readInfo(ResultSet rs) throws SQLException {
		String metadata = rs.getString("METADATA_");
		String scopes = rs.getString("SCOPES_");
		String id = rs.getString("ID_");
		return CredentialInfo.builder(CredentialType.fromWireName(rs.getString("TYPE_")))
			.id(id)
			.tenantId(tenantOf(rs.getString("TENANT_ID_")))
			.key(rs.getString("KEY_"))
			.name(rs.getString("NAME_"))
			.provider(rs.getString("PROVIDER_"))
			.principalId(rs.getString("PRINCIPAL_ID_"))
			.scopes((scopes != null) ? splitScopes(scopes) : null)
			.expiresAt(instant(rs, "EXPIRES_AT_"))
			.status(CredentialStatus.valueOf(rs.getString("STATUS_")))
			.metadata((metadata != null) ? readJson(metadata.getBytes(StandardCharsets.UTF_8), id) : null)
			.createdAt(instant(rs, "CREATED_AT_"))
			.updatedAt(instant(rs, "UPDATED_AT_"))
			.policy(policy(rs, id))
			.build();
	}

	private static UsagePolicy policy(ResultSet rs, String id) throws SQLException {
		String processes = rs.getString("ALLOWED_PROCESSES_");
		String origins = rs.getString("ALLOWED_ORIGINS_");
		boolean sealed = rs.getBoolean("SEALED_");
		if (processes == null && origins == null && !sealed) {
			return UsagePolicy.NONE;
		}
		try {
			return new UsagePolicy((processes != null) ? splitScopes(processes) : Set.of(),
					(origins != null) ? splitScopes(origins) : Set.of(), sealed);
		}
		catch (InvalidCredentialException ex) {
			// written by something else than Keyflow: unusable rather than unrestricted
			throw new CredentialException("the usage policy of credential " + id + " in the database is malformed; "
					+ "save the credential again");
		}
	}

	private static Set<String> splitScopes(String scopes) {
		Set<String> result = new LinkedHashSet<>();
		for (String scope : scopes.split(" ")) {
			if (!scope.isEmpty()) {
				result.add(scope);
			}
		}
		return result;
	}

	private static MapSqlParameterSource params(String tenantId) {
		return new MapSqlParameterSource("tenant", tenant(tenantId));
	}

	@Override
	public String toString() {
		return "JdbcCredentialStore[" + NAME + ", " + this.cipher + "]";
	}

	private record StoredRow(CredentialInfo info, String secret, int binding) {

		@Override
		public String toString() {
			return "StoredRow[" + this.info + ", secret=(encrypted)]";
		}

	}

	private record Existing(String tenant, int rev, Instant createdAt) {
	}

	private record ReEncryption(StoredRow row, String keyId, int rev) {

		@Override
		public String toString() {
			return "ReEncryption[id=" + this.row.info().id() + ", keyId=" + this.keyId + "]";
		}

	}

}
