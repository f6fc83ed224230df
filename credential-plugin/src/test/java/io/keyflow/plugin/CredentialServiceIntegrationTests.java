package io.keyflow.plugin;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.jdbc.core.JdbcTemplate;

import io.keyflow.api.Credential;
import io.keyflow.api.CredentialConflictException;
import io.keyflow.api.CredentialInfo;
import io.keyflow.api.CredentialQuery;
import io.keyflow.api.CredentialStatus;
import io.keyflow.api.CredentialType;
import io.keyflow.api.InvalidCredentialException;
import io.keyflow.plugin.internal.crypto.AesGcmSecretCipher;
import io.keyflow.api.Keyring;
import io.keyflow.plugin.internal.store.JdbcCredentialStore;
import io.keyflow.plugin.internal.store.SettableClock;
import io.keyflow.plugin.internal.store.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CredentialServiceIntegrationTests {

	private static final String SECRET = "S3CRET-VALUE-never-shown";

	private final SettableClock clock = new SettableClock(Instant.parse("2025-03-01T10:00:00Z"));

	private DataSource dataSource;

	private JdbcTemplate sql;

	private JdbcCredentialStore store;

	private CredentialService service;

	@BeforeEach
	void setUp() {
		this.dataSource = TestDatabase.h2WithSchema();
		this.sql = new JdbcTemplate(this.dataSource);
		this.store = new JdbcCredentialStore(this.dataSource,
				new AesGcmSecretCipher(Keyring.parse("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")), this.clock);
		this.service = new CredentialService(this.store);
	}

	@AfterEach
	void tearDown() {
		TestDatabase.shutdown(this.dataSource);
	}

	@Test
	void saveWhenSamePrincipalAndProviderTwiceThenOneRowUpdated() {
		CredentialInfo first = this.service.save(github("alice", "gho_first", "ghr_first"));
		this.clock.advance(Duration.ofMinutes(1));
		this.sql.update("update KEYFLOW_CREDENTIAL set STATUS_ = 'NEEDS_REAUTHORIZATION'");

		CredentialInfo second = this.service.save(github("alice", "gho_second", null));

		assertThat(second.id()).isEqualTo(first.id());
		assertThat(second.createdAt()).isEqualTo(first.createdAt());
		assertThat(second.updatedAt()).isEqualTo(first.createdAt().plus(Duration.ofMinutes(1)));
		assertThat(second.status()).isEqualTo(CredentialStatus.ACTIVE);
		assertThat(rowCount()).isOne();
		Credential stored = this.store.findByPrincipal("acme", "alice", "github").orElseThrow();
		assertThat(stored.secrets()).containsExactly(Map.entry(Credential.ACCESS_TOKEN, "gho_second"));
		assertThat(stored.info().status()).isEqualTo(CredentialStatus.ACTIVE);
		assertThat(this.sql.queryForObject("select REV_ from KEYFLOW_CREDENTIAL", Integer.class)).isEqualTo(2);
	}

	@Test
	void saveWhenSamePrincipalOtherProviderOrTenantThenSeparateCredentials() {
		this.service.save(github("alice", "t1", null));
		this.service.save(CredentialDraft.builder(CredentialType.OAUTH2)
			.tenantId("acme")
			.principalId("alice")
			.provider("gitlab")
			.secret(Credential.ACCESS_TOKEN, "t2")
			.build());
		this.service.save(CredentialDraft.builder(CredentialType.OAUTH2)
			.tenantId("other")
			.principalId("alice")
			.provider("github")
			.secret(Credential.ACCESS_TOKEN, "t3")
			.build());
		assertThat(rowCount()).isEqualTo(3);
	}

	@Test
	void saveWhenSameKeyTwiceThenOneRowUpdated() {
		CredentialInfo first = this.service.save(apiKey("STRIPE", "sk_first").name("Stripe").build());
		CredentialInfo second = this.service.save(apiKey("STRIPE", "sk_second").name("Stripe live").build());

		assertThat(second.id()).isEqualTo(first.id());
		assertThat(second.name()).isEqualTo("Stripe live");
		assertThat(rowCount()).isOne();
		assertThat(this.store.findByKey("acme", "STRIPE").orElseThrow().apiKey()).isEqualTo("sk_second");
	}

	@Test
	void saveWhenSameKeyInOtherTenantThenSeparateCredential() {
		CredentialInfo acme = this.service.save(apiKey("STRIPE", "sk_acme").build());
		CredentialInfo other = this.service.save(apiKey("STRIPE", "sk_other").tenantId("other").build());
		CredentialInfo none = this.service.save(apiKey("STRIPE", "sk_none").tenantId(null).build());

		assertThat(Set.of(acme.id(), other.id(), none.id())).hasSize(3);
		assertThat(none.tenantId()).isNull();
	}

	@Test
	void saveWhenPrincipalUpsertTakesKeyOfAnotherCredentialThenConflictAndNothingChanged() {
		CredentialInfo keyed = this.service.save(apiKey("GITHUB_BOT", "bot-key").build());
		CredentialInfo alice = this.service.save(github("alice", "gho_alice", null));

		assertThatExceptionOfType(CredentialConflictException.class)
			.isThrownBy(() -> this.service.save(CredentialDraft.builder(CredentialType.OAUTH2)
				.tenantId("acme")
				.key("GITHUB_BOT")
				.principalId("alice")
				.provider("github")
				.secret(Credential.ACCESS_TOKEN, "gho_new")
				.build()))
			.withMessage("a credential with key GITHUB_BOT already exists in tenant 'acme'");

		assertThat(this.store.findById("acme", alice.id()).orElseThrow().accessToken()).isEqualTo("gho_alice");
		assertThat(this.store.findById("acme", keyed.id()).orElseThrow().apiKey()).isEqualTo("bot-key");
	}

	@Test
	void saveWhenConcurrentUpsertsOfSamePrincipalThenOneRowAndNoError() throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(2);
		try {
			for (int round = 0; round < 30; round++) {
				String principal = "user-" + round;
				CyclicBarrier start = new CyclicBarrier(2);
				List<Future<CredentialInfo>> results = new ArrayList<>();
				for (int thread = 0; thread < 2; thread++) {
					String token = "token-" + thread;
					results.add(executor.submit(() -> {
						start.await();
						return this.service.save(github(principal, token, null));
					}));
				}
				Set<String> ids = new HashSet<>();
				for (Future<CredentialInfo> result : results) {
					ids.add(result.get().id());
				}
				assertThat(ids).as("round %d", round).hasSize(1);
			}
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(rowCount()).isEqualTo(30);
	}

	@Test
	void getWhenStoredThenClearPartWithoutDecrypting() {
		CredentialInfo saved = this.service.save(apiKey("GET_ME", "x").build());
		this.sql.update("update KEYFLOW_CREDENTIAL set SECRET_ = 'AAAA'");

		assertThat(this.service.get("acme", saved.id())).contains(saved);
		assertThat(this.service.get("other", saved.id())).isEmpty();
		assertThat(this.service.list(CredentialQuery.tenant("acme"))).containsExactly(saved);
	}

	@Test
	void deleteWhenStoredThenGone() {
		CredentialInfo saved = this.service.save(apiKey("DELETE_ME", "x").build());
		assertThat(this.service.delete("other", saved.id())).isFalse();
		assertThat(this.service.delete("acme", saved.id())).isTrue();
		assertThat(rowCount()).isZero();
	}

	@Test
	void saveWhenLimitsReachedExactlyThenStored() {
		Map<String, String> metadata = new HashMap<>();
		for (int i = 0; i < 50; i++) {
			metadata.put("k" + String.format("%02d", i), "v".repeat(8 * 1024 / 50 - 3));
		}
		Set<String> scopes = new HashSet<>();
		for (int i = 0; i < 100; i++) {
			scopes.add("s" + String.format("%03d", i) + "x".repeat(35));
		}
		CredentialInfo saved = this.service.save(CredentialDraft.builder(CredentialType.OAUTH2)
			.key("K" + "_".repeat(127))
			.tenantId("t".repeat(64))
			.name("n".repeat(255))
			.principalId("p".repeat(255))
			.provider("p" + "-".repeat(63))
			.scopes(scopes)
			.metadata(metadata)
			.secret(Credential.ACCESS_TOKEN, "a".repeat(16 * 1024))
			.secret(Credential.REFRESH_TOKEN, "é".repeat(8 * 1024))
			.build());

		Credential loaded = this.store.findById("t".repeat(64), saved.id()).orElseThrow();
		assertThat(loaded.info().scopes()).hasSize(100);
		assertThat(loaded.info().metadata()).isEqualTo(metadata);
		assertThat(loaded.accessToken()).hasSize(16 * 1024);
	}

	static Stream<Arguments> invalidDrafts() {
		return Stream.of(
				invalid("no type", "type", (d) -> d.type(null)),
				invalid("key lower case", "key", (d) -> d.key("github_acme")),
				invalid("key starts with digit", "key", (d) -> d.key("1ABC")),
				invalid("key with dash", "key", (d) -> d.key("A-B")),
				invalid("key empty", "key", (d) -> d.key("")),
				invalid("key 129 characters", "key", (d) -> d.key("K".repeat(129))),
				invalid("neither key nor principal", "key", (d) -> d.key(null)),
				invalid("principal without provider", "provider", (d) -> d.principalId("alice").provider(null)),
				invalid("provider upper case", "provider", (d) -> d.provider("GitHub")),
				invalid("provider 65 characters", "provider", (d) -> d.provider("p".repeat(65))),
				invalid("principal blank", "principalId", (d) -> d.principalId(" ").provider("github")),
				invalid("principal 256 characters", "principalId",
						(d) -> d.principalId("p".repeat(256)).provider("github")),
				invalid("tenant empty", "tenantId", (d) -> d.tenantId("")),
				invalid("tenant 65 characters", "tenantId", (d) -> d.tenantId("t".repeat(65))),
				invalid("name 256 characters", "name", (d) -> d.name("n".repeat(256))),
				invalid("api key missing", "secrets.apiKey", (d) -> d.secrets(Map.of())),
				invalid("api key empty", "secrets.apiKey", (d) -> d.secrets(Map.of(Credential.API_KEY, ""))),
				invalid("api key with a password", "secrets",
						(d) -> d.secret(Credential.PASSWORD, SECRET)),
				invalid("api key over 16 KiB", "secrets.apiKey",
						(d) -> d.secrets(Map.of(Credential.API_KEY, SECRET + "x".repeat(16 * 1024)))),
				invalid("api key over 16 KiB in UTF-8", "secrets.apiKey",
						(d) -> d.secrets(Map.of(Credential.API_KEY, SECRET + "é".repeat(8 * 1024)))),
				invalid("static without value", "secrets.value",
						(d) -> d.type(CredentialType.STATIC).secrets(Map.of())),
				invalid("static with api key", "secrets",
						(d) -> d.type(CredentialType.STATIC).secret(Credential.VALUE, SECRET)),
				invalid("basic without password", "secrets.password",
						(d) -> d.type(CredentialType.BASIC).secrets(Map.of(Credential.USERNAME, SECRET))),
				invalid("basic without username", "secrets.username",
						(d) -> d.type(CredentialType.BASIC).secrets(Map.of(Credential.PASSWORD, SECRET))),
				invalid("oauth2 without access token", "secrets.accessToken",
						(d) -> d.type(CredentialType.OAUTH2).secrets(Map.of(Credential.REFRESH_TOKEN, SECRET))),
				invalid("oauth2 with unknown part", "secrets",
						(d) -> d.type(CredentialType.OAUTH2).secrets(Map.of(Credential.ACCESS_TOKEN, SECRET,
								"idToken", SECRET))),
				invalid("secret pasted as a part name", "secrets", (d) -> d.secret(SECRET, "x")),
				invalid("metadata 51 entries", "metadata", (d) -> d.metadata(entries(51, 1))),
				invalid("metadata over 8 KiB", "metadata", (d) -> d.metadata(entries(2, 4 * 1024))),
				invalid("metadata empty name", "metadata", (d) -> d.metadata(Map.of("", "v"))),
				invalid("101 scopes", "scopes", (d) -> d.scopes(scopes(101, 5))),
				invalid("scope 256 characters", "scopes", (d) -> d.scopes(Set.of("s".repeat(256)))),
				invalid("scope with a space", "scopes", (d) -> d.scopes(Set.of("read write"))),
				invalid("scope empty", "scopes", (d) -> d.scopes(Set.of(""))),
				invalid("scopes over 4000 characters together", "scopes", (d) -> d.scopes(scopes(20, 250))));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("invalidDrafts")
	void saveWhenRuleBrokenThenInvalidCredentialExceptionNamingFieldAndNothingStored(String rule, String field,
			CredentialDraft draft) {
		assertThatExceptionOfType(InvalidCredentialException.class).isThrownBy(() -> this.service.save(draft))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo(field))
			.satisfies((ex) -> assertThat(ex.getMessage()).isNotBlank().doesNotContain(SECRET, "S3CRET"));
		assertThat(rowCount()).isZero();
	}

	@Test
	void saveWhenRuleBrokenThenMessageSaysHowToFixIt() {
		assertThatExceptionOfType(InvalidCredentialException.class)
			.isThrownBy(() -> this.service.save(apiKey("lower", SECRET).build()))
			.withMessage("key must be UPPER_SNAKE_CASE: a letter A-Z, then up to 127 letters A-Z, digits or '_' "
					+ "(e.g. GITHUB_ACME)");
		assertThatExceptionOfType(InvalidCredentialException.class)
			.isThrownBy(() -> this.service.save(apiKey("OK", SECRET).secret("token", SECRET).build()))
			.withMessage("secrets has 'token' that type api_key does not have; allowed: apiKey");
		assertThatExceptionOfType(InvalidCredentialException.class)
			.isThrownBy(() -> this.service.save(CredentialDraft.builder(CredentialType.BASIC)
				.key("OK")
				.secret(Credential.USERNAME, SECRET)
				.build()))
			.withMessage("secret part password is required for type basic");
	}

	@Test
	void draftToStringThenSecretValuesRedacted() {
		CredentialDraft draft = github("alice", "gho_" + SECRET, "ghr_" + SECRET);
		assertThat(draft.toString()).contains("alice", "accessToken", "refreshToken").doesNotContain(SECRET);
	}

	private static Arguments invalid(String rule, String field, UnaryOperator<CredentialDraft.Builder> change) {
		return Arguments.of(rule, field, change.apply(apiKey("VALID_KEY", SECRET)).build());
	}

	private static Map<String, String> entries(int count, int valueLength) {
		Map<String, String> entries = new HashMap<>();
		for (int i = 0; i < count; i++) {
			entries.put("k" + i, "v".repeat(valueLength));
		}
		return entries;
	}

	private static Set<String> scopes(int count, int length) {
		Set<String> scopes = new HashSet<>();
		for (int i = 0; i < count; i++) {
			scopes.add(String.format("%03d", i) + "s".repeat(length - 3));
		}
		return scopes;
	}

	@Test
	void importNewWhenManyUsersThenEachResolvesToItsOwnSecretAndNoSecretIsStoredInClear() {
		List<CredentialDraft> drafts = IntStream.range(0, 2_500).mapToObj((i) -> userApiKey("user-" + i)).toList();

		assertThat(this.service.importNew(drafts)).isEqualTo(2_500);

		assertThat(rowCount()).isEqualTo(2_500);
		assertThat(this.sql.queryForObject("select count(*) from KEYFLOW_CREDENTIAL where SECRET_ like '%secret-of-%'",
				Integer.class)).isZero();
		for (String user : List.of("user-0", "user-999", "user-1000", "user-2499")) {
			assertThat(this.store.findByPrincipal(null, user, "benchmark-api").orElseThrow().secrets())
				.containsEntry("apiKey", "secret-of-" + user);
		}
	}

	@Test
	void importNewWhenOnePrincipalIsTakenThenNothingIsStored() {
		this.service.save(userApiKey("user-7"));
		List<CredentialDraft> drafts = IntStream.range(0, 1_500).mapToObj((i) -> userApiKey("user-" + i)).toList();

		assertThatExceptionOfType(CredentialConflictException.class).isThrownBy(() -> this.service.importNew(drafts))
			.withMessageNotContaining("secret-of");

		assertThat(rowCount()).isEqualTo(1);
	}

	@Test
	void importNewWhenOneDraftIsInvalidThenNothingIsStored() {
		List<CredentialDraft> drafts = List.of(userApiKey("user-1"), CredentialDraft.builder(CredentialType.API_KEY)
			.principalId("user-2")
			.provider("Not A Provider")
			.secret("apiKey", "secret-of-user-2")
			.build());

		assertThatExceptionOfType(InvalidCredentialException.class).isThrownBy(() -> this.service.importNew(drafts));

		assertThat(rowCount()).isZero();
	}

	private static CredentialDraft userApiKey(String user) {
		return CredentialDraft.builder(CredentialType.API_KEY)
			.principalId(user)
			.provider("benchmark-api")
			.secret("apiKey", "secret-of-" + user)
			.build();
	}

	private static CredentialDraft.Builder apiKey(String key, String value) {
		return CredentialDraft.builder(CredentialType.API_KEY)
			.tenantId("acme")
			.key(key)
			.secret(Credential.API_KEY, value);
	}

	private static CredentialDraft github(String principal, String accessToken, String refreshToken) {
		return CredentialDraft.builder(CredentialType.OAUTH2)
			.tenantId("acme")
			.principalId(principal)
			.provider("github")
			.scopes(Set.of("repo"))
			.secret(Credential.ACCESS_TOKEN, accessToken)
			.secret(Credential.REFRESH_TOKEN, refreshToken)
			.build();
	}

	private int rowCount() {
		return this.sql.queryForObject("select count(*) from KEYFLOW_CREDENTIAL", Integer.class);
	}

}
