package io.keyflow.plugin;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import javax.sql.DataSource;

import io.keyflow.api.Credential;
import io.keyflow.api.CredentialInfo;
import io.keyflow.api.CredentialQuery;
import io.keyflow.api.CredentialStatus;
import io.keyflow.api.CredentialType;
import io.keyflow.api.KeyflowPlugin;
import io.keyflow.api.OAuth2Provider;
import io.keyflow.api.ReauthorizationRequiredException;
import io.keyflow.devserver.DevAuthorizationServer;
import io.keyflow.plugin.internal.store.SettableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Operations end to end: Keyflow's meters and its {@code keyflow} health contributor read over HTTP through Spring
 * Boot Actuator while tasks run, tokens are refreshed by a real OAuth2 server (Spring Authorization Server) and one
 * refresh token is refused ({@code invalid_grant}); the audit trail records every entry point; usage is counted and
 * flushed; retention deletes old events on Keyflow's settable clock. After the last test, every table and the log are
 * scanned for every secret the tests saw, the audit table and the meters included.
 */
@SpringBootTest(classes = { KeyflowTestApplication.class, KeyflowObservabilityIntegrationTests.Config.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=servlet",
				// the OAuth2 dev server puts Spring Security on the classpath; the engine under test has none
				"spring.autoconfigure.exclude=org.springframework.boot.actuate.autoconfigure.security.servlet."
						+ "ManagementWebSecurityAutoConfiguration",
				"management.endpoints.web.exposure.include=health,metrics",
				"management.endpoint.health.show-details=always", "keyflow.audit.record-use=true",
				"keyflow.usage.flush-interval=PT0S", "keyflow.metrics.credential-count-ttl=PT0S",
				"keyflow.metrics.resolution-percentiles=0.5,0.99", "keyflow.oauth2.refresh-margin=PT1M" })
@ExtendWith(LeakScan.class)
class KeyflowObservabilityIntegrationTests {

	static final String REDIRECT_URI = "http://127.0.0.1:8080/keyflow/oauth2/callback";

	static final String CLIENT_SECRET = "observed-secret-" + UUID.randomUUID();

	static final Duration ACCESS_TOKEN_TTL = Duration.ofMinutes(5);

	static final SettableClock CLOCK = new SettableClock(Instant.now());

	static final ObjectMapper JSON = new ObjectMapper();

	static DevAuthorizationServer server;

	static int closedPort;

	LeakScan.Secrets secrets;

	@LocalServerPort
	int port;

	@Autowired
	OAuth2ConnectionService connections;

	@Autowired
	CredentialService credentials;

	@Autowired
	KeyflowEngine keyflow;

	@Autowired
	ProcessEngine processEngine;

	EngineSteps steps;

	@Autowired
	DataSource dataSource;

	final HttpClient http = HttpClient.newHttpClient();

	@DynamicPropertySource
	static void oauth2Properties(DynamicPropertyRegistry registry) throws Exception {
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		server = DevAuthorizationServer.start(DevAuthorizationServer.Options.defaults()
			.client("keyflow", CLIENT_SECRET, REDIRECT_URI)
			.accessTokenTtl(ACCESS_TOKEN_TTL));
		ResourceCallAction.resource = server.resourceEndpoint();
		registry.add("keyflow.oauth2.redirect-uri", () -> REDIRECT_URI);
		for (String provider : List.of("devserver", "devserver-down")) {
			registry.add("keyflow.oauth2.clients." + provider + ".client-id", () -> "keyflow");
			registry.add("keyflow.oauth2.clients." + provider + ".client-secret", () -> CLIENT_SECRET);
		}
	}

	@AfterAll
	static void stop() {
		if (server != null) {
			server.close();
		}
	}

