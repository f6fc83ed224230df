package io.keyflow.vault.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.keyflow.api.CredentialException;
import io.keyflow.plugin.KeyflowSchema;

/**
 * Table {@code KEYFLOW_DATA_KEY}: the wrapped data keys, created by its own scripts
 * ({@code io/keyflow/db/changelog/keyflow-vault.xml}, H2 and PostgreSQL) beside Keyflow's tables.
 */
public final class DataKeyTable {

	static final String CHANGELOG = "io/keyflow/db/changelog/keyflow-vault.xml";

	private static final String COLUMNS = "KEY_ID_, WRAPPED_KEY_, TRANSIT_MOUNT_, TRANSIT_KEY_, STATUS_, CREATED_AT_";

	private final DataSource dataSource;

	private final JdbcTemplate jdbc;

	/**
	 * @param dataSource the engine's data source
	 */
	public DataKeyTable(DataSource dataSource) {
		this.dataSource = Objects.requireNonNull(dataSource, "dataSource cannot be null");
		this.jdbc = new JdbcTemplate(dataSource);
	}

	/**
	 * Applies the Vault module's changelog ({@value #CHANGELOG}); a no-op when the table is up to date.
	 */
	public void createIfMissing() {
		new KeyflowSchema(this.dataSource).update(CHANGELOG);
	}

	/**
	 * @return every row, newest first
	 */
	public List<DataKeyRow> all() {
		return this.jdbc.query("select " + COLUMNS + " from KEYFLOW_DATA_KEY order by CREATED_AT_ desc, KEY_ID_ desc",
				(rs, rowNum) -> row(rs));
	}

	/**
	 * @param row the new row
	 */
	public void insert(DataKeyRow row) {
		this.jdbc.update("insert into KEYFLOW_DATA_KEY (" + COLUMNS + ", UPDATED_AT_) values (?, ?, ?, ?, ?, ?, ?)",
				row.keyId(), row.wrappedKey(), row.transitMount(), row.transitKey(), row.status(),
				timestamp(row.createdAt()), timestamp(row.createdAt()));
	}

	/**
	 * Makes one key the primary and every other primary active, in one transaction.
	 * @return whether the key exists
	 */
	public boolean promote(String keyId, Instant now) {
		TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(this.dataSource));
		Boolean found = transaction.execute((status) -> {
			int promoted = this.jdbc.update("update KEYFLOW_DATA_KEY set STATUS_ = ?, UPDATED_AT_ = ? where KEY_ID_ = ?",
					DataKeyRow.PRIMARY, timestamp(now), keyId);
			if (promoted == 0) {
				return false;
			}
			this.jdbc.update("update KEYFLOW_DATA_KEY set STATUS_ = ?, UPDATED_AT_ = ? where STATUS_ = ? and KEY_ID_ <> ?",
					DataKeyRow.ACTIVE, timestamp(now), DataKeyRow.PRIMARY, keyId);
			return true;
		});
		return Boolean.TRUE.equals(found);
	}

	/**
	 * Replaces a wrapped key, unless another node replaced it meanwhile.
	 * @return whether the row was changed
	 */
	public boolean rewrap(String keyId, String oldWrappedKey, String newWrappedKey, Instant now) {
		return this.jdbc.update("update KEYFLOW_DATA_KEY set WRAPPED_KEY_ = ?, UPDATED_AT_ = ? where KEY_ID_ = ? "
				+ "and WRAPPED_KEY_ = ?", newWrappedKey, timestamp(now), keyId, oldWrappedKey) > 0;
	}

	private static DataKeyRow row(ResultSet rs) throws SQLException {
		return new DataKeyRow(rs.getString("KEY_ID_"), rs.getString("WRAPPED_KEY_"), rs.getString("TRANSIT_MOUNT_"),
				rs.getString("TRANSIT_KEY_"), rs.getString("STATUS_"),
				rs.getObject("CREATED_AT_", LocalDateTime.class).toInstant(ZoneOffset.UTC));
	}

	// UTC wall-clock time, as in Keyflow's own tables
	private static LocalDateTime timestamp(Instant instant) {
		return LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
	}

	/**
	 * One row of {@code KEYFLOW_DATA_KEY}.
	 *
	 * @param keyId the Keyflow key id of the data key
	 * @param wrappedKey the transit ciphertext of the data key ({@code vault:vN:...})
	 * @param transitMount the transit mount that wrapped it
	 * @param transitKey the transit key that wrapped it
	 * @param status {@link #PRIMARY} or {@link #ACTIVE}
	 * @param createdAt when it was generated
	 */
	public record DataKeyRow(String keyId, String wrappedKey, String transitMount, String transitKey, String status,
			Instant createdAt) {

		/** Encrypts new writes (and decrypts). */
		public static final String PRIMARY = "PRIMARY";

		/** Decrypts only. */
		public static final String ACTIVE = "ACTIVE";

		/**
		 * @return the transit key version that wrapped it, from the {@code vault:vN:} prefix; 0 if unknown
		 */
		public int transitKeyVersion() {
			if (this.wrappedKey != null && this.wrappedKey.startsWith("vault:v")) {
				int end = this.wrappedKey.indexOf(':', 7);
				try {
					return Integer.parseInt(this.wrappedKey.substring(7, end));
				}
				catch (RuntimeException ex) {
					return 0;
				}
			}
			return 0;
		}

		@Override
		public String toString() {
			// the wrapped key is no secret without Vault, but it has no business in logs either
			return "DataKeyRow[keyId=" + this.keyId + ", status=" + this.status + ", transitKey=" + this.transitMount
					+ "/" + this.transitKey + " v" + transitKeyVersion() + ", createdAt=" + this.createdAt + "]";
		}

	}

}
