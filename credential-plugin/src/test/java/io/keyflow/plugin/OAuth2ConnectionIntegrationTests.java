package io.keyflow.plugin;

import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import io.keyflow.api.Credential;
import io.keyflow.api.CredentialInfo;
import io.keyflow.api.CredentialQuery;
import io.keyflow.api.CredentialStatus;
import io.keyflow.api.CredentialType;
import io.keyflow.api.InvalidCredentialException;
import io.keyflow.api.KeyflowPlugin;
import io.keyflow.api.OAuth2Provider;
import io.keyflow.api.OAuthStateException;
import io.keyflow.api.ReauthorizationRequiredException;
import io.keyflow.api.TokenEndpointAuthMethod;
import io.keyflow.api.TokenEndpointException;
import io.keyflow.devserver.DevAuthorizationServer;
import io.keyflow.plugin.internal.store.SettableClock;
import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.oauth2.client.endpoint.OAuth2AuthorizationCodeGrantRequest;
import org.springframework.security.oauth2.client.endpoint.RestClientAuthorizationCodeTokenResponseClient;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationExchange;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationResponse;
import org.springframework.security.oauth2.core.endpoint.PkceParameterNames;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * OAuth2 connections end to end: a real Camunda engine (H2), Spring Authorization Server on a random port
 * (confidential clients, PKCE required, refresh tokens rotated, 5-minute access tokens) and a browser login over
 * HTTP. Keyflow's clock is a settable clock: moving it past an access token's lifetime makes Keyflow refresh.
 * After the last test, every table and the captured log are scanned for every secret the tests saw ({@link LeakScan}).
 */
@SpringBootTest(classes = { KeyflowTestApplication.class, OAuth2ConnectionIntegrationTests.Config.class },
		properties = "spring.datasource.hikari.maximum-pool-size=64")
@ExtendWith(LeakScan.class)
class OAuth2ConnectionIntegrationTests {

	static final String REDIRECT_URI = "http://127.0.0.1:8080/keyflow/oauth2/callback";

	static final String CLIENT_SECRET = "configured-secret-" + UUID.randomUUID();

	static final String GIVEN_CLIENT_SECRET = "given-secret-" + UUID.randomUUID();

	static final Duration ACCESS_TOKEN_TTL = Duration.ofMinutes(5);

	static final SettableClock CLOCK = new SettableClock(Instant.now());

	static DevAuthorizationServer server;

	static int closedPort;

	LeakScan.Secrets secrets;

	EngineSteps steps;

	@Autowired
	org.camunda.bpm.engine.ProcessEngine processEngine;

	@Autowired
	OAuth2ConnectionService connections;

	@Autowired
	CredentialService credentials;

	@Autowired
	KeyflowEngine keyflow;

	@Autowired
	RuntimeService runtimeService;

	@Autowired
	RepositoryService repositoryService;

	@Autowired
	ManagementService managementService;

	@Autowired
	IdentityService identityService;

	@Autowired
	ExternalTaskService externalTaskService;

	@Autowired
	ExternalTaskCredentialService externalTaskCredentials;

	@Autowired
	DataSource dataSource;

