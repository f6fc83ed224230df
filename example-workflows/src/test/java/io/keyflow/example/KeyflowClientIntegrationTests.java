package io.keyflow.example;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.keyflow.api.CredentialConflictException;
import io.keyflow.api.CredentialNotFoundException;
import io.keyflow.api.CredentialQuery;
import io.keyflow.api.CredentialType;
import io.keyflow.api.InvalidCredentialException;
import io.keyflow.api.OAuth2Provider;
import io.keyflow.api.OAuthStateException;
import io.keyflow.api.UsagePolicy;
import io.keyflow.client.ApiKeys;
import io.keyflow.client.Audit;
import io.keyflow.client.CredentialDetails;
import io.keyflow.client.KeyflowClient;
import io.keyflow.client.KeyflowClientException;
import io.keyflow.client.NewCredential;
import io.keyflow.client.OAuth2Connections;
import io.keyflow.client.RevealedCredential;
import io.keyflow.client.SavedCredential;
import io.keyflow.plugin.LeakScan;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The Java client against the example application over real HTTP: every resource, problem+json mapped to the
 * plugin-api exceptions (with status and code on the cause), and no secret in any returned object's toString.
 * After the last test the database and the application's log are scanned for every secret the tests sent.
 */
@ExtendWith(LeakScan.class)
class KeyflowClientIntegrationTests extends ClientTestApplication {

	LeakScan.Secrets secrets;

	KeyflowClient admin;

	KeyflowClient editor;

	@BeforeEach
	void clients(LeakScan.Secrets secrets) {
		this.secrets = secrets;
		secrets.add(ADMIN_KEY);
		this.admin = client(ADMIN_KEY);
		this.editor = client(secrets.add(issue("editor")));
	}

	@Test
	void saveGetListRevealDeleteWhenEditorAndAdminThenRoundTripWithMetadataOfAnyJsonType() {
		String key = unique("CLIENT_ROUND_TRIP");
		String secret = this.secrets.fresh("round-trip");
		Map<String, Object> metadata = new LinkedHashMap<>();
		metadata.put("team", "payments");
		metadata.put("retries", 3);
		metadata.put("beta", true);
		metadata.put("owner", Map.of("name", "Ada", "ids", List.of(1, 2)));
		NewCredential draft = NewCredential.apiKey(key, secret)
			.service("openai")
			.name("OpenAI for payments")
			.metadata(metadata)
			.policy(new UsagePolicy(Set.of("invoice-approval"), Set.of("https://api.openai.com"), false))
			.build();

		SavedCredential saved = this.editor.credentials().save(draft);
		SavedCredential again = this.editor.credentials().save(draft);

		assertThat(saved.created()).isTrue();
		assertThat(again.created()).isFalse();
		assertThat(again.credential().id()).isEqualTo(saved.credential().id());
		CredentialDetails got = this.editor.credentials().get(saved.credential().id()).orElseThrow();
		assertThat(got.key()).isEqualTo(key);
		assertThat(got.type()).isEqualTo(CredentialType.API_KEY);
		assertThat(got.service()).isEqualTo("openai");
		assertThat(got.metadata()).isEqualTo(metadata);
		assertThat(got.policy().allowedProcesses()).containsExactly("invoice-approval");
		assertThat(got.status()).isEqualTo("ACTIVE");
		assertThat(this.editor.credentials().findByKey(key)).contains(got);
		assertThat(this.editor.credentials().list(new CredentialQuery(null, null, "openai", null, null, 0, 200)).items())
			.extracting(CredentialDetails::key).contains(key);

		RevealedCredential revealed = this.admin.credentials().reveal(got.id());
		assertThat(revealed.secret("apiKey")).isEqualTo(secret);
		assertThat(List.of(draft.toString(), revealed.toString(), got.toString(), saved.toString()))
			.allSatisfy((text) -> assertThat(text).doesNotContain(secret));

		assertThat(this.editor.credentials().delete(got.id())).isTrue();
		assertThat(this.editor.credentials().delete(got.id())).isFalse();
		assertThat(this.editor.credentials().get(got.id())).isEmpty();
	}

	@Test
	void saveAllWhenEveryItemValidThenAllStoredAndWhenOneInvalidThenNoneAndTheItemNamed() {
		String first = unique("CLIENT_BATCH");
		String second = unique("CLIENT_BATCH");

		List<SavedCredential> saved = this.editor.credentials()
			.saveAll(List.of(NewCredential.staticValue(first, this.secrets.fresh("batch")).build(),
					NewCredential.basic(second, "svc", this.secrets.fresh("batch")).build()));

		assertThat(saved).extracting((item) -> item.credential().key()).containsExactly(first, second);
		assertThat(saved).allSatisfy((item) -> assertThat(item.created()).isTrue());

		String third = unique("CLIENT_BATCH");
		InvalidCredentialException invalid = catchInvalid(() -> this.editor.credentials()
			.saveAll(List.of(NewCredential.staticValue(third, this.secrets.fresh("batch")).build(),
					NewCredential.staticValue("lower-case", this.secrets.fresh("batch")).build())));
		assertThat(invalid.getField()).isEqualTo("credentials[1].key");
		assertThat(invalid.getMessage()).startsWith("credentials[1]: key must be UPPER_SNAKE_CASE");
		assertThat(KeyflowClientException.of(invalid)).satisfies((cause) -> {
			assertThat(cause.getStatus()).isEqualTo(400);
			assertThat(cause.getCode()).isEqualTo("BAD_REQUEST");
		});
		assertThat(this.editor.credentials().findByKey(third)).isEmpty();
	}