	@BeforeEach
	void secrets(LeakScan.Secrets secrets) {
		this.secrets = secrets;
		secrets.add(CLIENT_SECRET);
		this.steps = new EngineSteps(this.connections, this.keyflow, this.processEngine, secrets, REDIRECT_URI);
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Config {

		@Bean
		SettableClock keyflowClock() {
			return CLOCK;
		}

		@Bean
		KeyflowPlugin devServerProviders() {
			return (context) -> {
				context.registerOAuth2Provider(provider("devserver", server.tokenEndpoint().toString()));
				// nothing listens there: every token request fails to connect
				context.registerOAuth2Provider(provider("devserver-down", "http://127.0.0.1:" + closedPort + "/oauth2/token"));
			};
		}

		private static OAuth2Provider provider(String id, String tokenUrl) {
			return OAuth2Provider.withId(id)
				.name("Dev server " + id)
				.authorizationUrl(server.authorizationEndpoint().toString())
				.tokenUrl(tokenUrl)
				.defaultScopes("read")
				.pkce(true)
				.build();
		}

	}

	@Test
	void actuatorWhenTasksRunTokensRefreshAndARefreshTokenIsRefusedThenMetersAndHealthFollow() throws Exception {
		String principal = "erin-" + UUID.randomUUID();
		double resolved = count("keyflow.resolutions", "outcome:resolved", "store:local");
		double refreshed = count("keyflow.oauth2.refreshes", "outcome:success");
		double refused = count("keyflow.oauth2.refreshes", "outcome:invalid_grant");
		double reauthorizations = count("keyflow.resolutions", "outcome:reauthorization_required", "store:local");
		double refreshRequests = count("keyflow.oauth2.token.requests", "grant:refresh_token", "outcome:success");
		double misses = count("keyflow.cache.lookups", "result:miss");
		CredentialInfo info = connect(principal);
		deploy("bpmn/oauth2-resource.bpmn");

		// two tasks, the second within the lookup cache's TTL
		startAs(principal, "oauth2-resource");
		startAs(principal, "oauth2-resource");
		assertThat(count("keyflow.resolutions", "outcome:resolved", "store:local")).isEqualTo(resolved + 2);
		assertThat(count("keyflow.cache.lookups", "result:miss")).isGreaterThan(misses);
		assertThat(count("keyflow.cache.lookups", "result:hit")).isPositive();
		assertThat(count("keyflow.resolution", "outcome:resolved")).isPositive();
		assertThat(metric("keyflow.resolution.percentile", "phi:0.99")).containsKey("measurements");

		// the token expires: the next task refreshes it at the provider
		CLOCK.advance(ACCESS_TOKEN_TTL);
		startAs(principal, "oauth2-resource");
		assertThat(count("keyflow.oauth2.refreshes", "outcome:success")).isEqualTo(refreshed + 1);
		assertThat(count("keyflow.oauth2.token.requests", "grant:refresh_token", "outcome:success"))
			.isEqualTo(refreshRequests + 1);
		assertThat(statistic(metric("keyflow.oauth2.token.requests", "grant:refresh_token"), "TOTAL_TIME")).isPositive();

		// the provider refuses a spent refresh token: invalid_grant, the credential needs re-authorisation
		double needing = value("keyflow.credentials", "status:NEEDS_REAUTHORIZATION");
		spendRefreshToken(info);
		assertThatThrownBy(() -> startAs(principal, "oauth2-resource"))
			.isInstanceOf(ReauthorizationRequiredException.class);
		assertThat(count("keyflow.oauth2.refreshes", "outcome:invalid_grant")).isEqualTo(refused + 1);
		assertThat(count("keyflow.resolutions", "outcome:reauthorization_required", "store:local"))
			.isEqualTo(reauthorizations + 1);
		assertThat(value("keyflow.credentials", "status:NEEDS_REAUTHORIZATION")).isEqualTo(needing + 1);

		Map<String, Object> health = get("/actuator/health/keyflow");
		assertThat(health).containsEntry("status", "UP");
		@SuppressWarnings("unchecked")
		Map<String, Object> details = (Map<String, Object>) health.get("details");
		assertThat(details).containsEntry("storeReachable", true)
			.containsEntry("keyringMatches", true)
			.containsEntry("primaryKeyId", this.keyflow.primaryKeyId())
			.containsEntry("notUnderPrimaryKey", 0)
			.containsKey("credentialsByKeyId");
		// tag values are bounded: no principal, credential id or key among them
		for (String name : List.of("keyflow.resolutions", "keyflow.resolution", "keyflow.oauth2.refreshes",
				"keyflow.oauth2.token.requests", "keyflow.cache.lookups", "keyflow.credentials")) {
			assertThat(metric(name).toString()).doesNotContain(principal).doesNotContain(info.id());
		}
	}

	@Test
	void healthWhenStoredDataUsesAKeyTheKeyringLacksThenDownNamingTheKeyId() throws Exception {
		CredentialInfo info = this.credentials.save(CredentialDraft.builder(CredentialType.API_KEY)
			.key("HEALTH_" + Long.toHexString(System.nanoTime()).toUpperCase())
			.secret(Credential.API_KEY, this.secrets.fresh("health"))
			.build());
		JdbcTemplate jdbc = new JdbcTemplate(this.dataSource);
		String keyId = jdbc.queryForObject("select KEY_ID_ from KEYFLOW_CREDENTIAL where ID_ = ?", String.class, info.id());
		try {
			jdbc.update("update KEYFLOW_CREDENTIAL set KEY_ID_ = 'gone' where ID_ = ?", info.id());

			Map<String, Object> health = get("/actuator/health/keyflow");

			assertThat(health).containsEntry("status", "DOWN");
			assertThat(health.get("details").toString()).contains("keyringMatches=false").contains("gone")
				.contains("notUnderPrimaryKey=1");
		}
		finally {
			jdbc.update("update KEYFLOW_CREDENTIAL set KEY_ID_ = ? where ID_ = ?", keyId, info.id());
			this.credentials.delete(null, info.id());
		}
		assertThat(get("/actuator/health/keyflow")).containsEntry("status", "UP");
	}

	@Test
	void auditWhenJavaApiTaskRefreshInvalidGrantUseAndReEncryptionThenEachRecordedWithoutASecret() throws Exception {
		String principal = "frank-" + UUID.randomUUID();
		CredentialInfo info = connect(principal);
		deploy("bpmn/oauth2-resource.bpmn");
		ProcessInstance used = startAs(principal, "oauth2-resource");
		CLOCK.advance(ACCESS_TOKEN_TTL);
		startAs(principal, "oauth2-resource");
		this.connections.refresh(null, info.id());
		spendRefreshToken(info);
		assertThatThrownBy(() -> startAs(principal, "oauth2-resource"))
			.isInstanceOf(ReauthorizationRequiredException.class);
		String keyed = this.credentials.save(CredentialDraft.builder(CredentialType.API_KEY)
			.key("AUDITED_" + Long.toHexString(System.nanoTime()).toUpperCase())
			.secret(Credential.API_KEY, this.secrets.fresh("audited"))
			.build()).id();
		this.credentials.delete(null, keyed);
		int moved = this.credentials.reEncryptAll();

		List<String> events = events(info.id());
		// Keyflow's clock stands still between these events: compared as a set
		assertThat(events).contains("credential.create success by keyflow:java for " + principal,
				"credential.use success by keyflow:engine for " + principal,
				"token.refresh success by keyflow:engine for " + principal,
				"token.refresh success by keyflow:java for " + principal,
				"token.refresh failure INVALID_GRANT by keyflow:engine for " + principal,
				"credential.needs-reauthorization success by keyflow:engine for " + principal);
		assertThat(events(keyed)).containsExactlyInAnyOrder("credential.create success by keyflow:java for null",
				"credential.delete success by keyflow:java for null");
		assertThat(new JdbcTemplate(this.dataSource).queryForList("select SUBJECT_ from KEYFLOW_AUDIT where ACTION_ = "
				+ "'credential.use' and CREDENTIAL_ID_ = ?", String.class, info.id()))
			.contains("process oauth2-resource");
		assertThat(new JdbcTemplate(this.dataSource).queryForList("select SUBJECT_ from KEYFLOW_AUDIT where ACTION_ = "
				+ "'keys.re-encrypt' order by AT_ desc", String.class))
			.first()
			.isEqualTo(moved + " rows moved to the primary key");
		assertThat(used.getId()).isNotNull();
	}

	@Test
	void refreshWhenTheTokenEndpointIsUnreachableAtTaskTimeThenTheFailureIsMeteredAndAuditedThoughTheTaskRollsBack()
			throws Exception {
		String key = "DOWN_" + Long.toHexString(System.nanoTime()).toUpperCase();
		CredentialInfo info = this.credentials.save(CredentialDraft.builder(CredentialType.OAUTH2)
			.key(key)
			.provider("devserver-down")
			.expiresAt(CLOCK.instant().minusSeconds(60))
			.secret(Credential.ACCESS_TOKEN, this.secrets.fresh("access-down"))
			.secret(Credential.REFRESH_TOKEN, this.secrets.fresh("refresh-down"))
			.build());
		double unreachable = count("keyflow.oauth2.refreshes", "outcome:invalid_token_response");
		double errors = count("keyflow.resolutions", "outcome:error", "store:local");
		deploy("bpmn/explicit-key.bpmn");

		assertThatThrownBy(() -> this.processEngine.getRuntimeService()
			.startProcessInstanceByKey("explicit-key", Map.of("tenantKey", key)))
			.isInstanceOf(io.keyflow.api.TokenEndpointException.class);

		assertThat(count("keyflow.oauth2.refreshes", "outcome:invalid_token_response")).isEqualTo(unreachable + 1);
		assertThat(count("keyflow.resolutions", "outcome:error", "store:local")).isEqualTo(errors + 1);
		assertThat(count("keyflow.oauth2.token.requests", "grant:refresh_token", "outcome:invalid_token_response"))
			.isPositive();
		assertThat(events(info.id())).contains("token.refresh failure INVALID_TOKEN_RESPONSE by keyflow:engine for null");
	}

	@Test
	void auditWhenTheCallerRecordsChangesThenTheCoreDoesNotRecordThemTwice() {
		String key = "SCOPED_" + Long.toHexString(System.nanoTime()).toUpperCase();
		String id;
		try (KeyflowAudit.Scope scope = this.keyflow.audit().callerRecordsChanges()) {
			id = this.credentials.save(CredentialDraft.builder(CredentialType.API_KEY)
				.key(key)
				.secret(Credential.API_KEY, this.secrets.fresh("scoped"))
				.build()).id();
		}
		this.credentials.delete(null, id);

		assertThat(events(id)).containsExactly("credential.delete success by keyflow:java for null");
	}

	@Test
	void usageWhenTasksUseACredentialThenCountedInMemoryAndWrittenByTheFlush() throws Exception {
		String principal = "gina-" + UUID.randomUUID();
		CredentialInfo info = connect(principal);
		deploy("bpmn/oauth2-resource.bpmn");
		Instant before = CLOCK.instant();
		startAs(principal, "oauth2-resource");
		startAs(principal, "oauth2-resource");
		// not written yet: counted in memory until the flush
		assertThat(this.credentials.get(null, info.id()).orElseThrow().usage().useCount()).isZero();

		assertThat(this.keyflow.flushUsage()).isPositive();

		CredentialInfo used = this.credentials.get(null, info.id()).orElseThrow();
		assertThat(used.usage().useCount()).isEqualTo(2);
		assertThat(used.usage().lastUsedAt()).isEqualTo(CLOCK.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS));
		assertThat(used.usage().lastProcessDefinitionKey()).isEqualTo("oauth2-resource");
		CredentialQuery query = new CredentialQuery(null, principal, "devserver", null, null, 0, 10);
		assertThat(this.credentials.list(query, before, null)).extracting(CredentialInfo::id).containsExactly(info.id());
		assertThat(this.credentials.list(query, null, before)).isEmpty();
		CLOCK.advance(Duration.ofDays(30));
		assertThat(this.credentials.list(query, null, CLOCK.instant().minus(Duration.ofDays(7))))
			.extracting(CredentialInfo::id)
			.containsExactly(info.id());
		startAs(principal, "oauth2-resource");
		this.keyflow.flushUsage();
		assertThat(this.credentials.get(null, info.id()).orElseThrow().usage().useCount()).isEqualTo(3);
	}

