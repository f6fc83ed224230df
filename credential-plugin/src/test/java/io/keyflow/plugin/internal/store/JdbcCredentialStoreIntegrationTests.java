package io.keyflow.plugin.internal.store;

import java.sql.ResultSetMetaData;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.keyflow.api.Credential;
import io.keyflow.api.CredentialConflictException;
import io.keyflow.api.CredentialInfo;
import io.keyflow.api.CredentialQuery;
import io.keyflow.api.CredentialStatus;
import io.keyflow.api.CredentialType;
import io.keyflow.api.DecryptionException;
import io.keyflow.api.InvalidCredentialException;
import io.keyflow.plugin.internal.crypto.AesGcmSecretCipher;
import io.keyflow.api.Keyring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class JdbcCredentialStoreIntegrationTests {

	private static final Instant START = Instant.parse("2025-03-01T10:15:30.123456789Z");

	private final SettableClock clock = new SettableClock(START);

	private DataSource dataSource;

	private JdbcTemplate sql;

	private JdbcCredentialStore store;

	@BeforeEach
	void setUp() {
		this.dataSource = TestDatabase.h2WithSchema();
		this.sql = new JdbcTemplate(this.dataSource);
		this.store = new JdbcCredentialStore(this.dataSource,
				new AesGcmSecretCipher(Keyring.parse(newKey())), this.clock);
	}

	@AfterEach
	void tearDown() {
		TestDatabase.shutdown(this.dataSource);
	}

	@Test
	void nameThenLocal() {
		assertThat(this.store.name()).isEqualTo("local");
		assertThat(this.store.readOnly()).isFalse();
	}

	@Test
	void findByIdWhenSavedThenEveryFieldAndSecretBack() {
		CredentialInfo info = CredentialInfo.builder(CredentialType.OAUTH2)
			.id(UUID.randomUUID().toString())
			.tenantId("acme")
			.key("GITHUB_ACME")
			.name("GitHub (acme)")
			.provider("github")
			.principalId("alice")
			.scopes(Set.of("repo", "read:org"))
			.expiresAt(Instant.parse("2025-03-01T11:15:30.987654321Z"))
			.metadata(Map.of("team", "platform", "note", "ünïcode ✓"))
			.build();
		Credential saved = this.store.save(Credential.of(info,
				Map.of(Credential.ACCESS_TOKEN, "gho_access", Credential.REFRESH_TOKEN, "ghr_refresh")));

		Credential loaded = this.store.findById("acme", info.id()).orElseThrow();

		Instant now = Instant.parse("2025-03-01T10:15:30.123456Z");
		assertThat(loaded.info()).isEqualTo(saved.info());
		assertThat(loaded.info()).isEqualTo(info.toBuilder()
			.expiresAt(Instant.parse("2025-03-01T11:15:30.987654Z"))
			.createdAt(now)
			.updatedAt(now)
			.build());
		assertThat(loaded.secrets()).containsExactlyInAnyOrderEntriesOf(
				Map.of(Credential.ACCESS_TOKEN, "gho_access", Credential.REFRESH_TOKEN, "ghr_refresh"));
	}

	@Test
	void saveThenTimestampsStoredAsUtcWallClockTime() {
		Credential saved = this.store.save(apiKey(null, "UTC_CHECK", "k-1"));
		LocalDateTime created = this.sql.queryForObject("select CREATED_AT_ from KEYFLOW_CREDENTIAL where ID_ = ?",
				LocalDateTime.class, saved.id());
		assertThat(created).isEqualTo(LocalDateTime.parse("2025-03-01T10:15:30.123456"));
	}

	@Test
	void saveWhenExistingThenUpdatedInPlaceKeepingCreatedAt() {
		Credential first = this.store.save(apiKey("acme", "STRIPE", "sk_old"));
		this.clock.advance(Duration.ofMinutes(5));

		Credential second = this.store.save(Credential.of(first.info().toBuilder().name("Stripe live").build(),
				Map.of(Credential.API_KEY, "sk_new")));

		assertThat(second.info().createdAt()).isEqualTo(first.info().createdAt());
		assertThat(second.info().updatedAt()).isEqualTo(first.info().createdAt().plus(Duration.ofMinutes(5)));
		Credential loaded = this.store.findByKey("acme", "STRIPE").orElseThrow();
		assertThat(loaded.info().name()).isEqualTo("Stripe live");
		assertThat(loaded.apiKey()).isEqualTo("sk_new");
		assertThat(loaded.info().createdAt()).isEqualTo(first.info().createdAt());
		assertThat(this.sql.queryForObject("select count(*) from KEYFLOW_CREDENTIAL", Integer.class)).isOne();
		assertThat(this.sql.queryForObject("select REV_ from KEYFLOW_CREDENTIAL", Integer.class)).isEqualTo(2);
	}

	@Test
	void saveWhenNoIdThenInvalidCredentialExceptionAndNothingWritten() {
		Credential noId = Credential.of(CredentialInfo.builder(CredentialType.STATIC).key("NO_ID").build(),
				Map.of(Credential.VALUE, "v"));
		assertThatExceptionOfType(InvalidCredentialException.class).isThrownBy(() -> this.store.save(noId))
			.withMessage("the local store needs an id of 1 to 36 letters, digits, '_', '.' or '-' (e.g. a UUID)")
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("id"));
		Credential pipe = Credential.of(noId.info().toBuilder().id("a|b").build(), noId.secrets());
		assertThatExceptionOfType(InvalidCredentialException.class).isThrownBy(() -> this.store.save(pipe));
		assertThat(rowCount()).isZero();
	}

	@Test
	void deleteWhenInTenantThenTrueAndGone() {
		Credential saved = this.store.save(apiKey("acme", "TO_DELETE", "x"));
		assertThat(this.store.delete("other", saved.id())).isFalse();
		assertThat(this.store.delete(null, saved.id())).isFalse();
		assertThat(this.store.findById("acme", saved.id())).isPresent();

		assertThat(this.store.delete("acme", saved.id())).isTrue();

		assertThat(this.store.findById("acme", saved.id())).isEmpty();
		assertThat(this.store.delete("acme", saved.id())).isFalse();
	}

	@Test
	void findWhenSameKeyInTwoTenantsThenEachTenantSeesOnlyItsOwn() {
		Credential a = this.store.save(apiKey("tenant-a", "SHARED", "secret-a"));
		Credential b = this.store.save(apiKey("tenant-b", "SHARED", "secret-b"));
		Credential none = this.store.save(apiKey(null, "SHARED", "secret-none"));

		assertThat(this.store.findByKey("tenant-a", "SHARED").orElseThrow().apiKey()).isEqualTo("secret-a");
		assertThat(this.store.findByKey("tenant-b", "SHARED").orElseThrow().apiKey()).isEqualTo("secret-b");
		assertThat(this.store.findByKey(null, "SHARED").orElseThrow().apiKey()).isEqualTo("secret-none");
		assertThat(this.store.findByKey(null, "SHARED").orElseThrow().tenantId()).isNull();
		assertThat(this.store.findById("tenant-a", b.id())).isEmpty();
		assertThat(this.store.findById("tenant-b", a.id())).isEmpty();
		assertThat(this.store.findById(null, a.id())).isEmpty();
		assertThat(this.store.findById("tenant-a", none.id())).isEmpty();
		assertThat(this.store.findInfoById("tenant-a", b.id())).isEmpty();
		assertThat(this.store.list(CredentialQuery.tenant("tenant-a"))).extracting(CredentialInfo::id)
			.containsExactly(a.id());
		assertThat(this.store.list(CredentialQuery.tenant(null))).extracting(CredentialInfo::id)
			.containsExactly(none.id());
	}

	@Test
	void saveWhenIdExistsInAnotherTenantThenConflictAndThatRowUntouched() {
		Credential a = this.store.save(apiKey("tenant-a", "MINE", "secret-a"));
		Credential hijack = Credential.of(a.info().toBuilder().tenantId("tenant-b").build(),
				Map.of(Credential.API_KEY, "secret-b"));

		assertThatExceptionOfType(CredentialConflictException.class).isThrownBy(() -> this.store.save(hijack))
			.withMessage("a credential with id " + a.id() + " already exists");

		assertThat(this.store.findById("tenant-a", a.id()).orElseThrow().apiKey()).isEqualTo("secret-a");
		assertThat(this.store.findById("tenant-b", a.id())).isEmpty();
	}

	@Test
	void saveWhenKeyTakenInTenantThenConflictNamingKeyAndNothingWritten() {
		this.store.save(apiKey("acme", "GITHUB", "first"));

		assertThatExceptionOfType(CredentialConflictException.class)
			.isThrownBy(() -> this.store.save(apiKey("acme", "GITHUB", "second")))
			.withMessage("a credential with key GITHUB already exists in tenant 'acme'");
		assertThatExceptionOfType(CredentialConflictException.class)
			.isThrownBy(() -> {
				this.store.save(apiKey(null, "GITHUB", "x"));
				this.store.save(apiKey(null, "GITHUB", "y"));
			})
			.withMessage("a credential with key GITHUB already exists in the tenant-less scope");

		assertThat(rowCount()).isEqualTo(2);
		assertThat(this.store.findByKey("acme", "GITHUB").orElseThrow().apiKey()).isEqualTo("first");
	}

	@Test
	void saveWhenPrincipalAndProviderTakenThenConflictNamingThem() {
		this.store.save(oauth2("acme", "alice", "github", "gho_1"));

		assertThatExceptionOfType(CredentialConflictException.class)
			.isThrownBy(() -> this.store.save(oauth2("acme", "alice", "github", "gho_2")))
			.withMessage("principal 'alice' already has a credential for provider 'github' in tenant 'acme'");

		assertThat(rowCount()).isOne();
		this.store.save(oauth2("acme", "alice", "gitlab", "glo_1"));
		this.store.save(oauth2("other", "alice", "github", "gho_3"));
		assertThat(rowCount()).isEqualTo(3);
	}

	@Test
	void saveWhenKeyConflictInsideTransactionThenTransactionGoesOn() {
		TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(this.dataSource));
		Credential kept = this.store.save(apiKey("acme", "TAKEN", "first"));

		transaction.executeWithoutResult((status) -> {
			assertThatExceptionOfType(CredentialConflictException.class)
				.isThrownBy(() -> this.store.save(Credential.of(apiKey("acme", "FREE", "x").info()
					.toBuilder()
					.key("TAKEN")
					.build(), Map.of(Credential.API_KEY, "x"))));
			this.store.save(apiKey("acme", "AFTER_CONFLICT", "y"));
		});

		assertThat(this.store.list(CredentialQuery.tenant("acme"))).extracting(CredentialInfo::key)
			.containsExactly("AFTER_CONFLICT", "TAKEN");
		assertThat(this.store.findByKey("acme", "TAKEN").orElseThrow().id()).isEqualTo(kept.id());
	}

	@Test
	void saveWhenCallerTransactionRollsBackThenNothingStored() {
		TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(this.dataSource));

		transaction.executeWithoutResult((status) -> {
			this.store.save(apiKey("acme", "ROLLED_BACK", "x"));
			assertThat(this.store.findByKey("acme", "ROLLED_BACK")).isPresent();
			status.setRollbackOnly();
		});

		assertThat(rowCount()).isZero();
	}

	@Test
	void saveAndDeleteThenEachMovesTheGenerationOnceAndARefusedSaveDoesNot() {
		long start = this.store.generation();
		Credential saved = this.store.save(apiKey("acme", "GENERATION", "x"));
		assertThat(this.store.generation()).isEqualTo(start + 1);

		assertThatExceptionOfType(CredentialConflictException.class).isThrownBy(() -> this.store.save(
				Credential.of(apiKey("acme", "OTHER", "y").info().toBuilder().key("GENERATION").build(),
						Map.of(Credential.API_KEY, "y"))));
		assertThat(this.store.generation()).isEqualTo(start + 1);

		assertThat(this.store.delete("acme", saved.id())).isTrue();
		assertThat(this.store.generation()).isEqualTo(start + 2);
		assertThat(this.store.writeCount()).as("this node's counter moved for each write").isGreaterThan(0);
	}

	@Test
	void saveWhenInACallerTransactionThenTheGenerationMovesOnceWhenItsRowsAreCommitted() throws Exception {
		TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(this.dataSource));
		long start = this.store.generation();

		transaction.executeWithoutResult((status) -> {
			this.store.save(apiKey("acme", "FIRST", "x"));
			this.store.save(apiKey("acme", "SECOND", "y"));
			// another connection, as another node: neither the rows nor the generation yet
			assertThat(committed("select count(*) from KEYFLOW_CREDENTIAL")).isZero();
			assertThat(committed("select VALUE_ from KEYFLOW_GENERATION")).isEqualTo(start);
		});

		assertThat(committed("select count(*) from KEYFLOW_CREDENTIAL")).isEqualTo(2);
		assertThat(committed("select VALUE_ from KEYFLOW_GENERATION")).isEqualTo(start + 1);
	}

	@Test
	void saveWhenCallerTransactionRollsBackThenTheGenerationDoesNotMove() {
		TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(this.dataSource));
		long start = this.store.generation();

		transaction.executeWithoutResult((status) -> {
			this.store.save(apiKey("acme", "ROLLED_BACK", "x"));
			status.setRollbackOnly();
		});

		assertThat(rowCount()).isZero();
		assertThat(this.store.generation()).isEqualTo(start);
	}

	@Test
	void insertAllThenTheGenerationMovesOnce() {
		long start = this.store.generation();

		this.store.insertAll(List.of(apiKey("acme", "A", "x"), apiKey("acme", "B", "y"), apiKey("acme", "C", "z")), 2);

		assertThat(rowCount()).isEqualTo(3);
		assertThat(this.store.generation()).isEqualTo(start + 1);
	}

	private long committed(String query) {
		try (java.sql.Connection connection = this.dataSource.getConnection();
				java.sql.ResultSet result = connection.createStatement().executeQuery(query)) {
			result.next();
			return result.getLong(1);
		}
		catch (java.sql.SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void findByPrincipalWhenPrincipalGivenThenTheirCredentialForThatProvider() {
		this.store.save(oauth2("acme", "alice", "github", "gho_alice"));
		this.store.save(oauth2("acme", "bob", "github", "gho_bob"));
		this.store.save(oauth2("acme", "alice", "gitlab", "glo_alice"));
		this.store.save(oauth2("other", "alice", "github", "gho_other"));

		assertThat(this.store.findByPrincipal("acme", "alice", "github").orElseThrow().accessToken())
			.isEqualTo("gho_alice");
		assertThat(this.store.findByPrincipal("acme", "alice", "gitlab").orElseThrow().accessToken())
			.isEqualTo("glo_alice");
		assertThat(this.store.findByPrincipal("other", "alice", "github").orElseThrow().accessToken())
			.isEqualTo("gho_other");
		assertThat(this.store.findByPrincipal("acme", "carol", "github")).isEmpty();
		assertThat(this.store.findByPrincipal(null, "alice", "github")).isEmpty();
		// a principal's own credential is not the tenant default
		assertThat(this.store.findByPrincipal("acme", null, "github")).isEmpty();
	}

	@Test
	void findByPrincipalWhenNoPrincipalThenOldestTenantDefault() {
		this.store.save(oauth2("acme", "alice", "slack", "alice-token"));
		this.clock.advance(Duration.ofSeconds(1));
		Credential oldest = this.store.save(tenantWide("acme", "SLACK_ONE", "slack", "one", Map.of()));
		this.clock.advance(Duration.ofSeconds(1));
		this.store.save(tenantWide("acme", "SLACK_TWO", "slack", "two", Map.of()));
		this.store.save(tenantWide("other", "SLACK_OTHER", "slack", "other", Map.of()));

		assertThat(this.store.findByPrincipal("acme", null, "slack").orElseThrow().id()).isEqualTo(oldest.id());
		assertThat(this.store.findByPrincipal("other", null, "slack").orElseThrow().accessToken()).isEqualTo("other");
		assertThat(this.store.findByPrincipal(null, null, "slack")).isEmpty();
	}

	@Test
	void findByPrincipalWhenNoPrincipalAndOneMarkedDefaultThenThatOne() {
		this.store.save(tenantWide("acme", "SLACK_ONE", "slack", "one", Map.of("default", "false")));
		this.clock.advance(Duration.ofSeconds(1));
		Credential marked = this.store.save(tenantWide("acme", "SLACK_TWO", "slack", "two", Map.of("default", "true")));

		assertThat(this.store.findByPrincipal("acme", null, "slack").orElseThrow().id()).isEqualTo(marked.id());
	}

	@Test
	void listWhenFilteredThenMatchesOrderedByKeyThenCreationWithoutDecrypting() {
		Credential zeta = this.store.save(apiKey("acme", "ZETA", "z"));
		this.clock.advance(Duration.ofSeconds(1));
		Credential alpha = this.store.save(apiKey("acme", "ALPHA", "a"));
		this.clock.advance(Duration.ofSeconds(1));
		Credential bobGithub = this.store.save(oauth2("acme", "bob", "github", "t1"));
		this.clock.advance(Duration.ofSeconds(1));
		Credential aliceGithub = this.store.save(oauth2("acme", "alice", "github", "t2"));
		this.clock.advance(Duration.ofSeconds(1));
		Credential aliceSlack = this.store.save(oauth2("acme", "alice", "slack", "t3"));
		this.store.save(apiKey("other", "ALPHA", "o"));
		// listing must not need the secrets: make every one undecryptable
		this.sql.update("update KEYFLOW_CREDENTIAL set SECRET_ = 'AAAA'");

		assertThat(ids(CredentialQuery.tenant("acme"))).containsExactly(alpha.id(), zeta.id(), bobGithub.id(),
				aliceGithub.id(), aliceSlack.id());
		assertThat(ids(new CredentialQuery("acme", "alice", null, null, null, 0, 10)))
			.containsExactly(aliceGithub.id(), aliceSlack.id());
		assertThat(ids(new CredentialQuery("acme", null, "github", null, null, 0, 10)))
			.containsExactly(bobGithub.id(), aliceGithub.id());
		assertThat(ids(new CredentialQuery("acme", null, null, CredentialType.API_KEY, null, 0, 10)))
			.containsExactly(alpha.id(), zeta.id());
		assertThat(ids(new CredentialQuery("acme", null, null, null, "ZETA", 0, 10))).containsExactly(zeta.id());
		assertThat(ids(new CredentialQuery("acme", null, null, null, null, 1, 2)))
			.containsExactly(zeta.id(), bobGithub.id());
		assertThat(ids(new CredentialQuery("acme", null, null, null, null, 5, 2))).isEmpty();
	}

	@Test
	void findByIdWhenSecretsSwappedBetweenRowsThenDecryptionException() {
		Credential first = this.store.save(apiKey("acme", "FIRST", "secret-1"));
		Credential second = this.store.save(apiKey("acme", "SECOND", "secret-2"));
		String firstSecret = storedSecret(first.id());
		String secondSecret = storedSecret(second.id());
		this.sql.update("update KEYFLOW_CREDENTIAL set SECRET_ = ? where ID_ = ?", secondSecret, first.id());
		this.sql.update("update KEYFLOW_CREDENTIAL set SECRET_ = ? where ID_ = ?", firstSecret, second.id());

		assertThatExceptionOfType(DecryptionException.class)
			.isThrownBy(() -> this.store.findById("acme", first.id()))
			.withMessage("decryption failed (credential " + first.id() + ")");
		assertThatExceptionOfType(DecryptionException.class).isThrownBy(() -> this.store.findByKey("acme", "SECOND"))
			.withMessage("decryption failed (credential " + second.id() + ")");
	}

	@Test
	void findByIdWhenRowMovedToAnotherTenantThenDecryptionException() {
		Credential saved = this.store.save(apiKey("tenant-a", "MOVED", "secret-a"));
		this.sql.update("update KEYFLOW_CREDENTIAL set TENANT_ID_ = 'tenant-b' where ID_ = ?", saved.id());

		assertThatExceptionOfType(DecryptionException.class)
			.isThrownBy(() -> this.store.findById("tenant-b", saved.id()))
			.withMessage("decryption failed (credential " + saved.id() + ")");
	}

	@org.junit.jupiter.params.ParameterizedTest(name = "{0}")
	@org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
			"PRINCIPAL_ID_ | update KEYFLOW_CREDENTIAL set PRINCIPAL_ID_ = 'mallory' where ID_ = ?",
			"PROVIDER_ | update KEYFLOW_CREDENTIAL set PROVIDER_ = 'other' where ID_ = ?",
			"KEY_ | update KEYFLOW_CREDENTIAL set KEY_ = 'OTHER_KEY' where ID_ = ?",
			"TYPE_ | update KEYFLOW_CREDENTIAL set TYPE_ = 'static' where ID_ = ?",
			"ALLOWED_PROCESSES_ | update KEYFLOW_CREDENTIAL set ALLOWED_PROCESSES_ = 'invoice anything' where ID_ = ?",
			"ALLOWED_ORIGINS_ | update KEYFLOW_CREDENTIAL set ALLOWED_ORIGINS_ = 'https://evil.example.com' where ID_ = ?",
			"ALLOWED_ORIGINS_ cleared | update KEYFLOW_CREDENTIAL set ALLOWED_ORIGINS_ = null where ID_ = ?",
			"SEALED_ | update KEYFLOW_CREDENTIAL set SEALED_ = false where ID_ = ?",
			"BINDING_ | update KEYFLOW_CREDENTIAL set BINDING_ = 1 where ID_ = ?" })
	void findByIdWhenAColumnThatDecidesUseIsChangedInTheDatabaseThenDecryptionException(String column, String update) {
		Credential saved = this.store.save(Credential.of(io.keyflow.api.CredentialInfo.builder(CredentialType.API_KEY)
			.id(java.util.UUID.randomUUID().toString())
			.tenantId("acme")
			.key("BOUND_" + column.replaceAll("[^A-Z]", ""))
			.provider("billing")
			.principalId("alice")
			.policy(new io.keyflow.api.UsagePolicy(java.util.Set.of("invoice"), java.util.Set.of("https://billing.example.com"),
					true))
			.build(), Map.of("apiKey", "bound-secret")));
		assertThat(this.store.findById("acme", saved.id()).orElseThrow().secrets()).containsEntry("apiKey", "bound-secret");

		this.sql.update(update, saved.id());

		assertThatExceptionOfType(DecryptionException.class).as(column)
			.isThrownBy(() -> this.store.findById("acme", saved.id()))
			.withMessage("decryption failed (credential " + saved.id() + ")");
	}

	@Test
	void findByIdWhenAnyByteOfStoredSecretFlippedThenDecryptionException() {
		Credential saved = this.store.save(apiKey("acme", "TAMPERED", "secret-value"));
		byte[] original = Base64.getDecoder().decode(storedSecret(saved.id()));
		for (int i = 0; i < original.length; i++) {
			byte[] tampered = original.clone();
			tampered[i] ^= 0x01;
			this.sql.update("update KEYFLOW_CREDENTIAL set SECRET_ = ? where ID_ = ?",
					Base64.getEncoder().encodeToString(tampered), saved.id());
			assertThatExceptionOfType(DecryptionException.class).as("byte %d", i)
				.isThrownBy(() -> this.store.findById("acme", saved.id()))
				.withMessage("decryption failed (credential " + saved.id() + ")");
		}
		this.sql.update("update KEYFLOW_CREDENTIAL set SECRET_ = 'not base64!' where ID_ = ?", saved.id());
		assertThatExceptionOfType(DecryptionException.class).isThrownBy(() -> this.store.findById("acme", saved.id()))
			.withMessage("decryption failed (credential " + saved.id() + ")");
	}

	@Test
	void saveThenNoSecretValueInAnyClearColumn() {
		List<String> secrets = List.of("sk_live_APIKEYVALUE", "STATICVALUE-123", "basic-user-name", "basic-p4ssw0rd",
				"gho_ACCESSTOKENVALUE", "ghr_REFRESHTOKENVALUE");
		this.store.save(apiKey("acme", "API", secrets.get(0)));
		this.store.save(Credential.of(info(CredentialType.STATIC, "acme", "STATIC"), Map.of(Credential.VALUE,
				secrets.get(1))));
		this.store.save(Credential.of(info(CredentialType.BASIC, "acme", "BASIC"),
				Map.of(Credential.USERNAME, secrets.get(2), Credential.PASSWORD, secrets.get(3))));
		this.store.save(Credential.of(info(CredentialType.OAUTH2, "acme", "OAUTH"),
				Map.of(Credential.ACCESS_TOKEN, secrets.get(4), Credential.REFRESH_TOKEN, secrets.get(5))));

		List<String> cells = new ArrayList<>();
		this.sql.query("select * from KEYFLOW_CREDENTIAL", (rs) -> {
			ResultSetMetaData meta = rs.getMetaData();
			for (int column = 1; column <= meta.getColumnCount(); column++) {
				String cell = rs.getString(column);
				cells.add(meta.getColumnName(column) + "=" + cell);
				if (cell != null && meta.getColumnName(column).equalsIgnoreCase("SECRET_")) {
					cells.add("SECRET_ decoded=" + new String(Base64.getDecoder().decode(cell),
							java.nio.charset.StandardCharsets.ISO_8859_1));
				}
			}
		});
		// 20 columns (the usage policy and the row binding since 0.2) and the decoded secret, for each of 4 rows
		assertThat(cells).hasSize(4 * 21);
		for (String secret : secrets) {
			assertThat(cells).noneMatch((cell) -> cell.contains(secret));
			assertThat(cells).noneMatch((cell) -> cell.contains(Base64.getEncoder()
				.encodeToString(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8))
				.substring(0, 12)));
		}
	}

	@Test
	void savedCredentialToStringThenNoSecret() {
		Credential saved = this.store.save(apiKey("acme", "PRINTED", "sk_printed_value"));
		assertThat(saved.toString()).doesNotContain("sk_printed_value");
		assertThat(this.store.findById("acme", saved.id()).orElseThrow().toString())
			.doesNotContain("sk_printed_value");
		assertThat(this.store.toString()).doesNotContain("sk_printed_value");
	}

	@Test
	void statusWhenSavedThenReadBack() {
		Credential saved = this.store.save(Credential.of(oauth2("acme", "alice", "github", "t").info()
			.toBuilder()
			.status(CredentialStatus.NEEDS_REAUTHORIZATION)
			.build(), Map.of(Credential.ACCESS_TOKEN, "t")));
		assertThat(this.store.findById("acme", saved.id()).orElseThrow().info().status())
			.isEqualTo(CredentialStatus.NEEDS_REAUTHORIZATION);
	}

	@Test
	void createIfMissingWhenTablesExistThenNoChange() {
		Credential saved = this.store.save(apiKey("acme", "SURVIVES", "x"));
		new io.keyflow.plugin.KeyflowSchema(this.dataSource).update();
		assertThat(this.store.findById("acme", saved.id())).isPresent();
	}

	private List<String> ids(CredentialQuery query) {
		return this.store.list(query).stream().map(CredentialInfo::id).toList();
	}

	private int rowCount() {
		return this.sql.queryForObject("select count(*) from KEYFLOW_CREDENTIAL", Integer.class);
	}

	private String storedSecret(String id) {
		return this.sql.queryForObject("select SECRET_ from KEYFLOW_CREDENTIAL where ID_ = ?", String.class, id);
	}

	static String newKey() {
		byte[] key = new byte[32];
		new java.security.SecureRandom().nextBytes(key);
		return Base64.getEncoder().encodeToString(key);
	}

	static CredentialInfo info(CredentialType type, String tenantId, String key) {
		return CredentialInfo.builder(type).id(UUID.randomUUID().toString()).tenantId(tenantId).key(key).build();
	}

	static Credential apiKey(String tenantId, String key, String value) {
		return Credential.of(info(CredentialType.API_KEY, tenantId, key), Map.of(Credential.API_KEY, value));
	}

	static Credential oauth2(String tenantId, String principalId, String provider, String accessToken) {
		return Credential.of(info(CredentialType.OAUTH2, tenantId, null).toBuilder()
			.principalId(principalId)
			.provider(provider)
			.build(), Map.of(Credential.ACCESS_TOKEN, accessToken));
	}

	static Credential tenantWide(String tenantId, String key, String provider, String accessToken,
			Map<String, String> metadata) {
		return Credential.of(info(CredentialType.OAUTH2, tenantId, key).toBuilder()
			.provider(provider)
			.metadata(metadata)
			.build(), Map.of(Credential.ACCESS_TOKEN, accessToken));
	}

}