	@Test
	void errorsWhenServerAnswersAProblemThenThePluginApiExceptionWithStatusAndCode() {
		CredentialNotFoundException notFound = catchNotFound(() -> this.admin.credentials().reveal("no-such-id"));
		assertThat(KeyflowClientException.of(notFound).getStatus()).isEqualTo(404);
		assertThat(KeyflowClientException.of(notFound).getCode()).isEqualTo("NOT_FOUND");

		// a key already held by another credential, named by a principal's credential
		String key = unique("CLIENT_CONFLICT");
		this.editor.credentials().save(NewCredential.apiKey(key, this.secrets.fresh("conflict")).build());
		assertThatExceptionOfType(CredentialConflictException.class)
			.isThrownBy(() -> this.admin.credentials()
				.save(NewCredential.apiKey(key, this.secrets.fresh("conflict")).principalId("ada").service("openai").build()))
			.satisfies((ex) -> assertThat(KeyflowClientException.of(ex).getStatus()).isEqualTo(409));

		String plain = this.editor.credentials().findByKey(key).orElseThrow().id();
		assertThat(catchInvalid(() -> this.editor.credentials().refresh(plain)).getField()).isEqualTo("type");

		KeyflowClientException unauthorized = catchClient(() -> client("kf_wrong").credentials().list());
		assertThat(unauthorized.getStatus()).isEqualTo(401);
		assertThat(unauthorized.getCode()).isEqualTo("UNAUTHORIZED");
		KeyflowClientException forbidden = catchClient(() -> this.editor.credentials().reveal(plain));
		assertThat(forbidden.getStatus()).isEqualTo(403);
		assertThat(forbidden.getCode()).isEqualTo("FORBIDDEN");
		KeyflowClientException unreachable = catchClient(
				() -> KeyflowClient.builder(java.net.URI.create("http://127.0.0.1:1")).build().credentials().list());
		assertThat(unreachable.getStatus()).isEqualTo(KeyflowClientException.NO_ANSWER);
		assertThat(unreachable.getMessage()).startsWith("cannot reach Keyflow at http://127.0.0.1:1");
	}

	@Test
	void providersAndOAuth2StartWhenDemoProviderThenAuthorizationUrlAndABadStateIsRefused() {
		assertThat(this.editor.providers().list()).extracting(OAuth2Provider::id).contains("keyflow-demo");
		String id = "client-test-" + java.util.UUID.randomUUID().toString().substring(0, 8);
		OAuth2Provider registered = this.admin.providers()
			.register(OAuth2Provider.withId(id)
				.name("Client test")
				.authorizationUrl("https://login.example.com/authorize")
				.tokenUrl("https://login.example.com/token")
				.defaultScopes("read")
				.build());
		assertThat(registered.id()).isEqualTo(id);
		assertThat(this.editor.providers().list()).extracting(OAuth2Provider::id).contains(id);

		OAuth2Connections.AuthorizationStart start = this.editor.oauth2()
			.start("keyflow-demo", unique("CLIENT_CONNECT"), null);
		assertThat(start.authorizationUrl().toString()).contains("state=" + start.state());
		assertThat(start.expiresAt()).isNotNull();
		assertThatExceptionOfType(OAuthStateException.class)
			.isThrownBy(() -> this.editor.oauth2().complete("code", "not-a-state"));
		assertThat(catchInvalid(() -> this.editor.oauth2().start("no-such-provider", unique("CLIENT_X"), null))
			.getField()).isEqualTo("service");
	}

	@Test
	void apiKeysAuditAndPrincipalsWhenAdminThenListedAndTheNewKeyNeverPrinted() {
		ApiKeys.IssuedApiKey issued = this.admin.apiKeys().create("client-viewer", "viewer", null);
		this.secrets.add(issued.key());
		assertThat(issued.toString()).doesNotContain(issued.key());
		assertThat(this.admin.apiKeys().list()).extracting(ApiKeys.ApiKeyDetails::id).contains(issued.details().id());
		assertThat(client(issued.key()).credentials().list().items()).isNotNull();
		assertThat(this.admin.apiKeys().revoke(issued.details().id())).isTrue();
		assertThat(this.admin.apiKeys().revoke(issued.details().id())).isFalse();

		String key = unique("CLIENT_AUDITED");
		this.editor.credentials().save(NewCredential.staticValue(key, this.secrets.fresh("audited")).build());
		assertThat(this.admin.audit().list(0, 20).items()).extracting(Audit.AuditEntry::credentialKey).contains(key);

		assertThat(this.admin.processPrincipals().get("no-such-instance")).isEmpty();
	}

	private static InvalidCredentialException catchInvalid(Runnable call) {
		Throwable thrown = catchThrowable(call::run);
		assertThat(thrown).isInstanceOf(InvalidCredentialException.class);
		return (InvalidCredentialException) thrown;
	}

	private static CredentialNotFoundException catchNotFound(Runnable call) {
		Throwable thrown = catchThrowable(call::run);
		assertThat(thrown).isInstanceOf(CredentialNotFoundException.class);
		return (CredentialNotFoundException) thrown;
	}

	private static KeyflowClientException catchClient(Runnable call) {
		Throwable thrown = catchThrowable(call::run);
		assertThat(thrown).isInstanceOf(KeyflowClientException.class);
		return (KeyflowClientException) thrown;
	}

}