	@Test
	void retentionWhenEventsAreOlderThanItThenDeletedOnKeyflowsClockAndNewerOnesKept() {
		KeyflowAudit audit = this.keyflow.audit();
		String old = audit.record(AuditRecord.of("test.retention", "retention-test").subject("old")).id();
		CLOCK.advance(Duration.ofDays(10));
		String recent = audit.record(AuditRecord.of("test.retention", "retention-test").subject("recent")).id();

		int deleted = audit.deleteOlderThan(Duration.ofDays(7));

		assertThat(deleted).isPositive();
		JdbcTemplate jdbc = new JdbcTemplate(this.dataSource);
		assertThat(jdbc.queryForList("select ID_ from KEYFLOW_AUDIT where ACTOR_ID_ = 'retention-test'", String.class))
			.containsExactly(recent)
			.doesNotContain(old);
		assertThat(jdbc.queryForObject("select count(*) from KEYFLOW_AUDIT where AT_ < ?", Long.class,
				java.sql.Timestamp.valueOf(java.time.LocalDateTime.ofInstant(CLOCK.instant().minus(Duration.ofDays(7)),
						java.time.ZoneOffset.UTC))))
			.isZero();
	}

	// action outcome [code] by actor for onBehalfOf
	private List<String> events(String credentialId) {
		return new JdbcTemplate(this.dataSource).query("select * from KEYFLOW_AUDIT where CREDENTIAL_ID_ = ?", (rs, row) -> rs.getString(
						"ACTION_") + " " + rs.getString("OUTCOME_")
						+ ((rs.getString("ERROR_CODE_") != null) ? " " + rs.getString("ERROR_CODE_") : "") + " by "
						+ rs.getString("ACTOR_ID_") + " for " + rs.getString("ON_BEHALF_OF_"),
				credentialId);
	}