	@DynamicPropertySource
	static void oauth2Properties(DynamicPropertyRegistry registry) throws Exception {
		server = DevAuthorizationServer.start(DevAuthorizationServer.Options.defaults()
			.client("keyflow", CLIENT_SECRET, REDIRECT_URI)
			.client("keyflow-given", GIVEN_CLIENT_SECRET, REDIRECT_URI)
			.accessTokenTtl(ACCESS_TOKEN_TTL));
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		ResourceCallAction.resource = server.resourceEndpoint();
		registry.add("keyflow.oauth2.redirect-uri", () -> REDIRECT_URI);
		registry.add("keyflow.oauth2.refresh-margin", () -> "PT1M");
		for (String provider : List.of("devserver", "devserver-post", "devserver-down")) {
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
	void secretsAndReset(LeakScan.Secrets secrets) {
		this.secrets = secrets;
		this.steps = new EngineSteps(this.connections, this.keyflow, this.processEngine, secrets, REDIRECT_URI);
		secrets.add(CLIENT_SECRET);
		secrets.add(GIVEN_CLIENT_SECRET);
		RecordingActions.reset();
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
				context.registerOAuth2Provider(provider("devserver", TokenEndpointAuthMethod.CLIENT_SECRET_BASIC,
						server.tokenEndpoint().toString()));
				context.registerOAuth2Provider(provider("devserver-post", TokenEndpointAuthMethod.CLIENT_SECRET_POST,
						server.tokenEndpoint().toString()));
				context.registerOAuth2Provider(provider("devserver-down", TokenEndpointAuthMethod.CLIENT_SECRET_BASIC,
						"http://127.0.0.1:" + closedPort + "/oauth2/token"));
			};
		}

		private static OAuth2Provider provider(String id, TokenEndpointAuthMethod method, String tokenUrl) {
			return OAuth2Provider.withId(id)
				.name("Dev server " + id)
				.authorizationUrl(server.authorizationEndpoint().toString())
				.tokenUrl(tokenUrl)
				.defaultScopes("read")
				.tokenEndpointAuthMethod(method)
				.pkce(true)
				.build();
		}

	}

	@Test
	void callbackWhenUserLoggedInThenCredentialStoredAndWorkflowCallsResource() throws Exception {
		int codeRequests = server.tokenRequests("authorization_code");

		CredentialInfo info = connect(OAuth2ConnectionRequest.provider("devserver").principalId("alice").scopes("read", "profile").build());

		assertThat(info.type()).isEqualTo(CredentialType.OAUTH2);
		assertThat(info.provider()).isEqualTo("devserver");
		assertThat(info.principalId()).isEqualTo("alice");
		assertThat(info.scopes()).containsExactlyInAnyOrder("read", "profile");
		// expires_in is whole seconds: up to one second short of the server's lifetime
		assertThat(info.expiresAt()).isBetween(CLOCK.instant().plus(ACCESS_TOKEN_TTL).minusSeconds(2),
				CLOCK.instant().plus(ACCESS_TOKEN_TTL));
		assertThat(info.metadata()).containsEntry("clientId", "keyflow").doesNotContainKey("clientRef");
		Credential stored = load(info);
		assertThat(stored.refreshToken()).isNotNull();
		assertThat(server.tokenRequests("authorization_code")).isEqualTo(codeRequests + 1);

		deploy("bpmn/oauth2-resource.bpmn");
		ProcessInstance instance = startAs("alice", "oauth2-resource");
		assertThat(ResourceCallAction.STATUS).containsEntry(instance.getId(), 200);
	}

	@Test
	void callbackWhenStateUnknownReplayedOrExpiredThenRejectedAndNothingStored() throws Exception {
		assertThatThrownBy(() -> this.connections.callback("some-code", "no-such-state"))
			.isInstanceOf(OAuthStateException.class)
			.hasMessage("unknown or already used OAuth2 state; a state is valid once. Start the connection again");
		assertThatThrownBy(() -> this.connections.callback("some-code", null)).isInstanceOf(OAuthStateException.class);

		// replayed: the first callback succeeds, the same code and state again are refused before any exchange
		AuthorizationStart start = this.connections.start(OAuth2ConnectionRequest.provider("devserver").key("REPLAYED").build());
		Map<String, String> redirect = login(start);
		this.connections.callback(redirect.get("code"), redirect.get("state"));
		int codeRequests = server.tokenRequests("authorization_code");
		assertThatThrownBy(() -> this.connections.callback(redirect.get("code"), redirect.get("state")))
			.isInstanceOf(OAuthStateException.class)
			.extracting((ex) -> ((OAuthStateException) ex).getCode())
			.isEqualTo("OAUTH_STATE_INVALID");
		assertThat(server.tokenRequests("authorization_code")).isEqualTo(codeRequests);

		// expired: the flow lives 10 minutes on Keyflow's clock
		AuthorizationStart late = this.connections.start(OAuth2ConnectionRequest.provider("devserver").key("TOO_LATE").build());
		Map<String, String> lateRedirect = login(late);
		CLOCK.advance(Duration.ofMinutes(10).plusSeconds(1));
		assertThatThrownBy(() -> this.connections.callback(lateRedirect.get("code"), lateRedirect.get("state")))
			.isInstanceOf(OAuthStateException.class)
			.hasMessageContaining("expired");
		assertThat(server.tokenRequests("authorization_code")).isEqualTo(codeRequests);
		assertThat(this.credentials.list(new CredentialQuery(null, null, null, null, "TOO_LATE", 0, 1))).isEmpty();
		assertThat(start.toString()).doesNotContain(start.state());
	}

