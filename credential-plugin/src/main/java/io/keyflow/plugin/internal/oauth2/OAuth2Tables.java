package io.keyflow.plugin.internal.oauth2;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import javax.sql.DataSource;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import io.keyflow.api.UsagePolicy;
import io.keyflow.plugin.OAuth2FlowBinding;
import io.keyflow.plugin.internal.crypto.AesGcmSecretCipher;
import io.keyflow.plugin.internal.crypto.EncryptedColumn;
import io.keyflow.plugin.internal.jdbc.KeyflowJdbc;
import io.keyflow.plugin.internal.crypto.EncryptedTable;

import static io.keyflow.plugin.internal.jdbc.KeyflowJdbc.instant;
import static io.keyflow.plugin.internal.jdbc.KeyflowJdbc.tenant;
import static io.keyflow.plugin.internal.jdbc.KeyflowJdbc.tenantOf;
import static io.keyflow.plugin.internal.jdbc.KeyflowJdbc.timestamp;

/**
 * Tables {@code KEYFLOW_OAUTH2_CLIENT} (client registrations given in start calls, secret encrypted) and
 * {@code KEYFLOW_OAUTH2_FLOW} (flows in progress, verifier encrypted, keyed by the state's hash).
 */
public final class OAuth2Tables implements EncryptedTable {

	private final KeyflowJdbc db;

	private final NamedParameterJdbcTemplate jdbc;

	private final EncryptedColumn secrets;

	private final Clock clock;

	public OAuth2Tables(DataSource dataSource, AesGcmSecretCipher cipher, Clock clock) {
		this(new KeyflowJdbc(dataSource), cipher, clock);
	}

	public OAuth2Tables(KeyflowJdbc db, AesGcmSecretCipher cipher, Clock clock) {
		this.db = Objects.requireNonNull(db, "db cannot be null");
		this.jdbc = db.template();
		this.secrets = new EncryptedColumn(cipher);
		this.clock = Objects.requireNonNull(clock, "clock cannot be null");
	}

	/**
	 * Stores a client registration, or replaces the secret of the one with the same tenant, provider and client id.
	 * @return the row's id
	 */
	public String saveClient(String tenantId, String provider, String clientId, String clientSecret) {
		return this.db.inNewTransaction(() -> {
			MapSqlParameterSource params = new MapSqlParameterSource("tenant", tenant(tenantId))
				.addValue("provider", provider)
				.addValue("clientId", clientId)
				.addValue("now", timestamp(now()), Types.TIMESTAMP);
			List<String> existing = this.jdbc.queryForList("select ID_ from KEYFLOW_OAUTH2_CLIENT where TENANT_ID_ = "
					+ ":tenant and PROVIDER_ = :provider and CLIENT_ID_ = :clientId for update", params, String.class);
			String id = existing.isEmpty() ? UUID.randomUUID().toString() : existing.get(0);
			EncryptedColumn.Sealed sealed = this.secrets.seal(clientSecret, clientAssociatedData(id, tenantId));
			params.addValue("id", id).addValue("keyId", sealed.keyId()).addValue("secret", sealed.base64());
			if (existing.isEmpty()) {
				this.jdbc.update("insert into KEYFLOW_OAUTH2_CLIENT (ID_, TENANT_ID_, PROVIDER_, CLIENT_ID_, KEY_ID_, "
						+ "SECRET_, CREATED_AT_, UPDATED_AT_) values (:id, :tenant, :provider, :clientId, :keyId, :secret, "
						+ ":now, :now)", params);
			}
			else {
				this.jdbc.update("update KEYFLOW_OAUTH2_CLIENT set KEY_ID_ = :keyId, SECRET_ = :secret, UPDATED_AT_ = :now "
						+ "where ID_ = :id", params);
			}
			return id;
		});
	}

	/**
	 * @return the client registration with its secret decrypted, if it exists in the tenant
	 */
	public Optional<StoredClient> findClient(String tenantId, String id) {
		return this.jdbc
			.query("select ID_, PROVIDER_, CLIENT_ID_, SECRET_ from KEYFLOW_OAUTH2_CLIENT where ID_ = :id and TENANT_ID_ = :tenant",
					new MapSqlParameterSource("id", id).addValue("tenant", tenant(tenantId)),
					(rs, rowNum) -> new StoredClient(rs.getString("ID_"), rs.getString("PROVIDER_"),
							rs.getString("CLIENT_ID_"), this.secrets.openText(rs.getString("SECRET_"),
									clientAssociatedData(rs.getString("ID_"), tenantId), "OAuth2 client " + id)))
			.stream()
			.findFirst();
	}

