package io.keyflow.plugin;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.AbstractDataSource;

import io.keyflow.api.CredentialException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class KeyflowSchemaIntegrationTests {

	@Test
	void updateWhenRunTwiceThenTableAndIndexesOnce() {
		DataSource dataSource = io.keyflow.plugin.internal.store.TestDatabase.h2WithSchema();
		try {
			new KeyflowSchema(dataSource).update();
			JdbcTemplate sql = new JdbcTemplate(dataSource);
			assertThat(sql.queryForList("select INDEX_NAME from INFORMATION_SCHEMA.INDEXES "
					+ "where TABLE_NAME = 'KEYFLOW_CREDENTIAL' order by INDEX_NAME", String.class))
				.contains("KEYFLOW_IX_CRED_KEY_ID", "KEYFLOW_IX_CRED_PROVIDER", "KEYFLOW_UX_CRED_KEY",
						"KEYFLOW_UX_CRED_PRINCIPAL")
				.doesNotHaveDuplicates();
			assertThat(new KeyflowSchema(dataSource).vendor()).isEqualTo("h2");
		}
		finally {
			io.keyflow.plugin.internal.store.TestDatabase.shutdown(dataSource);
		}
	}

	@Test
	void updateWhenUnsupportedDatabaseThenNamesIt() {
		assertThatExceptionOfType(CredentialException.class)
			.isThrownBy(() -> new KeyflowSchema(mockDataSourceReporting("Oracle")).update())
			.withMessage("Keyflow's local credential store supports H2 and PostgreSQL, not 'Oracle' (the engine's "
					+ "database)");
	}

	@Test
	void updateWhenLiquibaseRunsThenItsAnonymousAnalyticsAreOff() throws Exception {
		boolean[] enabled = { true };
		liquibase.Scope.child(KeyflowSchema.scopeValues(),
				() -> enabled[0] = liquibase.analytics.configuration.AnalyticsArgs.ENABLED.getCurrentValue());

		assertThat(enabled[0]).isFalse();
	}

	// a mock, as no Oracle database runs here: only the product name is asked for
	private static DataSource mockDataSourceReporting(String productName) {
		DatabaseMetaData metaData = (DatabaseMetaData) Proxy.newProxyInstance(
				KeyflowSchemaIntegrationTests.class.getClassLoader(), new Class<?>[] { DatabaseMetaData.class },
				(proxy, method, args) -> method.getName().equals("getDatabaseProductName") ? productName
						: defaultValue(method.getReturnType()));
		Connection connection = (Connection) Proxy.newProxyInstance(
				KeyflowSchemaIntegrationTests.class.getClassLoader(), new Class<?>[] { Connection.class },
				(proxy, method, args) -> method.getName().equals("getMetaData") ? metaData
						: defaultValue(method.getReturnType()));
		return new AbstractDataSource() {

			@Override
			public Connection getConnection() {
				return connection;
			}

			@Override
			public Connection getConnection(String username, String password) {
				return connection;
			}

		};
	}

	private static Object defaultValue(Class<?> type) {
		if (type == boolean.class) {
			return false;
		}
		return (type == int.class) ? 0 : null;
	}

}
