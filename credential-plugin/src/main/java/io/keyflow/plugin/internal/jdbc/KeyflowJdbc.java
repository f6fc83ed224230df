package io.keyflow.plugin.internal.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.springframework.core.Ordered;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keyflow's access to its tables in the engine's database, shared by every table class: one template, the
 * column conventions (UTC timestamps, {@code ''} for the tenant-less scope), a new transaction for what must
 * commit on its own, and a savepoint for a statement that may fail inside the caller's transaction.
 */
public final class KeyflowJdbc {

	/** {@code TENANT_ID_} of the tenant-less scope: not NULL, so that unique indexes apply to it too. */
	public static final String NO_TENANT = "";

	private final DataSource dataSource;

	private final NamedParameterJdbcTemplate jdbc;

	private final TransactionTemplate newTransaction;

	private final TransactionTemplate transaction;

	/**
	 * @param dataSource the engine's data source
	 */
	public KeyflowJdbc(DataSource dataSource) {
		this.dataSource = Objects.requireNonNull(dataSource, "dataSource cannot be null");
		this.jdbc = new NamedParameterJdbcTemplate(dataSource);
		this.newTransaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		this.newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
	}

	/** @return the template; joins the caller's transaction where Spring manages one on this data source */
	public NamedParameterJdbcTemplate template() {
		return this.jdbc;
	}

	/** @return the data source */
	public DataSource dataSource() {
		return this.dataSource;
	}

	/**
	 * Runs work in a transaction of its own, committed when it returns, whatever the caller's transaction does.
	 * @param work the work
	 * @return its result
	 */
	public <T> T inNewTransaction(Supplier<T> work) {
		return this.newTransaction.execute((status) -> work.get());
	}

	/**
	 * Runs work in the caller's transaction on this data source, or in a new one. A Camunda engine configured by
	 * Spring on the same data source (the Spring Boot starter) joins it, so engine commands and Keyflow's writes
	 * commit or roll back together.
	 * @param work the work
	 * @return its result
	 */
	public <T> T inTransaction(Supplier<T> work) {
		return this.transaction.execute((status) -> work.get());
	}

	/**
	 * Runs work in the caller's transaction on this data source, or in a new one, and {@code last} once in that
	 * transaction right before it commits, after every other statement of it, however many works of the
	 * transaction name the same {@code last}; then {@code afterwards} once when it has committed or rolled back.
	 * Work that throws registers nothing. A row that {@code last} locks is therefore locked after every row the
	 * transaction's work locks, so writers that all end this way cannot deadlock on it.
	 * @param last a statement, the same instance for every work that shares it (it is the key)
	 * @param afterwards run after the transaction ended, whether it committed or not
	 * @param work the work
	 * @return its result
	 */
	public <T> T inTransactionEndingWith(Runnable last, Runnable afterwards, Supplier<T> work) {
		if (transactionalConnection() != null) {
			T result = work.get();
			endWith(new LastStatement(last, afterwards));
			return result;
		}
		return this.transaction.execute((status) -> {
			T result = work.get();
			endWith(new LastStatement(last, afterwards));
			return result;
		});
	}

	private static void endWith(LastStatement statement) {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			// a transaction Spring does not synchronize: the work's statements are done, this one comes last
			statement.last().run();
			statement.afterwards().run();
			return;
		}
		if (!TransactionSynchronizationManager.getSynchronizations().contains(statement)) {
			TransactionSynchronizationManager.registerSynchronization(statement);
		}
	}

	/** Equal for the same statement instances, so a transaction runs each once. */
	private record LastStatement(Runnable last, Runnable afterwards) implements TransactionSynchronization {

		@Override
		public void beforeCommit(boolean readOnly) {
			this.last.run();
		}

		@Override
		public void afterCompletion(int status) {
			this.afterwards.run();
		}

		@Override
		public int getOrder() {
			return Ordered.LOWEST_PRECEDENCE;
		}

	}

	/**
	 * Runs one statement; inside a transaction under a savepoint, because on PostgreSQL a failed statement aborts
	 * the whole transaction, and a lost race on a unique index must not take the caller's transaction down.
	 * @param statement the statement
	 * @return its result
	 * @throws DataAccessException what the statement threw
	 */
	public <T> T underSavepoint(Supplier<T> statement) {
		Connection connection = transactionalConnection();
		if (connection == null) {
			return statement.get();
		}
		try {
			Savepoint savepoint = connection.setSavepoint();
			T result;
			try {
				result = statement.get();
			}
			catch (DataAccessException ex) {
				connection.rollback(savepoint);
				throw ex;
			}
			connection.releaseSavepoint(savepoint);
			return result;
		}
		catch (SQLException ex) {
			throw this.jdbc.getJdbcTemplate().getExceptionTranslator().translate("savepoint", null, ex);
		}
	}

	private Connection transactionalConnection() {
		Object resource = TransactionSynchronizationManager.getResource(this.dataSource);
		if (!TransactionSynchronizationManager.isActualTransactionActive()
				|| !(resource instanceof ConnectionHolder holder)) {
			return null;
		}
		Connection connection = holder.getConnection();
		try {
			return connection.getAutoCommit() ? null : connection;
		}
		catch (SQLException ex) {
			throw this.jdbc.getJdbcTemplate().getExceptionTranslator().translate("autocommit", null, ex);
		}
	}

	/**
	 * @param tenantId a tenant, {@code null} for the tenant-less scope
	 * @return the {@code TENANT_ID_} value
	 */
	public static String tenant(String tenantId) {
		return (tenantId != null) ? tenantId : NO_TENANT;
	}

	/**
	 * @param column a {@code TENANT_ID_} value
	 * @return the tenant, {@code null} for the tenant-less scope
	 */
	public static String tenantOf(String column) {
		return (column == null || column.isEmpty()) ? null : column;
	}

	/**
	 * TIMESTAMP columns hold UTC wall-clock time, so nodes in different time zones agree.
	 * @param instant an instant, or {@code null}
	 * @return the column value, or {@code null}
	 */
	public static LocalDateTime timestamp(Instant instant) {
		return (instant != null) ? LocalDateTime.ofInstant(instant, ZoneOffset.UTC) : null;
	}

	/**
	 * @param rs a row
	 * @param column a TIMESTAMP column written by {@link #timestamp}
	 * @return the instant, or {@code null}
	 * @throws SQLException as the driver does
	 */
	public static Instant instant(ResultSet rs, String column) throws SQLException {
		LocalDateTime value = rs.getObject(column, LocalDateTime.class);
		return (value != null) ? value.toInstant(ZoneOffset.UTC) : null;
	}

	/**
	 * Both databases keep microseconds: what is written equals what a later read gives.
	 * @param instant an instant, or {@code null}
	 * @return it truncated to microseconds, or {@code null}
	 */
	public static Instant micros(Instant instant) {
		return (instant != null) ? instant.truncatedTo(ChronoUnit.MICROS) : null;
	}

	@Override
	public String toString() {
		return "KeyflowJdbc";
	}

	/**
	 * @param jdbc the template
	 * @param sql a query answering a key id and a count per row
	 * @param params its parameters
	 * @return count by key id, ordered by key id
	 */
	public static Map<String, Integer> countByKeyId(NamedParameterJdbcTemplate jdbc, String sql,
			MapSqlParameterSource params) {
		Map<String, Integer> counts = new TreeMap<>();
		jdbc.query(sql, params, (rs) -> {
			counts.put(rs.getString(1), rs.getInt(2));
		});
		return counts;
	}

}
