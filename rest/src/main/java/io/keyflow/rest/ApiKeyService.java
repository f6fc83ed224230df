package io.keyflow.rest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import io.keyflow.api.InvalidCredentialException;

/**
 * Creates, lists, revokes and checks the REST API's keys (table {@code KEYFLOW_API_KEY}).
 * <p>
 * A key is {@code kf_} followed by 256 random bits in base64url. Only its SHA-256 is stored. A fast, unsalted
 * hash is right here, unlike for passwords: a 256-bit random key cannot be guessed from its hash however fast the
 * hash is, so bcrypt or Argon2 would add nothing but a deliberate delay to every API request. For the same reason
 * the table is looked up by hash directly.
 */
public class ApiKeyService {

	/**
	 * The Liquibase changelog of the API keys' table, for {@link io.keyflow.plugin.KeyflowSchema}: applied at
	 * start-up with {@code keyflow.database.schema-update}, or by a DBA from {@code KeyflowSchema.updateSql}.
	 */
	public static final String CHANGELOG = "io/keyflow/db/changelog/keyflow-rest.xml";

	/** The prefix of every key Keyflow issues; makes leaked keys easy to find with secret scanners. */
	public static final String KEY_PREFIX = "kf_";

	/** What a presented key may look like; anything else is refused before it is hashed. */
	static final Pattern PRESENTED_KEY = Pattern.compile("[A-Za-z0-9_\\-+/=.~]{16,256}");

	static final int MAX_NAME_LENGTH = 255;

	static final int MAX_TENANT_LENGTH = 64;

	private static final String NO_TENANT = "";

	private static final String COLUMNS = "ID_, NAME_, ROLE_, TENANT_ID_, CREATED_AT_, CREATED_BY_, REVOKED_AT_";

	private final NamedParameterJdbcTemplate jdbc;

	private final Clock clock;

	private final SecureRandom random = new SecureRandom();

	private final RowMapper<ApiKey> mapper = ApiKeyService::map;

	/**
	 * @param dataSource the database holding {@code KEYFLOW_API_KEY}
	 * @param clock the time source
	 */
	public ApiKeyService(DataSource dataSource, Clock clock) {
		this.jdbc = new NamedParameterJdbcTemplate(Objects.requireNonNull(dataSource, "dataSource cannot be null"));
		this.clock = Objects.requireNonNull(clock, "clock cannot be null");
	}

	/**
	 * Creates a key.
	 * @param name a name for people, e.g. {@code ci-pipeline}
	 * @param role what the key may do
	 * @param tenantId the tenant to bind it to, or {@code null} for an unbound key
	 * @param createdBy who creates it (an API key id), or {@code null}
	 * @return the stored key and, this once, the key itself
	 * @throws InvalidCredentialException if the name or tenant is invalid
	 */
	public IssuedApiKey create(String name, ApiKeyRole role, String tenantId, String createdBy) {
		if (name == null || name.isBlank() || name.length() > MAX_NAME_LENGTH) {
			throw new InvalidCredentialException("name", "name must be 1 to " + MAX_NAME_LENGTH
					+ " non-blank characters");
		}
		Objects.requireNonNull(role, "role cannot be null");
		if (tenantId != null && (tenantId.isBlank() || tenantId.length() > MAX_TENANT_LENGTH)) {
			throw new InvalidCredentialException("tenantId", "tenantId must be 1 to " + MAX_TENANT_LENGTH
					+ " non-blank characters, or absent for an unbound key");
		}
		byte[] bytes = new byte[32];
		this.random.nextBytes(bytes);
		String key = KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		ApiKey apiKey = new ApiKey(UUID.randomUUID().toString(), name, role, tenantId,
				this.clock.instant().truncatedTo(ChronoUnit.MILLIS), createdBy, null);
		this.jdbc.update("insert into KEYFLOW_API_KEY (ID_, NAME_, ROLE_, TENANT_ID_, HASH_, CREATED_AT_, CREATED_BY_)"
				+ " values (:id, :name, :role, :tenant, :hash, :createdAt, :createdBy)",
				new MapSqlParameterSource("id", apiKey.id()).addValue("name", name)
					.addValue("role", role.wireName())
					.addValue("tenant", (tenantId != null) ? tenantId : NO_TENANT)
					.addValue("hash", hash(key))
					.addValue("createdAt", timestamp(apiKey.createdAt()))
					.addValue("createdBy", createdBy));
		return new IssuedApiKey(apiKey, key);
	}

	/**
	 * @param id a key id
	 * @return whether an active key was revoked
	 */
	public boolean revoke(String id) {
		return this.jdbc.update("update KEYFLOW_API_KEY set REVOKED_AT_ = :now where ID_ = :id and REVOKED_AT_ is null",
				new MapSqlParameterSource("id", id).addValue("now", timestamp(this.clock.instant()))) > 0;
	}

	/**
	 * @param id a key id
	 * @return the key, revoked or not
	 */
	public Optional<ApiKey> find(String id) {
		return this.jdbc.query("select " + COLUMNS + " from KEYFLOW_API_KEY where ID_ = :id",
				new MapSqlParameterSource("id", id), this.mapper).stream().findFirst();
	}

	/**
	 * @param tenantId only keys bound to this tenant; {@code null} for every key
	 * @return the keys, newest first, revoked ones included
	 */
	public List<ApiKey> list(String tenantId) {
		MapSqlParameterSource params = new MapSqlParameterSource();
		String where = "";
		if (tenantId != null) {
			where = " where TENANT_ID_ = :tenant";
			params.addValue("tenant", tenantId);
		}
		return this.jdbc.query("select " + COLUMNS + " from KEYFLOW_API_KEY" + where + " order by CREATED_AT_ desc, ID_",
				params, this.mapper);
	}

	/**
	 * @param presented what a caller sent as its key
	 * @return the active key it is, if any
	 */
	public Optional<ApiKey> authenticate(String presented) {
		if (presented == null || !PRESENTED_KEY.matcher(presented).matches()) {
			return Optional.empty();
		}
		return this.jdbc.query("select " + COLUMNS + " from KEYFLOW_API_KEY where HASH_ = :hash and REVOKED_AT_ is null",
				new MapSqlParameterSource("hash", hash(presented)), this.mapper).stream().findFirst();
	}

	/**
	 * @param key a key
	 * @return its lower-case hex SHA-256
	 */
	public static String hash(String key) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

	private static ApiKey map(ResultSet rs, int row) throws SQLException {
		String tenant = rs.getString("TENANT_ID_");
		return new ApiKey(rs.getString("ID_"), rs.getString("NAME_"),
				ApiKeyRole.fromWireName(rs.getString("ROLE_")).orElse(ApiKeyRole.VIEWER),
				(tenant == null || tenant.isEmpty()) ? null : tenant, instant(rs, "CREATED_AT_"),
				rs.getString("CREATED_BY_"), instant(rs, "REVOKED_AT_"));
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		LocalDateTime value = rs.getObject(column, LocalDateTime.class);
		return (value != null) ? value.toInstant(ZoneOffset.UTC) : null;
	}

	private static LocalDateTime timestamp(Instant instant) {
		return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

}
