package io.keyflow.plugin.internal.store;

import java.sql.DatabaseMetaData;
import java.util.Locale;
import java.util.Objects;

import javax.sql.DataSource;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.jdbc.datasource.init.ScriptException;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;

import io.keyflow.api.CredentialException;

/**
 * Creates Keyflow's tables in the engine's database when they are missing, Camunda-style: one idempotent
 * create script per vendor under {@code io/keyflow/db/create/}. Supported: H2 and PostgreSQL.
 */
public final class KeyflowSchema {

	static final String SCRIPT_LOCATION = "io/keyflow/db/create/keyflow.%s.create.sql";

	/** OAuth2 connections: client registrations and flows in progress. */
	static final String OAUTH2_SCRIPT_LOCATION = "io/keyflow/db/create/keyflow-oauth2.%s.create.sql";

	/** REST API: API keys and the audit trail. */
	static final String REST_SCRIPT_LOCATION = "io/keyflow/db/create/keyflow-rest.%s.create.sql";

	private final DataSource dataSource;

	/**
	 * @param dataSource the engine's data source
	 */
	public KeyflowSchema(DataSource dataSource) {
		this.dataSource = Objects.requireNonNull(dataSource, "dataSource cannot be null");
	}

	/**
	 * Runs the create scripts of the database's vendor; a no-op when the tables exist.
	 * @throws CredentialException if the database is neither H2 nor PostgreSQL
	 * @throws ScriptException if the script fails
	 */
	public void createIfMissing() {
		String vendor = vendor();
		ResourceDatabasePopulator populator = new ResourceDatabasePopulator(
				new ClassPathResource(String.format(SCRIPT_LOCATION, vendor)),
				new ClassPathResource(String.format(OAUTH2_SCRIPT_LOCATION, vendor)),
				new ClassPathResource(String.format(REST_SCRIPT_LOCATION, vendor)));
		try {
			populator.execute(this.dataSource);
		}
		catch (ScriptException ex) {
			// two nodes starting at once can both pass "if not exists" on PostgreSQL (a unique violation in
			// its catalog); by the second run the other node has finished, and a real problem fails again
			populator.execute(this.dataSource);
		}
	}

	/**
	 * @return {@code h2} or {@code postgres}, the script name of the database's vendor
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

}
