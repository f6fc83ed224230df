package io.keyflow.rest.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import io.keyflow.api.Credential;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/credentials/oauth2/client-credentials} against Spring Authorization Server: the client is checked
 * by fetching a token at once; a refused client stores nothing.
 */
class ClientCredentialsRestIntegrationTests extends RestTestSupport {

	static final String PATH = "/api/credentials/oauth2/client-credentials";

	@Test
	void clientCredentialsWhenProviderIssuesATokenThenStoredAsMachineCredentialAndRefreshable() {
		Map<String, Object> body = body("MACHINE_" + suffix());
		body.put("clientId", "keyflow");
		body.put("clientSecret", CLIENT_SECRET);
		body.put("allowedProcesses", java.util.List.of("nightly-sync"));

		RestClient.Response created = this.http.post(PATH, this.editorKey, body);

		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		assertThat(created.json()).containsEntry("type", "oauth2").containsEntry("service", "devserver")
			.containsEntry("key", body.get("key"))
			.containsEntry("allowedProcesses", java.util.List.of("nightly-sync"));
		assertThat(created.json().get("metadata")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
			.containsEntry(Credential.GRANT_TYPE_METADATA, Credential.GRANT_CLIENT_CREDENTIALS);
		assertThat(created.json().get("tokenExpiresAt")).isNotNull();
		String id = (String) created.json().get("id");
		assertThat(this.http.post("/api/credentials/" + id + "/refresh", this.editorKey, Map.of()).status()).isEqualTo(200);
		assertThat(this.http.get("/api/credentials/audit?size=5", ADMIN_KEY).items())
			.anySatisfy((event) -> assertThat(event).containsEntry("action", "oauth2.connect").containsEntry("credentialId", id));
		assertThat(this.http.delete("/api/credentials/" + id, ADMIN_KEY).status()).isEqualTo(204);
	}

	@Test
	void clientCredentialsWhenProviderRefusesTheClientThenProblemAndNothingStored() {
		long before = rows();
		Map<String, Object> body = body("MACHINE_BAD_" + suffix());
		body.put("clientId", "keyflow");
		body.put("clientSecret", secret("wrong-client-secret"));

		RestClient.Response refused = this.http.post(PATH, this.editorKey, body);

		assertThat(refused.status()).as(refused.toString()).isIn(400, 502);
		assertThat(refused.contentType()).startsWith("application/problem+json");
		assertThat(rows()).isEqualTo(before);
	}

	@Test
	void clientCredentialsWhenClientIdWithoutSecretOrViewerKeyThenRefused() {
		Map<String, Object> body = body("MACHINE_HALF_" + suffix());
		body.put("clientId", "keyflow");
		RestClient.Response half = this.http.post(PATH, this.editorKey, body);
		assertProblem(half, 400, "BAD_REQUEST");
		assertThat(half.json()).containsEntry("field", "clientSecret");

		assertProblem(this.http.post(PATH, this.viewerKey, body("MACHINE_VIEWER")), 403, "FORBIDDEN");
	}

	private static Map<String, Object> body(String key) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("providerId", "devserver");
		body.put("key", key);
		body.put("scopes", java.util.List.of("read"));
		return body;
	}

	private static String suffix() {
		return UUID.randomUUID().toString().substring(0, 8).toUpperCase();
	}

	private long rows() {
		return new JdbcTemplate(this.dataSource).queryForObject("SELECT COUNT(*) FROM KEYFLOW_CREDENTIAL", Long.class);
	}

}