	public void saveFlow(Flow flow) {
		EncryptedColumn.Sealed sealed = this.secrets.seal(flow.verifier(), flowAssociatedData(flow.stateHash()));
		this.jdbc.update("insert into KEYFLOW_OAUTH2_FLOW (STATE_HASH_, TENANT_ID_, PROVIDER_, CLIENT_REF_, CLIENT_ID_, "
				+ "SCOPES_, KEY_, PRINCIPAL_ID_, NAME_, KEY_ID_, VERIFIER_, EXPIRES_AT_, CREATED_AT_, STARTED_BY_, BROWSER_HASH_, "
				+ "ALLOWED_PROCESSES_, ALLOWED_ORIGINS_, SEALED_) "
				+ "values (:hash, :tenant, :provider, :clientRef, :clientId, :scopes, :key, :principal, :name, :keyId, "
				+ ":verifier, :expiresAt, :now, :startedBy, :browserHash, :processes, :origins, :sealed)",
				new MapSqlParameterSource("hash", flow.stateHash())
					.addValue("tenant", tenant(flow.tenantId()))
					.addValue("provider", flow.provider())
					.addValue("clientRef", flow.clientRef(), Types.VARCHAR)
					.addValue("clientId", flow.clientId())
					.addValue("scopes", flow.scopes().isEmpty() ? null : String.join(" ", flow.scopes()), Types.VARCHAR)
					.addValue("key", flow.key(), Types.VARCHAR)
					.addValue("principal", flow.principalId(), Types.VARCHAR)
					.addValue("name", flow.name(), Types.VARCHAR)
					.addValue("keyId", sealed.keyId())
					.addValue("verifier", sealed.base64())
					.addValue("expiresAt", timestamp(flow.expiresAt()), Types.TIMESTAMP)
					.addValue("now", timestamp(now()), Types.TIMESTAMP)
					.addValue("startedBy", flow.binding().startedBy(), Types.VARCHAR)
					.addValue("browserHash", flow.binding().browserHash(), Types.VARCHAR)
					.addValue("processes", (flow.policy() != null) ? list(flow.policy().allowedProcesses()) : null, Types.VARCHAR)
					.addValue("origins", (flow.policy() != null) ? list(flow.policy().allowedOrigins()) : null, Types.VARCHAR)
					.addValue("sealed", (flow.policy() != null) ? flow.policy().sealed() : null, Types.BOOLEAN));
	}

	/**
	 * Reads and deletes a flow in one committed transaction: of two callbacks with the same state, one gets it.
	 * @return the flow, expired or not, if it existed and this call deleted it
	 */
	public Optional<Flow> takeFlow(String stateHash) {
		return this.db.inNewTransaction(() -> {
			MapSqlParameterSource params = new MapSqlParameterSource("hash", stateHash);
			List<Flow> flows = this.jdbc.query("select * from KEYFLOW_OAUTH2_FLOW where STATE_HASH_ = :hash for update",
					params, (rs, rowNum) -> readFlow(rs));
			if (flows.isEmpty() || this.jdbc.update("delete from KEYFLOW_OAUTH2_FLOW where STATE_HASH_ = :hash", params) != 1) {
				return Optional.<Flow>empty();
			}
			return Optional.of(flows.get(0));
		});
	}

	/**
	 * @return how many expired flows were deleted
	 */
	public int purgeExpiredFlows() {
		return this.jdbc.update("delete from KEYFLOW_OAUTH2_FLOW where EXPIRES_AT_ < :now",
				new MapSqlParameterSource("now", timestamp(now())));
	}

	/**
	 * Client secrets, and verifiers of flows not yet expired (expired ones are purged first).
	 */
	@Override
	public Set<String> storedKeyIds() {
		Set<String> keyIds = new TreeSet<>(this.jdbc.getJdbcTemplate()
			.queryForList("select distinct KEY_ID_ from KEYFLOW_OAUTH2_CLIENT", String.class));
		keyIds.addAll(this.jdbc.queryForList("select distinct KEY_ID_ from KEYFLOW_OAUTH2_FLOW where EXPIRES_AT_ >= :now",
				new MapSqlParameterSource("now", timestamp(now())), String.class));
		return keyIds;
	}

	@Override
	public Map<String, Map<String, Integer>> rowsByKeyId() {
		return Map.of("oauth2Clients", KeyflowJdbc.countByKeyId(this.jdbc,
				"select KEY_ID_, count(*) from KEYFLOW_OAUTH2_CLIENT group by KEY_ID_", new MapSqlParameterSource()),
				"oauth2Flows", KeyflowJdbc.countByKeyId(this.jdbc, "select KEY_ID_, count(*) from KEYFLOW_OAUTH2_FLOW "
						+ "where EXPIRES_AT_ >= :now group by KEY_ID_", new MapSqlParameterSource("now", timestamp(now()))));
	}

