package io.keyflow.vault;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.keyflow.api.Credential;
import io.keyflow.api.CredentialException;
import io.keyflow.api.CredentialInfo;
import io.keyflow.api.CredentialQuery;
import io.keyflow.api.CredentialType;
import io.keyflow.api.ReadOnlyStoreException;
import io.keyflow.plugin.internal.store.SettableClock;
import io.keyflow.vault.autoconfigure.KeyflowVaultClient;
import io.keyflow.vault.autoconfigure.KeyflowVaultProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The KV v2 store against {@link VaultContractServer}: the exact requests it sends (method, path, token and
 * namespace headers), how secrets map to credentials, the cache and stale-if-error, and the refusal of writes.
 */
class VaultKvCredentialStoreContractTests {

	static final String TOKEN = "hvs.contract-test-token";

	private final SettableClock clock = new SettableClock(Instant.parse("2025-03-01T10:00:00Z"));

	private VaultContractServer vault;

	private KeyflowVaultClient client;

	private VaultKvCredentialStore store;

	@BeforeEach
	void setUp() {
		this.vault = VaultContractServer.start().token(TOKEN);
		this.vault.kv("secret", "keyflow/default/GITHUB", Map.of("type", "api_key", "apiKey", "gh-secret-1",
				"provider", "github", "name", "GitHub bot", "scopes", "repo read:user", "expiresAt",
				"2030-01-01T00:00:00Z"));
		this.vault.kv("secret", "keyflow/acme/SLACK", Map.of("accessToken", "xoxb-acme", "provider", "slack",
				"principalId", "alice"));
		this.vault.kv("secret", "keyflow/acme/SLACK_DEFAULT", Map.of("accessToken", "xoxb-default", "provider",
				"slack", "default", "true"));
		this.vault.kv("secret", "keyflow/acme/DB", Map.of("username", "app", "password", "db-pass"));
		this.vault.kv("secret", "keyflow/acme/users/bob/slack", Map.of("accessToken", "xoxb-bob", "scopes", "chat"));
		this.vault.kv("secret", "keyflow/acme/users/jane.doe@example.com/slack", Map.of("accessToken", "xoxb-jane",
				"provider", "github", "principalId", "alice"));
		this.client = new KeyflowVaultClient(properties(this.vault.address(), "team-a"));
		this.store = VaultKvCredentialStore.builder(this.client.operations()).clock(this.clock).build();
	}

	@AfterEach
	void tearDown() {
		this.client.destroy();
		this.vault.close();
	}

	static KeyflowVaultProperties properties(URI address, String namespace) {
		KeyflowVaultProperties properties = new KeyflowVaultProperties();
		properties.setAddress(address);
		properties.setNamespace(namespace);
		properties.getAuthentication().setToken(TOKEN);
		return properties;
	}

