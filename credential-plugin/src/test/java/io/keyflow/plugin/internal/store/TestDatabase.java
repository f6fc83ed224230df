package io.keyflow.plugin.internal.store;

import java.util.UUID;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * A fresh, real in-memory H2 database per test, with Keyflow's tables created by {@link KeyflowSchema}.
 */
public final class TestDatabase {

	private TestDatabase() {
	}

	/**
	 * @return a data source on a new, empty H2 database with Keyflow's tables
	 */
	public static DataSource h2WithSchema() {
		DataSource dataSource = new SimpleDriverDataSource(new org.h2.Driver(),
				"jdbc:h2:mem:keyflow-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
		new io.keyflow.plugin.KeyflowSchema(dataSource).update();
		return dataSource;
	}

	/**
	 * @param dataSource a data source made by {@link #h2WithSchema()}; its database is dropped
	 */
	public static void shutdown(DataSource dataSource) {
		new JdbcTemplate(dataSource).execute("shutdown");
	}

}