	@Override
	public int reEncrypt(int batchSize) {
		purgeExpiredFlows();
		MapSqlParameterSource select = new MapSqlParameterSource("primary", this.secrets.primaryKeyId())
			.addValue("limit", batchSize);
		int moved = 0;
		for (Map<String, Object> row : this.jdbc.queryForList("select ID_, TENANT_ID_, KEY_ID_, SECRET_ from "
				+ "KEYFLOW_OAUTH2_CLIENT where KEY_ID_ <> :primary order by ID_ limit :limit", select)) {
			String id = (String) row.get("ID_");
			String tenant = (String) row.get("TENANT_ID_");
			byte[] associatedData = clientAssociatedData(id, tenantOf(tenant));
			moved += rewrite("update KEYFLOW_OAUTH2_CLIENT set SECRET_ = :value, KEY_ID_ = :keyId where ID_ = :id "
					+ "and KEY_ID_ = :oldKeyId", id, (String) row.get("KEY_ID_"), (String) row.get("SECRET_"), associatedData);
		}
		for (Map<String, Object> row : this.jdbc.queryForList("select STATE_HASH_, KEY_ID_, VERIFIER_ from "
				+ "KEYFLOW_OAUTH2_FLOW where KEY_ID_ <> :primary order by STATE_HASH_ limit :limit", select)) {
			String hash = (String) row.get("STATE_HASH_");
			moved += rewrite("update KEYFLOW_OAUTH2_FLOW set VERIFIER_ = :value, KEY_ID_ = :keyId where STATE_HASH_ = "
					+ ":id and KEY_ID_ = :oldKeyId", hash, (String) row.get("KEY_ID_"), (String) row.get("VERIFIER_"),
					flowAssociatedData(hash));
		}
		return moved;
	}

	private int rewrite(String update, String id, String oldKeyId, String base64, byte[] associatedData) {
		EncryptedColumn.Sealed sealed = this.secrets.reseal(base64, associatedData, "re-encryption");
		return this.jdbc.update(update, new MapSqlParameterSource("value", sealed.base64())
			.addValue("keyId", sealed.keyId())
			.addValue("id", id)
			.addValue("oldKeyId", oldKeyId));
	}

	private Flow readFlow(ResultSet rs) throws SQLException {
		String hash = rs.getString("STATE_HASH_");
		String scopes = rs.getString("SCOPES_");
		String tenant = rs.getString("TENANT_ID_");
		return new Flow(hash, tenantOf(tenant), rs.getString("PROVIDER_"), rs.getString("CLIENT_REF_"),
				rs.getString("CLIENT_ID_"),
				(scopes != null) ? new LinkedHashSet<>(Arrays.asList(scopes.split(" "))) : Set.of(), rs.getString("KEY_"),
				rs.getString("PRINCIPAL_ID_"), rs.getString("NAME_"),
				this.secrets.openText(rs.getString("VERIFIER_"), flowAssociatedData(hash), "OAuth2 flow"),
				instant(rs, "EXPIRES_AT_"),
				new OAuth2FlowBinding(rs.getString("STARTED_BY_"), rs.getString("BROWSER_HASH_")), policy(rs));
	}

	// SEALED_ null: the start named no policy (as a flow written before 0.2)
	private static UsagePolicy policy(ResultSet rs) throws SQLException {
		boolean sealed = rs.getBoolean("SEALED_");
		if (rs.wasNull()) {
			return null;
		}
		return new UsagePolicy(split(rs.getString("ALLOWED_PROCESSES_")), split(rs.getString("ALLOWED_ORIGINS_")), sealed);
	}

	private static String list(Set<String> values) {
		return values.isEmpty() ? null : String.join(" ", values);
	}

	private static Set<String> split(String column) {
		return (column != null) ? new LinkedHashSet<>(Arrays.asList(column.split(" "))) : Set.of();
	}

	static byte[] clientAssociatedData(String id, String tenantId) {
		return ("keyflow/oauth2-client/v1|" + id + "|" + tenant(tenantId)).getBytes(StandardCharsets.UTF_8);
	}

	static byte[] flowAssociatedData(String stateHash) {
		return ("keyflow/oauth2-flow/v1|" + stateHash).getBytes(StandardCharsets.UTF_8);
	}

	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MICROS);
	}

	/**
	 * A client registration from {@code KEYFLOW_OAUTH2_CLIENT}.
	 */
	public record StoredClient(String id, String provider, String clientId, String clientSecret) {

		@Override
		public String toString() {
			return "StoredClient[id=" + this.id + ", provider=" + this.provider + ", clientId=" + this.clientId
					+ ", clientSecret=(redacted)]";
		}

	}

	/**
	 * A flow in progress.
	 */
	public record Flow(String stateHash, String tenantId, String provider, String clientRef, String clientId,
			Set<String> scopes, String key, String principalId, String name, String verifier, Instant expiresAt,
			OAuth2FlowBinding binding, UsagePolicy policy) {

		public Flow {
			scopes = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(scopes));
			binding = (binding != null) ? binding : OAuth2FlowBinding.NONE;
		}

		@Override
		public String toString() {
			return "Flow[provider=" + this.provider + ", tenantId=" + this.tenantId + ", key=" + this.key
					+ ", principalId=" + this.principalId + ", expiresAt=" + this.expiresAt + ", binding=" + this.binding
					+ ", policy=" + this.policy + ", verifier=(redacted)]";
		}

	}

}