	@Test
	void findByKeyWhenSecretExistsThenOneGetOnDataPathWithTokenAndNamespaceAndFieldsMapped() {
		Credential credential = this.store.findByKey(null, "GITHUB").orElseThrow();

		List<VaultContractServer.Request> reads = this.vault.requests("/v1/secret/");
		assertThat(reads).hasSize(1);
		VaultContractServer.Request read = reads.get(0);
		assertThat(read.method()).isEqualTo("GET");
		assertThat(read.path()).isEqualTo("/v1/secret/data/keyflow/default/GITHUB");
		assertThat(read.header("X-Vault-Token")).isEqualTo(TOKEN);
		assertThat(read.header("X-Vault-Namespace")).isEqualTo("team-a");
		// the configured token is looked up once, so spring-vault knows whether to renew it
		assertThat(this.vault.lines()).containsExactly("GET /v1/auth/token/lookup-self",
				"GET /v1/secret/data/keyflow/default/GITHUB");
		assertThat(this.vault.requests("/v1/auth/token/lookup-self").get(0).header("X-Vault-Token")).isEqualTo(TOKEN);

		assertThat(credential.id()).isEqualTo("vault:default/GITHUB");
		assertThat(credential.type()).isEqualTo(CredentialType.API_KEY);
		assertThat(credential.apiKey()).isEqualTo("gh-secret-1");
		assertThat(credential.provider()).isEqualTo("github");
		assertThat(credential.info().name()).isEqualTo("GitHub bot");
		assertThat(credential.scopes()).containsExactly("repo", "read:user");
		assertThat(credential.expiresAt()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
		assertThat(credential.tenantId()).isNull();
		assertThat(credential.metadata()).containsEntry("vault.path", "secret/data/keyflow/default/GITHUB")
			.containsEntry("vault.version", "2");
		assertThat(credential.toString()).doesNotContain("gh-secret-1");
	}

	@Test
	void findByKeyWhenTenantThenItsFolderOnlyAndTypesInferred() {
		Credential basic = this.store.findByKey("acme", "DB").orElseThrow();

		assertThat(basic.type()).isEqualTo(CredentialType.BASIC);
		assertThat(basic.username()).isEqualTo("app");
		assertThat(basic.password()).isEqualTo("db-pass");
		assertThat(basic.tenantId()).isEqualTo("acme");
		assertThat(this.store.findByKey("other", "DB")).isEmpty();
		assertThat(this.store.findByKey(null, "DB")).isEmpty();
		assertThat(this.store.findById("other", "vault:acme/DB")).isEmpty();
		assertThat(this.store.findById("acme", "vault:acme/DB")).isPresent();
		assertThat(this.vault.lines()).contains("GET /v1/secret/data/keyflow/other/DB",
				"GET /v1/secret/data/keyflow/default/DB");
	}

	@Test
	void findByKeyWhenKeyOrTenantCouldLeaveTheFolderThenNoRequest() {
		assertThat(this.store.findByKey("acme", "../default/GITHUB")).isEmpty();
		assertThat(this.store.findByKey("acme", "github")).isEmpty();
		assertThatExceptionOfType(CredentialException.class).isThrownBy(() -> this.store.findByKey("../x", "GITHUB"))
			.withMessageContaining("cannot be used as a Vault path segment");
		assertThatExceptionOfType(CredentialException.class)
			.isThrownBy(() -> this.store.findByKey("default", "GITHUB"))
			.withMessageContaining("keyflow.vault.kv.default-tenant-folder");
		assertThat(this.vault.requests("/v1/secret/")).isEmpty();
	}

	@Test
	void findByPrincipalWhenPrincipalOrProviderCouldLeaveItsPathSegmentThenNotFoundAndNoRequest() {
		for (String principal : List.of("../bob", "bob/../bob", "..", ".", "a/b", "a\\b", "a%2Fb", "a%2E%2E", "a?b",
				"a#b", "bob\u0000", "bob\n", "\u007f", " ", "")) {
			assertThat(this.store.findByPrincipal("acme", principal, "slack")).as(principal).isEmpty();
			assertThat(this.store.findById("acme", "vault:acme/users/" + principal + "/slack")).as(principal).isEmpty();
			assertThat(this.store.acceptsId("vault:acme/users/" + principal + "/slack")).as(principal).isFalse();
		}
		for (String provider : List.of("../SLACK", "..", ".", "a/b", "slack?x=1", "slack#", "%2e%2e", "-x", "")) {
			assertThat(this.store.findByPrincipal("acme", "bob", provider)).as(provider).isEmpty();
			assertThat(this.store.acceptsId("vault:acme/users/bob/" + provider)).as(provider).isFalse();
		}
		assertThat(this.store.findByPrincipal("acme", "x".repeat(256), "slack")).isEmpty();
		assertThat(this.vault.requests("/v1/secret/")).isEmpty();

		assertThat(this.store.list(new CredentialQuery("acme", "../default", null, null, null, 0, 10))).isEmpty();
		assertThat(this.vault.requests("/v1/secret/")).extracting(VaultContractServer.Request::path)
			.allMatch((path) -> path.startsWith("/v1/secret/metadata/keyflow/acme/")
					|| path.startsWith("/v1/secret/data/keyflow/acme/"))
			.noneMatch((path) -> path.contains("/users/") || path.contains(".."));
	}

	@Test
	void findByPrincipalWhenUserPathThenOneGetOfThatPathOnlyCachedWithNotFoundAndPathNamesTheUser() {
		for (int i = 0; i < 100; i++) {
			this.store.findByPrincipal("acme", "bob", "slack");
			this.store.findByPrincipal("acme", "carol", "slack");
		}
		Credential bob = this.store.findByPrincipal("acme", "bob", "slack").orElseThrow();
		Credential jane = this.store.findByPrincipal("acme", "jane.doe@example.com", "slack").orElseThrow();

		assertThat(this.store.findByPrincipal("acme", "carol", "slack")).isEmpty();
		assertThat(this.vault.lines()).containsExactly("GET /v1/auth/token/lookup-self",
				"GET /v1/secret/data/keyflow/acme/users/bob/slack", "GET /v1/secret/data/keyflow/acme/users/carol/slack",
				"GET /v1/secret/data/keyflow/acme/users/jane.doe@example.com/slack");
		for (VaultContractServer.Request read : this.vault.requests("/v1/secret/")) {
			assertThat(read.method()).isEqualTo("GET");
			assertThat(read.header("X-Vault-Token")).isEqualTo(TOKEN);
			assertThat(read.header("X-Vault-Namespace")).isEqualTo("team-a");
		}
		assertThat(bob.id()).isEqualTo("vault:acme/users/bob/slack");
		assertThat(bob.accessToken()).isEqualTo("xoxb-bob");
		assertThat(bob.principalId()).isEqualTo("bob");
		assertThat(bob.provider()).isEqualTo("slack");
		assertThat(bob.tenantId()).isEqualTo("acme");
		assertThat(bob.info().key()).isNull();
		assertThat(bob.metadata()).containsEntry("vault.path", "secret/data/keyflow/acme/users/bob/slack");
		// the path decides whose credential it is, not the secret's fields
		assertThat(jane.principalId()).isEqualTo("jane.doe@example.com");
		assertThat(jane.provider()).isEqualTo("slack");
		// another tenant's user folder is never read
		assertThat(this.store.findByPrincipal("other", "bob", "slack")).isEmpty();
		assertThat(this.store.findById("other", "vault:acme/users/bob/slack")).isEmpty();
		assertThat(this.vault.requests("/v1/secret/data/keyflow/other/users/bob/slack")).hasSize(1);
		assertThat(this.vault.requests("/v1/secret/data/keyflow/acme/")).hasSize(3);

		this.clock.advance(Duration.ofSeconds(60));
		this.store.findByPrincipal("acme", "carol", "slack");
		assertThat(this.vault.requests("/v1/secret/data/keyflow/acme/users/carol/slack")).hasSize(2);
	}

	@Test
	void findByIdWhenUserIdThenThatPathAndAcceptsIdKeepsTheRestSyntax() {
		assertThat(this.store.acceptsId("vault:acme/users/bob/slack")).isTrue();
		assertThat(this.store.acceptsId("vault:acme/users/jane.doe@example.com/slack")).isTrue();
		assertThat(this.store.acceptsId("vault:acme/users/bob")).isFalse();
		assertThat(this.store.acceptsId("vault:acme/people/bob/slack")).isFalse();

		assertThat(this.store.findById("acme", "vault:acme/users/bob/slack").orElseThrow().accessToken())
			.isEqualTo("xoxb-bob");
		assertThat(this.vault.lines()).endsWith("GET /v1/secret/data/keyflow/acme/users/bob/slack");
	}

	@Test
	void findByPrincipalWhenPrincipalScanOffThenSecretsOfTheTenantFolderWithPrincipalIdAreNotUsed() {
		assertThat(this.store.findByPrincipal("acme", "alice", "slack")).isEmpty();
		assertThat(this.vault.requests("/v1/secret/metadata/")).isEmpty();
		assertThat(this.vault.lines()).endsWith("GET /v1/secret/data/keyflow/acme/users/alice/slack");
	}

	@Test
	void findByPrincipalWhenPrincipalScanOnThenUserPathFirstThenOneListThenReadsAndDefaultMarkerWins() {
		this.store = VaultKvCredentialStore.builder(this.client.operations()).clock(this.clock).principalScan(true)
			.build();
		Optional<Credential> alice = this.store.findByPrincipal("acme", "alice", "slack");
		Optional<Credential> tenantDefault = this.store.findByPrincipal("acme", null, "slack");
		Optional<Credential> carol = this.store.findByPrincipal("acme", "carol", "slack");

		assertThat(alice.orElseThrow().accessToken()).isEqualTo("xoxb-acme");
		assertThat(alice.get().type()).isEqualTo(CredentialType.OAUTH2);
		assertThat(tenantDefault.orElseThrow().accessToken()).isEqualTo("xoxb-default");
		assertThat(carol).isEmpty();
		List<VaultContractServer.Request> lists = this.vault.requests("/v1/secret/metadata/");
		assertThat(lists).hasSize(1);
		// spring-vault sends Vault's LIST as GET with list=true, which Vault's API documents as the same
		assertThat(lists.get(0).method()).isEqualTo("GET");
		assertThat(lists.get(0).path()).isEqualTo("/v1/secret/metadata/keyflow/acme/");
		assertThat(lists.get(0).query()).isEqualTo("list=true");
		assertThat(lists.get(0).header("X-Vault-Token")).isEqualTo(TOKEN);
		assertThat(lists.get(0).header("X-Vault-Namespace")).isEqualTo("team-a");
		// the user paths of alice and carol, then the three secrets, each read once in spite of three lookups
		assertThat(this.vault.requests("/v1/secret/data/")).hasSize(5);
		assertThat(this.vault.requests("/v1/secret/data/keyflow/acme/users/")).hasSize(2);
	}

	@Test
	void listWhenQueryThenClearPartsOnlyFilteredAndOrderedByKey() {
		List<CredentialInfo> all = this.store.list(CredentialQuery.tenant("acme"));
		List<CredentialInfo> slack = this.store
			.list(new CredentialQuery("acme", null, "slack", CredentialType.OAUTH2, null, 0, 10));

		List<CredentialInfo> bobs = this.store.list(new CredentialQuery("acme", "bob", null, null, null, 0, 10));

		assertThat(all).extracting(CredentialInfo::id).containsExactly("vault:acme/DB", "vault:acme/SLACK",
				"vault:acme/SLACK_DEFAULT", "vault:acme/users/bob/slack",
				"vault:acme/users/jane.doe@example.com/slack");
		assertThat(slack).extracting(CredentialInfo::id).containsExactly("vault:acme/SLACK", "vault:acme/SLACK_DEFAULT",
				"vault:acme/users/bob/slack", "vault:acme/users/jane.doe@example.com/slack");
		assertThat(bobs).extracting(CredentialInfo::id).containsExactly("vault:acme/users/bob/slack");
		assertThat(this.vault.requests("/v1/secret/metadata/keyflow/acme/users/"))
			.extracting(VaultContractServer.Request::path)
			.containsExactly("/v1/secret/metadata/keyflow/acme/users/", "/v1/secret/metadata/keyflow/acme/users/bob/",
					"/v1/secret/metadata/keyflow/acme/users/jane.doe@example.com/");
		assertThat(all.toString()).doesNotContain("xoxb", "db-pass");
		assertThat(this.store.list(CredentialQuery.tenant("empty"))).isEmpty();
	}

	@Test
	void findByKeyWhenWithinTtlThenOneReadAndAfterTtlReadAgainAndNotFoundIsCachedToo() {
		for (int i = 0; i < 100; i++) {
			this.store.findByKey(null, "GITHUB");
			this.store.findByKey(null, "MISSING");
		}
		assertThat(this.vault.requests("/v1/secret/data/keyflow/default/GITHUB")).hasSize(1);
		assertThat(this.vault.requests("/v1/secret/data/keyflow/default/MISSING")).hasSize(1);

		this.clock.advance(Duration.ofSeconds(59));
		this.store.findByKey(null, "GITHUB");
		assertThat(this.vault.requests("/v1/secret/data/keyflow/default/GITHUB")).hasSize(1);
		this.clock.advance(Duration.ofSeconds(1));
		this.store.findByKey(null, "GITHUB");
		assertThat(this.vault.requests("/v1/secret/data/keyflow/default/GITHUB")).hasSize(2);
	}

	@Test
	void findByKeyWhenVaultFailsAfterTtlThenStaleServedForBoundedTimeThenClearRetryableError() {
		this.store.findByKey(null, "GITHUB").orElseThrow();
		this.vault.failWith(503);

		this.clock.advance(Duration.ofSeconds(60 + 299));
		assertThat(this.store.findByKey(null, "GITHUB").orElseThrow().apiKey()).isEqualTo("gh-secret-1");

		this.clock.advance(Duration.ofSeconds(1));
		assertThatExceptionOfType(VaultUnavailableException.class)
			.isThrownBy(() -> this.store.findByKey(null, "GITHUB"))
			.withMessage("HashiCorp Vault answered 503 when Keyflow tried to read secret/data/keyflow/default/GITHUB; "
					+ "this is temporary: retry the task (an asyncBefore job retries) once Vault is back; the cached "
					+ "copy is 360s old, past cache-ttl (60s) + stale-if-error (300s)")
			.satisfies((ex) -> assertThat(ex.getStatus()).isEqualTo(503))
			.satisfies((ex) -> assertThat(ex.getPath()).isEqualTo("secret/data/keyflow/default/GITHUB"));

		this.vault.recover();
		assertThat(this.store.findByKey(null, "GITHUB").orElseThrow().apiKey()).isEqualTo("gh-secret-1");
	}

	@Test
	void findByKeyWhenVaultUnreachableAndNothingCachedThenRetryableErrorWithoutSecretsThenWorksWhenBack() {
		this.store.findByKey(null, "GITHUB");
		this.vault.refuseConnections();

		assertThatExceptionOfType(VaultUnavailableException.class)
			.isThrownBy(() -> this.store.findByKey("acme", "DB"))
			.withMessage("HashiCorp Vault is unreachable when Keyflow tried to read secret/data/keyflow/acme/DB; "
					+ "this is temporary: retry the task (an asyncBefore job retries) once Vault is back")
			.satisfies((ex) -> assertThat(ex.getStatus()).isEqualTo(-1))
			.satisfies((ex) -> assertThat(stackText(ex)).doesNotContain(TOKEN, "db-pass"));

		this.vault.recover();
		assertThat(this.store.findByKey("acme", "DB").orElseThrow().password()).isEqualTo("db-pass");
	}

	@Test
	void findByKeyWhenPermissionDeniedThenNotRetryableAndNoStaleCopy() {
		this.store.findByKey(null, "GITHUB");
		this.vault.failWith(403);
		this.clock.advance(Duration.ofSeconds(61));

		assertThatExceptionOfType(CredentialException.class).isThrownBy(() -> this.store.findByKey(null, "GITHUB"))
			.isNotInstanceOf(VaultUnavailableException.class)
			.withMessage("HashiCorp Vault refused to read secret/data/keyflow/default/GITHUB (status 403); check the "
					+ "Vault policy of Keyflow's token and the keyflow.vault.* configuration");
	}

	@Test
	void findByKeyWhenSecretIncompleteThenClearMessageWithoutValues() {
		this.vault.kv("secret", "keyflow/default/BROKEN", Map.of("type", "basic", "username", "only-user-secret"));
		this.vault.kv("secret", "keyflow/default/ODD", Map.of("type", "odd-type-secret", "apiKey", "x"));

		assertThatExceptionOfType(CredentialException.class).isThrownBy(() -> this.store.findByKey(null, "BROKEN"))
			.withMessage("Vault secret secret/data/keyflow/default/BROKEN has type basic but no field 'password'");
		assertThatExceptionOfType(CredentialException.class).isThrownBy(() -> this.store.findByKey(null, "ODD"))
			.withMessage("Vault secret secret/data/keyflow/default/ODD has a 'type' that is not one of api_key, "
					+ "static, basic, oauth2");
	}

	@Test
	void locationWhenAskedThenTheVaultPathWhereTheCredentialIsManagedAndNothingSent() {
		Credential credential = this.store.findByKey("acme", "DB").orElseThrow();
		this.vault.clearRequests();

		// the store cannot be written: Keyflow's composite store refuses writes with this location
		// (VaultEngineContractTests asserts the refusal through the engine)
		assertThat(this.store.readOnly()).isTrue();
		assertThat(this.store).isNotInstanceOf(io.keyflow.api.WritableCredentialStore.class);
		assertThat(this.store.location(credential.tenantId(), credential.key())).isEqualTo("secret/data/keyflow/acme/DB");
		assertThat(this.store.location(null, "GITHUB")).isEqualTo("secret/data/keyflow/default/GITHUB");
		assertThat(this.vault.requests()).isEmpty();
	}

	static String stackText(Throwable ex) {
		java.io.StringWriter text = new java.io.StringWriter();
		ex.printStackTrace(new java.io.PrintWriter(text));
		return text.toString();
	}

}