	// as if a node had lost a rotation: the spent refresh token back in the row, the access token expired
	private void spendRefreshToken(CredentialInfo info) {
		Credential original = load(info);
		this.connections.refresh(null, info.id());
		Credential rotated = load(info);
		this.secrets.add(rotated.accessToken());
		this.secrets.add(rotated.refreshToken());
		this.keyflow.localStore()
			.save(Credential.of(rotated.info().toBuilder().expiresAt(CLOCK.instant().minusSeconds(1)).build(),
					original.secrets()));
	}

	private CredentialInfo connect(String principal) throws Exception {
		return this.steps.connect(OAuth2ConnectionRequest.provider("devserver").principalId(principal).build());
	}

	private Credential load(CredentialInfo info) {
		Credential credential = this.steps.load(info);
		this.secrets.add(credential.accessToken());
		return credential;
	}

	private void deploy(String resource) {
		this.steps.deploy(resource);
	}

	private ProcessInstance startAs(String user, String processKey) {
		return this.steps.startAs(user, processKey);
	}

	private double count(String name, String... tags) throws Exception {
		return statistic(metric(name, tags), "COUNT");
	}

	private double value(String name, String... tags) throws Exception {
		return statistic(metric(name, tags), "VALUE");
	}

	private static double statistic(Map<String, Object> metric, String statistic) {
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> measurements = (List<Map<String, Object>>) metric.getOrDefault("measurements",
				List.of());
		return measurements.stream()
			.filter((measurement) -> statistic.equals(measurement.get("statistic")))
			.mapToDouble((measurement) -> ((Number) measurement.get("value")).doubleValue())
			.findFirst()
			.orElse(0);
	}

	// a meter not registered yet answers 404: no measurement
	private Map<String, Object> metric(String name, String... tags) throws Exception {
		StringBuilder path = new StringBuilder("/actuator/metrics/").append(name);
		for (int i = 0; i < tags.length; i++) {
			path.append((i == 0) ? "?" : "&").append("tag=").append(tags[i]);
		}
		return get(path.toString());
	}

	private Map<String, Object> get(String path) throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() == 404) {
			return Map.of();
		}
		assertThat(response.statusCode()).as(path + ": " + response.body()).isIn(200, 503);
		return JSON.readValue(response.body(), new TypeReference<Map<String, Object>>() {
		});
	}

}
