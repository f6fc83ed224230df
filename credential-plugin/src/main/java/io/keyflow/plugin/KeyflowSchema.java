package io.keyflow.plugin;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import javax.sql.DataSource;

import liquibase.Scope;
import liquibase.command.CommandScope;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.UpdateSqlCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;

import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;

import io.keyflow.api.CredentialException;
import io.keyflow.plugin.internal.KeyflowLog;

/**
 * Keyflow's tables in the engine's database, as versioned Liquibase changelogs (the tool Camunda 7 ships its own
 * schema in): {@link #CORE} for the engine plugin, one per optional module (the REST API's, Vault transit's).
 * {@link #update} applies what the database lacks, at start-up ({@code keyflow.database.schema-update}) or when
 * an operator calls it; {@link #updateSql} gives the same as SQL for a DBA to review and run instead. A database
 * made by Keyflow 0.1's create scripts is upgraded in place: the change sets of 0.1 find their tables and are only
 * recorded as run.
 * <p>
 * Liquibase's bookkeeping lives in {@value #CHANGELOG_TABLE} and {@value #CHANGELOG_LOCK_TABLE}, apart from any
 * changelog of the host application; its lock keeps two nodes starting at once from applying a change twice.
 * Liquibase's anonymous usage analytics stay off: Keyflow sends nothing anywhere. Supported: H2 and PostgreSQL.
 */
public final class KeyflowSchema {

	/** The engine plugin's tables: credentials, OAuth2 connections, the audit trail, process principals. */
	public static final String CORE = "io/keyflow/db/changelog/keyflow.xml";

	static final String CHANGELOG_TABLE = "KEYFLOW_CHANGELOG";

	static final String CHANGELOG_LOCK_TABLE = "KEYFLOW_CHANGELOG_LOCK";

	private final DataSource dataSource;

	/**
	 * @param dataSource the engine's data source
	 */
	public KeyflowSchema(DataSource dataSource) {
		this.dataSource = Objects.requireNonNull(dataSource, "dataSource cannot be null");
	}

	/**
	 * Applies the core changelog ({@link #CORE}).
	 * @throws CredentialException if the database is neither H2 nor PostgreSQL, or a change fails
	 */
	public void update() {
		update(CORE);
	}

	/**
	 * Applies every change set of a changelog that the database lacks.
	 * @param changelog a changelog on the class path, e.g. {@link #CORE}
	 * @throws CredentialException if the database is neither H2 nor PostgreSQL, or a change fails
	 */
	public void update(String changelog) {
		run(changelog, (database) -> new CommandScope(UpdateCommandStep.COMMAND_NAME)
			.addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database)
			.addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG, changelog)
			.setOutput(new ByteArrayOutputStream())
			.execute());
	}

	/**
	 * The SQL that {@link #update(String)} would run on this database, bookkeeping included; only comments when
	 * it is up to date. Nothing is changed.
	 * @param changelog a changelog on the class path, e.g. {@link #CORE}
	 * @return the SQL script
	 * @throws CredentialException if the database is neither H2 nor PostgreSQL, or cannot be read
	 */
	public String updateSql(String changelog) {
		ByteArrayOutputStream sql = new ByteArrayOutputStream();
		run(changelog, (database) -> new CommandScope(UpdateSqlCommandStep.COMMAND_NAME)
			.addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database)
			.addArgumentValue(UpdateSqlCommandStep.CHANGELOG_FILE_ARG, changelog)
			.setOutput(sql)
			.execute());
		return sql.toString(StandardCharsets.UTF_8);
	}

	/**
	 * @return {@code h2} or {@code postgres}, the database's vendor
	 * @throws CredentialException if it is neither
	 */
	String vendor() {
		String product;
		try {
			product = JdbcUtils.extractDatabaseMetaData(this.dataSource, DatabaseMetaData::getDatabaseProductName);
		}
		catch (MetaDataAccessException ex) {
			throw new CredentialException("cannot read the database product name for Keyflow's tables", ex);
		}
		String name = (product != null) ? product.toLowerCase(Locale.ROOT) : "";
		if (name.equals("h2")) {
			return "h2";
		}
		if (name.equals("postgresql")) {
			return "postgres";
		}
		throw new CredentialException("Keyflow's local credential store supports H2 and PostgreSQL, not '" + product
				+ "' (the engine's database)");
	}

	/**
	 * @return what Liquibase runs with: Keyflow's class path, and no anonymous usage analytics
	 */
	static Map<String, Object> scopeValues() {
		return Map.of(Scope.Attr.resourceAccessor.name(),
				new ClassLoaderResourceAccessor(KeyflowSchema.class.getClassLoader()), "liquibase.analytics.enabled",
				Boolean.FALSE);
	}

	@FunctionalInterface
	private interface Command {

		void run(Database database) throws Exception;

	}

	private void run(String changelog, Command command) {
		Objects.requireNonNull(changelog, "changelog cannot be null");
		String vendor = vendor();
		try (Connection connection = this.dataSource.getConnection()) {
			Database database = DatabaseFactory.getInstance()
				.findCorrectDatabaseImplementation(new JdbcConnection(connection));
			database.setDatabaseChangeLogTableName(CHANGELOG_TABLE);
			database.setDatabaseChangeLogLockTableName(CHANGELOG_LOCK_TABLE);
			Scope.child(scopeValues(), () -> command.run(database));
			KeyflowLog.schemaReady(vendor + " (" + changelog + ")");
		}
		catch (SQLException ex) {
			throw new CredentialException("cannot connect to the engine's database to update Keyflow's tables", ex);
		}
		catch (Exception ex) {
			throw new CredentialException("cannot bring Keyflow's tables up to date with " + changelog + ": "
					+ ex.getMessage(), ex);
		}
	}

}