	@Test
	void callbackWhenFlowOfAnotherTenantThenRejectedLikeAnUnknownStateAndNothingStored() throws Exception {
		AuthorizationStart start = this.connections.start(OAuth2ConnectionRequest.provider("devserver")
			.key("OTHER_TENANTS")
			.tenantId("tenant-a")
			.build());
		Map<String, String> redirect = login(start);
		int codeRequests = server.tokenRequests("authorization_code");

		assertThatThrownBy(() -> this.connections.callback(redirect.get("code"), redirect.get("state"),
				(tenant) -> "tenant-b".equals(tenant)))
			.isInstanceOf(OAuthStateException.class)
			.hasMessage("unknown or already used OAuth2 state; a state is valid once. Start the connection again");
		assertThat(server.tokenRequests("authorization_code")).isEqualTo(codeRequests);
		assertThat(this.credentials.list(new CredentialQuery("tenant-a", null, null, null, "OTHER_TENANTS", 0, 1)))
			.isEmpty();
	}

	@Test
	void tokenRequestWhenPkceVerifierTamperedThenServerRejectsIt() throws Exception {
		AuthorizationStart start = this.connections.start(OAuth2ConnectionRequest.provider("devserver").key("TAMPERED").build());
		Map<String, String> redirect = login(start);
		String challenge = org.springframework.web.util.UriComponentsBuilder.fromUri(start.authorizationUrl())
			.build()
			.getQueryParams()
			.getFirst("code_challenge");
		assertThat(org.springframework.web.util.UriComponentsBuilder.fromUri(start.authorizationUrl()).build().getQueryParams().getFirst("code_challenge_method")).isEqualTo("S256");
		ClientRegistration registration = ClientRegistration.withRegistrationId("devserver")
			.clientId("keyflow")
			.clientSecret(CLIENT_SECRET)
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.redirectUri(REDIRECT_URI)
			.authorizationUri(server.authorizationEndpoint().toString())
			.tokenUri(server.tokenEndpoint().toString())
			.build();
		OAuth2AuthorizationRequest request = OAuth2AuthorizationRequest.authorizationCode()
			.authorizationUri(server.authorizationEndpoint().toString())
			.clientId("keyflow")
			.redirectUri(REDIRECT_URI)
			.state(redirect.get("state"))
			.additionalParameters(Map.of(PkceParameterNames.CODE_CHALLENGE, challenge))
			.attributes(Map.of(PkceParameterNames.CODE_VERIFIER, "tampered-" + "x".repeat(40)))
			.build();
		OAuth2AuthorizationResponse response = OAuth2AuthorizationResponse.success(redirect.get("code"))
			.redirectUri(REDIRECT_URI)
			.state(redirect.get("state"))
			.build();

		assertThatThrownBy(() -> new RestClientAuthorizationCodeTokenResponseClient().getTokenResponse(
				new OAuth2AuthorizationCodeGrantRequest(registration, new OAuth2AuthorizationExchange(request, response))))
			.isInstanceOf(OAuth2AuthorizationException.class)
			.extracting((ex) -> ((OAuth2AuthorizationException) ex).getError().getErrorCode())
			.isEqualTo("invalid_grant");
	}

