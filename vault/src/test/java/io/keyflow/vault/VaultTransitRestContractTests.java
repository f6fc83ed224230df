package io.keyflow.vault;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.keyflow.plugin.LeakScan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Vault transit through the REST key operations over real HTTP, transit played by {@link VaultContractServer}: the
 * data key is listed with the transit key version that wraps it, and after the transit key is rotated in Vault,
 * {@code POST /api/credentials/keys/rewrap} rewraps it in the background ({@code transit/rewrap}) to the new version.
 */
@SpringBootTest(classes = VaultTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=servlet",
				"keyflow.rest.admin-api-key=" + VaultTransitRestContractTests.ADMIN_KEY })
@ExtendWith(LeakScan.class)
class VaultTransitRestContractTests {

	static final String ADMIN_KEY = "vault-transit-admin-1f6c0d2e-7a3b-4c9d-8e5f-0a1b2c3d4e5f";

	static final String TOKEN = "hvs.transit-rest-test-token";

	static final VaultContractServer VAULT = VaultContractServer.start().token(TOKEN).transitKey("keyflow");

	static final ObjectMapper JSON = new ObjectMapper();

	final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void vault(DynamicPropertyRegistry registry) {
		registry.add("keyflow.vault.address", VAULT::address);
		registry.add("keyflow.vault.authentication.token", () -> TOKEN);
		registry.add("keyflow.vault.transit.enabled", () -> "true");
	}

	@AfterEach
	void secrets(LeakScan.Secrets secrets) {
		secrets.add(TOKEN);
		secrets.add(ADMIN_KEY);
		VAULT.generatedDataKeys().forEach(secrets::add);
	}

	@AfterAll
	static void stopVault() {
		VAULT.close();
	}

	@Test
	void rewrapWhenTransitKeyRotatedThenTheDataKeyIsRewrappedToTheNewVersionInTheBackground() throws Exception {
		Map<String, Object> before = json(send("GET", "/api/credentials/keys"));
		assertThat(before).containsEntry("canRewrap", true);
		assertThat(description(before)).contains("PRIMARY").endsWith("version 1");
		VAULT.rotateTransitKey("keyflow");
		VAULT.clearRequests();

		HttpResponse<String> started = send("POST", "/api/credentials/keys/rewrap");
		await().atMost(Duration.ofSeconds(30))
			.until(() -> "DONE".equals(json(send("GET", "/api/credentials/keys/rewrap")).get("state")));

		assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
		assertThat(json(send("GET", "/api/credentials/keys/rewrap"))).containsEntry("processed", 1);
		assertThat(description(json(send("GET", "/api/credentials/keys")))).endsWith("version 2");
		assertThat(VAULT.requests("/v1/transit/rewrap/keyflow")).isNotEmpty();
	}

	@SuppressWarnings("unchecked")
	private static String description(Map<String, Object> keys) {
		return (String) ((List<Map<String, Object>>) keys.get("keys")).get(0).get("description");
	}

	private HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Authorization", "Bearer " + ADMIN_KEY)
			.method(method, HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.ofString());
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

}
