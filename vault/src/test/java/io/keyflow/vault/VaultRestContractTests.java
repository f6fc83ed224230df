package io.keyflow.vault;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.keyflow.plugin.LeakScan;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Vault KV credentials through Keyflow's REST API over real HTTP, KV played by {@link VaultContractServer}: listed and
 * read with {@code source: vault-kv}, revealed by an admin (audited), refused with 409 READ_ONLY_STORE naming the
 * Vault path when deleted, refreshed or replaced, and malformed ids answered 404 without a request to Vault.
 */
@SpringBootTest(classes = VaultTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=servlet", "keyflow.rest.admin-api-key=" + VaultRestContractTests.ADMIN_KEY })
@ExtendWith(LeakScan.class)
class VaultRestContractTests {

	static final String ADMIN_KEY = "vault-rest-admin-5b0e6a0c-8d53-4b8e-9d0a-3f1c2f7e4a11";

	static final String TOKEN = "hvs.rest-test-token";

	static final VaultContractServer VAULT = VaultContractServer.start().token(TOKEN);

	static final ObjectMapper JSON = new ObjectMapper();

	final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@LocalServerPort
	int port;

	LeakScan.Secrets secrets;

	@DynamicPropertySource
	static void vault(DynamicPropertyRegistry registry) {
		registry.add("keyflow.vault.address", VAULT::address);
		registry.add("keyflow.vault.authentication.token", () -> TOKEN);
		// a test key for the local store (never use it anywhere else)
		registry.add("keyflow.encryption.key", () -> "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
	}

	@BeforeEach
	void setUp(LeakScan.Secrets secrets) {
		this.secrets = secrets;
		secrets.add(TOKEN);
		secrets.add(ADMIN_KEY);
	}

	@AfterAll
	static void stopVault() {
		VAULT.close();
	}

	@Test
	void listWhenVaultAndLocalCredentialsThenBothWithTheirSourceAndNoSecret() throws Exception {
		String vaultSecret = vaultSecret("REST_LISTED");
		String localSecret = this.secrets.add("local-" + UUID.randomUUID());
		assertThat(send("POST", "/api/credentials", Map.of("key", "REST_LOCAL", "type", "api_key", "apiKey",
				localSecret)).statusCode()).isEqualTo(201);

		HttpResponse<String> list = send("GET", "/api/credentials?limit=100", null);

		assertThat(list.statusCode()).isEqualTo(200);
		assertThat(list.body()).doesNotContain(vaultSecret, localSecret);
		List<Map<String, Object>> items = items(list);
		assertThat(items).filteredOn((item) -> "REST_LISTED".equals(item.get("key")))
			.singleElement()
			.satisfies((item) -> assertThat(item).containsEntry("id", "vault:default/REST_LISTED")
				.containsEntry("source", "vault-kv")
				.containsEntry("readOnly", true));
		assertThat(items).filteredOn((item) -> "REST_LOCAL".equals(item.get("key")))
			.singleElement()
			.satisfies((item) -> assertThat(item).containsEntry("source", "local").containsEntry("readOnly", false));
	}

	@Test
	void getAndRevealWhenVaultIdThenAnsweredAndTheRevealAudited() throws Exception {
		String secret = vaultSecret("REST_REVEALED");

		HttpResponse<String> get = send("GET", "/api/credentials/vault:default/REST_REVEALED", null);
		HttpResponse<String> reveal = send("POST", "/api/credentials/vault:default/REST_REVEALED/reveal", null);

		assertThat(get.statusCode()).as(get.body()).isEqualTo(200);
		assertThat(get.body()).doesNotContain(secret);
		assertThat(json(get)).containsEntry("source", "vault-kv").containsEntry("key", "REST_REVEALED");
		assertThat(reveal.statusCode()).as(reveal.body()).isEqualTo(200);
		assertThat(json(reveal).get("secrets")).isEqualTo(Map.of("apiKey", secret));
		assertThat(items(send("GET", "/api/credentials/audit?limit=100", null)))
			.anySatisfy((event) -> assertThat(event).containsEntry("action", "credential.reveal")
				.containsEntry("credentialKey", "REST_REVEALED")
				.containsEntry("outcome", "success"));
	}

	@Test
	void deleteRefreshAndReplaceWhenVaultCredentialThenReadOnlyStoreNamingTheVaultPath() throws Exception {
		vaultSecret("REST_REFUSED");
		String replacement = this.secrets.add("replacement-" + UUID.randomUUID());

		List<HttpResponse<String>> refused = List.of(
				send("DELETE", "/api/credentials/vault:default/REST_REFUSED", null),
				send("POST", "/api/credentials/vault:default/REST_REFUSED/refresh", null),
				send("POST", "/api/credentials", Map.of("key", "REST_REFUSED", "type", "api_key", "apiKey", replacement)));

		assertThat(refused).allSatisfy((response) -> {
			assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
			assertThat(json(response)).containsEntry("code", "READ_ONLY_STORE");
			assertThat((String) json(response).get("detail")).contains("secret/data/keyflow/default/REST_REFUSED");
		});
		// nothing was stored locally beside it: the key still answers from Vault
		assertThat(json(send("GET", "/api/credentials/vault:default/REST_REFUSED", null))).containsEntry("source",
				"vault-kv");
		assertThat(json(send("GET", "/api/credentials?key=REST_REFUSED", null)).get("items")).asList()
			.noneMatch((item) -> "local".equals(((Map<?, ?>) item).get("source")));
	}

	@Test
	void userCredentialWhenListedReadRevealedAndChangedThenItsOwnPathAndReadOnlyStoreNamingIt() throws Exception {
		String secret = this.secrets.add("vault-user-" + UUID.randomUUID());
		VAULT.kv("secret", "keyflow/default/users/jane.doe@example.com/rest-user", Map.of("type", "api_key",
				"apiKey", secret));
		String path = "/api/credentials/vault:default/users/jane.doe@example.com/rest-user";
		VAULT.clearRequests();

		HttpResponse<String> list = send("GET", "/api/credentials?principalId=jane.doe@example.com&limit=100", null);
		HttpResponse<String> get = send("GET", path, null);
		HttpResponse<String> reveal = send("POST", path + "/reveal", null);
		List<HttpResponse<String>> refused = List.of(send("DELETE", path, null), send("POST", path + "/refresh", null));

		assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
		assertThat(list.body()).doesNotContain(secret);
		assertThat(items(list)).filteredOn((item) -> "vault-kv".equals(item.get("source")))
			.singleElement()
			.satisfies((item) -> assertThat(item)
				.containsEntry("id", "vault:default/users/jane.doe@example.com/rest-user")
				.containsEntry("principalId", "jane.doe@example.com")
				.containsEntry("readOnly", true));
		assertThat(get.statusCode()).as(get.body()).isEqualTo(200);
		assertThat(get.body()).doesNotContain(secret);
		assertThat(json(get)).containsEntry("source", "vault-kv").containsEntry("principalId", "jane.doe@example.com");
		assertThat(reveal.statusCode()).as(reveal.body()).isEqualTo(200);
		assertThat(json(reveal).get("secrets")).isEqualTo(Map.of("apiKey", secret));
		assertThat(refused).allSatisfy((response) -> {
			assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
			assertThat(json(response)).containsEntry("code", "READ_ONLY_STORE");
			assertThat((String) json(response).get("detail"))
				.contains("secret/data/keyflow/default/users/jane.doe@example.com/rest-user");
		});
		// the list reads the principal's folder; every lookup of the credential is that one path, read once
		assertThat(VAULT.requests("/v1/secret/data/keyflow/default/users/"))
			.extracting(VaultContractServer.Request::path)
			.containsExactly("/v1/secret/data/keyflow/default/users/jane.doe@example.com/rest-user");
		assertThat(VAULT.requests("/v1/secret/")).allSatisfy(
				(request) -> assertThat(request.header("X-Vault-Token")).isEqualTo(TOKEN));
	}

	@ParameterizedTest
	@ValueSource(strings = { "vault:default/lower_case", "vault:../REST_X", "vault:default/REST_X/extra",
			"vault:/REST_X", "other:default/REST_X", "vault:default/users/alice", "vault:default/users/alice/../x",
			"vault:default/users/a%2Fb/github", "vault:default/users/a%252Fb/github", "vault:default/users/%2E%2E/github",
			"vault:default/users/alice/github%3F" })
	void getWhenIdNoStoreCanHaveThen404WithoutAskingVault(String id) throws Exception {
		VAULT.clearRequests();

		HttpResponse<String> response = send("GET", "/api/credentials/" + id, null);

		assertThat(response.statusCode()).as(response.body()).isIn(400, 404);
		assertThat(VAULT.requests("/v1/secret")).isEmpty();
	}

	private String vaultSecret(String key) {
		String secret = this.secrets.add("vault-" + UUID.randomUUID());
		VAULT.kv("secret", "keyflow/default/" + key, Map.of("type", "api_key", "apiKey", secret));
		return secret;
	}

	private HttpResponse<String> send(String method, String path, Object body) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Authorization", "Bearer " + ADMIN_KEY);
		if (body != null) {
			request.header("Content-Type", "application/json")
				.method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
		}
		else {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static Map<String, Object> json(HttpResponse<String> response) {
		try {
			return JSON.readValue(response.body(), new TypeReference<>() {
			});
		}
		catch (IOException ex) {
			throw new AssertionError("not JSON: " + response.body(), ex);
		}
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> items(HttpResponse<String> response) {
		return (List<Map<String, Object>>) json(response).get("items");
	}

}