	@Test
	void resolveWhenTokenExpiresThenRefreshRotatesAndWorkflowKeepsWorkingPastSeveralLifetimes() throws Exception {
		CredentialInfo info = connect(OAuth2ConnectionRequest.provider("devserver").principalId("bob").build());
		deploy("bpmn/oauth2-resource.bpmn");
		Set<String> refreshTokens = new java.util.HashSet<>();
		refreshTokens.add(load(info).refreshToken());
		int refreshes = server.tokenRequests("refresh_token");
		// other tests refuse refresh tokens on purpose: count this test's errors only
		int errors = server.tokenErrors("refresh_token");
		long generation = generation();

		for (int lifetime = 1; lifetime <= 4; lifetime++) {
			CLOCK.advance(ACCESS_TOKEN_TTL);
			ProcessInstance instance = startAs("bob", "oauth2-resource");
			assertThat(ResourceCallAction.STATUS).containsEntry(instance.getId(), 200);
			refreshTokens.add(load(info).refreshToken());
		}

		assertThat(refreshTokens).hasSize(5);
		assertThat(server.tokenRequests("refresh_token")).isEqualTo(refreshes + 4);
		assertThat(server.tokenErrors("refresh_token") - errors).isZero();
		assertThat(load(info).expiresAt()).isAfter(CLOCK.instant());
		assertThat(generation()).as("each refreshed token is a write other nodes' lookup caches see")
			.isGreaterThanOrEqualTo(generation + 4);
	}

	private long generation() {
		return ((io.keyflow.plugin.internal.store.JdbcCredentialStore) this.keyflow.localStore()).generation();
	}

	@Test
	void resolveWhen50ThreadsAndTokenExpiringThenExactlyOneRefreshRequest() throws Exception {
		connect(OAuth2ConnectionRequest.provider("devserver").principalId("carol").build());
		deploy("bpmn/oauth2-resource.bpmn");
		CLOCK.advance(ACCESS_TOKEN_TTL);
		int refreshes = server.tokenRequests("refresh_token");
		ExecutorService pool = Executors.newFixedThreadPool(50);
		CountDownLatch go = new CountDownLatch(1);
		List<Future<ProcessInstance>> started = new ArrayList<>();
		try {
			for (int i = 0; i < 50; i++) {
				started.add(pool.submit(() -> {
					go.await();
					return startAs("carol", "oauth2-resource");
				}));
			}
			go.countDown();
			for (Future<ProcessInstance> instance : started) {
				assertThat(ResourceCallAction.STATUS).containsEntry(instance.get().getId(), 200);
			}
		}
		finally {
			pool.shutdownNow();
		}

		int measured = server.tokenRequests("refresh_token") - refreshes;
		System.out.println("KEYFLOW-TEST 50 threads: refresh_token requests at the server = " + measured);
		assertThat(measured).isEqualTo(1);
	}

	@Test
	void exchangeWhenAnExternalTasksTokenExpiresThenConcurrentExchangesShareOneRefresh() throws Exception {
		CredentialInfo info = connect(OAuth2ConnectionRequest.provider("devserver").principalId("erin").build());
		String before = load(info).accessToken();
		deploy("bpmn/external-oauth2.bpmn");
		startAs("erin", "external-oauth2");
		String taskId = this.externalTaskService.fetchAndLock(1, "worker-1")
			// this test's topic: only its instance waits there
			.topic("keyflow-external-oauth2", 60_000)
			.execute()
			.get(0)
			.getId();
		CLOCK.advance(ACCESS_TOKEN_TTL);
		int refreshes = server.tokenRequests("refresh_token");
		ExecutorService pool = Executors.newFixedThreadPool(10);
		CountDownLatch go = new CountDownLatch(1);
		List<Future<ExternalTaskCredential>> exchanged = new ArrayList<>();
		try {
			for (int i = 0; i < 10; i++) {
				exchanged.add(pool.submit(() -> {
					go.await();
					return this.externalTaskCredentials.exchange(taskId, "worker-1");
				}));
			}
			go.countDown();
			Set<String> tokens = new java.util.HashSet<>();
			for (Future<ExternalTaskCredential> credential : exchanged) {
				tokens.add(this.secrets.add(credential.get().credential().accessToken()));
				assertThat(credential.get().credential().principalId()).isEqualTo("erin");
			}
			assertThat(tokens).hasSize(1).doesNotContain(before);
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(server.tokenRequests("refresh_token")).isEqualTo(refreshes + 1);
		this.secrets.add(load(info).refreshToken());
		assertThat(load(info).expiresAt()).isAfter(CLOCK.instant());
	}

	@Test
	void jobWhenRefreshTokenRefusedThenNeedsReauthorizationAndClearIncident() throws Exception {
		// no tenant default for devserver may stand in for dave's credential once it is marked
		this.credentials.list(new CredentialQuery(null, null, "devserver", null, null, 0, 500))
			.stream()
			.filter((candidate) -> candidate.principalId() == null)
			.forEach((candidate) -> this.credentials.delete(null, candidate.id()));
		CredentialInfo info = connect(OAuth2ConnectionRequest.provider("devserver").principalId("dave").key("DAVE_DEVSERVER").build());
		Credential original = load(info);
		// rotate once: the original refresh token is now spent
		this.connections.refresh(null, info.id());
		Credential rotated = load(info);
		assertThat(rotated.refreshToken()).isNotEqualTo(original.refreshToken());
		this.secrets.add(rotated.accessToken());
		this.secrets.add(rotated.refreshToken());
		// as if a node had lost the rotation: the spent token back in the row, the access token expired
		this.keyflow.localStore().save(Credential.of(rotated.info().toBuilder().expiresAt(CLOCK.instant().minusSeconds(1)).build(),
				original.secrets()));
		deploy("bpmn/oauth2-resource-async.bpmn");
		ProcessInstance instance = startAs("dave", "oauth2-resource-async");
		int invalidGrants = server.tokenErrors("refresh_token", "invalid_grant");
		long generation = generation();

		for (int attempt = 0; attempt < 3; attempt++) {
			Job job = this.managementService.createJobQuery().processInstanceId(instance.getId()).singleResult();
			assertThatThrownBy(() -> this.managementService.executeJob(job.getId()))
				.hasMessageContaining("DAVE_DEVSERVER")
				.hasMessageContaining("needs re-authorisation")
				.hasMessageContaining("connect the account again".substring(1));
		}

		assertThat(server.tokenErrors("refresh_token", "invalid_grant")).isEqualTo(invalidGrants + 1);
		assertThat(this.credentials.get(null, info.id()).orElseThrow().status()).isEqualTo(CredentialStatus.NEEDS_REAUTHORIZATION);
		assertThat(generation()).as("the status switch is a write other nodes' lookup caches see").isGreaterThan(generation);
		Incident incident = this.runtimeService.createIncidentQuery().processInstanceId(instance.getId()).singleResult();
		assertThat(incident.getIncidentType()).isEqualTo(Incident.FAILED_JOB_HANDLER_TYPE);
		assertThat(incident.getIncidentMessage()).contains("DAVE_DEVSERVER").contains("needs re-authorisation");
		assertThat(ResourceCallAction.STATUS).doesNotContainKey(instance.getId());
		assertThatThrownBy(() -> this.connections.refresh(null, info.id())).isInstanceOf(ReauthorizationRequiredException.class);

		// the failure raised a credential request for re-authorisation, linked to the failed job
		String jobId = this.managementService.createJobQuery().processInstanceId(instance.getId()).singleResult().getId();
		CredentialRequest request = this.keyflow.credentialRequests()
			.list(null, CredentialRequest.Status.OPEN, "dave", null, 0, 100)
			.stream()
			.filter((candidate) -> info.id().equals(candidate.credentialId()))
			.findFirst()
			.orElseThrow();
		assertThat(request.kind()).isEqualTo(CredentialRequest.Kind.REAUTHORIZE);
		assertThat(request.provider()).isEqualTo("devserver");
		assertThat(request.jobIds()).containsExactly(jobId);
		assertThat(incident.getIncidentMessage()).contains("Keyflow credential request " + request.id());

		// connecting the account again makes it usable, fulfils the request and resumes the job by itself
		connect(OAuth2ConnectionRequest.provider("devserver").principalId("dave").key("DAVE_DEVSERVER").build());
		assertThat(this.credentials.get(null, info.id()).orElseThrow().status()).isEqualTo(CredentialStatus.ACTIVE);
		assertThat(this.keyflow.credentialRequests().get(request.id()).orElseThrow().status())
			.isEqualTo(CredentialRequest.Status.FULFILLED);
		assertThat(this.runtimeService.createIncidentQuery().processInstanceId(instance.getId()).count()).isZero();
		this.managementService.executeJob(jobId);
		assertThat(ResourceCallAction.STATUS).containsEntry(instance.getId(), 200);
	}

	@Test
	void refreshWhenTokenEndpointDownThenRetryableFailureAndCredentialUnchanged() {
		String refreshToken = "refresh-down-" + UUID.randomUUID();
		this.secrets.add(refreshToken);
		CredentialInfo info = this.credentials.save(CredentialDraft.builder(CredentialType.OAUTH2)
			.key("DOWN")
			.provider("devserver-down")
			.expiresAt(CLOCK.instant().minusSeconds(60))
			.secret(Credential.ACCESS_TOKEN, "access-down-" + UUID.randomUUID())
			.secret(Credential.REFRESH_TOKEN, refreshToken)
			.build());
		Credential before = load(info);
		this.secrets.add(before.accessToken());

		assertThatThrownBy(() -> this.connections.refresh(null, info.id())).isInstanceOf(TokenEndpointException.class)
			.hasMessageContaining("OAuth2 credential DOWN")
			.hasMessageContaining("could not be reached")
			.extracting((ex) -> ((TokenEndpointException) ex).getErrorCode())
			.isEqualTo("invalid_token_response");

		Credential after = load(info);
		assertThat(after.secrets()).isEqualTo(before.secrets());
		assertThat(after.info()).isEqualTo(before.info());
	}

	@Test
	void connectWithTokensWhenRefreshTokenValidThenRefreshedTokensStoredElseNothingStored() throws Exception {
		CredentialInfo source = connect(OAuth2ConnectionRequest.provider("devserver").principalId("erin").build());
		Credential tokens = load(source);
		this.credentials.delete(null, source.id());
		int refreshes = server.tokenRequests("refresh_token");

		CredentialInfo pasted = this.connections.connectWithTokens(OAuth2ConnectionRequest.provider("devserver").key("PASTED").build(),
				tokens.accessToken(), tokens.refreshToken(), null);

		assertThat(server.tokenRequests("refresh_token")).isEqualTo(refreshes + 1);
		Credential stored = load(pasted);
		this.secrets.add(stored.accessToken());
		this.secrets.add(stored.refreshToken());
		assertThat(stored.refreshToken()).isNotEqualTo(tokens.refreshToken());
		assertThat(stored.expiresAt()).isNotNull();

		String bogus = "bogus-refresh-" + UUID.randomUUID();
		this.secrets.add(bogus);
		assertThatThrownBy(() -> this.connections.connectWithTokens(
				OAuth2ConnectionRequest.provider("devserver").key("PASTED_BAD").build(), "bogus-access", bogus, null))
			.isInstanceOf(InvalidCredentialException.class)
			.hasMessage("provider 'devserver' refused the refresh token (invalid_grant: revoked, expired or already used); nothing was stored")
			.extracting((ex) -> ((InvalidCredentialException) ex).getField())
			.isEqualTo("refreshToken");
		assertThat(this.credentials.list(new CredentialQuery(null, null, null, null, "PASTED_BAD", 0, 1))).isEmpty();
	}

	@Test
	void callbackWhenClientGivenInStartCallThenSecretStoredEncryptedAndUsedForRefresh() throws Exception {
		CredentialInfo info = connect(OAuth2ConnectionRequest.provider("devserver")
			.client("keyflow-given", GIVEN_CLIENT_SECRET)
			.key("GIVEN_CLIENT")
			.build());

		assertThat(info.metadata()).containsEntry("clientId", "keyflow-given").containsKey("clientRef");
		CredentialInfo refreshed = this.connections.refresh(null, info.id());
		Credential stored = load(refreshed);
		this.secrets.add(stored.accessToken());
		this.secrets.add(stored.refreshToken());
		assertThat(new org.springframework.jdbc.core.JdbcTemplate(this.dataSource)
			.queryForObject("select count(*) from KEYFLOW_OAUTH2_CLIENT where CLIENT_ID_ = 'keyflow-given'", Integer.class))
			.isEqualTo(1);
	}

	@Test
	void resolveWhenClientCredentialsTokenCachedThenReusedUntilExpiryMinusMargin() {
		int before = server.tokenRequests("client_credentials");
		CredentialInfo info = this.connections.connectClientCredentials(OAuth2ConnectionRequest.provider("devserver-post")
			.key("MACHINE")
			.scopes("read")
			.build());
		assertThat(server.tokenRequests("client_credentials")).isEqualTo(before + 1);
		assertThat(info.metadata()).containsEntry(Credential.GRANT_TYPE_METADATA, Credential.GRANT_CLIENT_CREDENTIALS);
		String first = load(info).accessToken();
		this.secrets.add(first);
		deploy("bpmn/oauth2-machine.bpmn");

		this.runtimeService.startProcessInstanceByKey("oauth2-machine");
		assertThat(RecordingActions.SEEN).containsEntry("useMachine", first);
		assertThat(server.tokenRequests("client_credentials")).isEqualTo(before + 1);

		CLOCK.advance(ACCESS_TOKEN_TTL.minusMinutes(1).plusSeconds(1));
		this.runtimeService.startProcessInstanceByKey("oauth2-machine");
		String second = load(info).accessToken();
		this.secrets.add(second);
		assertThat(second).isNotEqualTo(first);
		assertThat(RecordingActions.SEEN).containsEntry("useMachine", second);
		assertThat(server.tokenRequests("client_credentials")).isEqualTo(before + 2);
	}

	@Test
	void startWhenFlowPendingThenItIsInTheTableForTheLeakScan() throws Exception {
		// a flow in progress is scanned after the last test too: its state and verifier must not be readable there
		AuthorizationStart pending = this.connections.start(OAuth2ConnectionRequest.provider("devserver").key("PENDING").build());
		this.secrets.add(pending.state());

		assertThat(LeakScanner.tableNames(this.dataSource)).contains("KEYFLOW_OAUTH2_FLOW", "KEYFLOW_OAUTH2_CLIENT");
		assertThat(new org.springframework.jdbc.core.JdbcTemplate(this.dataSource)
			.queryForObject("select count(*) from KEYFLOW_OAUTH2_FLOW", Integer.class)).isPositive();
	}

	private CredentialInfo connect(OAuth2ConnectionRequest request) throws Exception {
		return this.steps.connect(request);
	}

	private Map<String, String> login(AuthorizationStart start) throws Exception {
		return this.steps.login(start);
	}

	private Credential load(CredentialInfo info) {
		return this.steps.load(info);
	}

	private void deploy(String resource) {
		this.steps.deploy(resource);
	}

	private ProcessInstance startAs(String user, String processKey) {
		return this.steps.startAs(user, processKey);
	}

}
