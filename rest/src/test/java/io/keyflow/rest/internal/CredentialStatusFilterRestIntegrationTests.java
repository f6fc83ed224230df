package io.keyflow.rest.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code status=} in the credential list: NEEDS_REAUTHORIZATION (a refresh was refused), the derived EXPIRED (an OAuth2
 * token past its expiry with no refresh token, which Keyflow cannot renew), ACTIVE; every item says {@code expired};
 * an unknown status is a 400 naming the accepted ones. Also: oauth2/start answers what is missing when the
 * redirect URI is not configured (see {@link ProblemUnitTests}).
 */
class CredentialStatusFilterRestIntegrationTests extends RestTestSupport {

	/** What a test stored, deleted after it: the context (and its credential list) is shared. */
	final List<String> stored = new ArrayList<>();

	@AfterEach
	void deleteWhatTheTestStored() {
		this.stored.forEach((id) -> this.http.delete("/api/credentials/" + id, ADMIN_KEY));
	}

	@Test
	void listWhenStatusFilterThenOnlyCredentialsInThatStateWithTheirFlag() {
		String suffix = UUID.randomUUID().toString().substring(0, 8).toUpperCase();
		String expired = create("STATUS_EXPIRED_" + suffix, Instant.now().minus(1, ChronoUnit.HOURS));
		String valid = create("STATUS_VALID_" + suffix, Instant.now().plus(1, ChronoUnit.HOURS));
		String reauthorize = create("STATUS_REAUTH_" + suffix, Instant.now().plus(1, ChronoUnit.HOURS));
		new JdbcTemplate(this.dataSource)
			.update("update KEYFLOW_CREDENTIAL set STATUS_ = 'NEEDS_REAUTHORIZATION' where ID_ = ?", reauthorize);

		assertThat(ids("EXPIRED")).contains(expired).doesNotContain(valid, reauthorize);
		assertThat(ids("expired")).contains(expired);
		assertThat(ids("NEEDS_REAUTHORIZATION")).contains(reauthorize).doesNotContain(valid, expired);
		assertThat(ids("ACTIVE")).contains(valid, expired).doesNotContain(reauthorize);
		assertThat(item(expired)).containsEntry("expired", true).containsEntry("source", "local")
			.containsEntry("readOnly", false);
		assertThat(item(valid)).containsEntry("expired", false);
	}

	@Test
	void listWhenStatusUnknownThenBadRequestNamingTheAcceptedValues() {
		RestClient.Response response = this.http.get("/api/credentials?status=BROKEN", this.viewerKey);

		assertProblem(response, 400, "BAD_REQUEST");
		assertThat(response.json()).containsEntry("field", "status");
		assertThat((String) response.json().get("detail")).contains("ACTIVE", "NEEDS_REAUTHORIZATION", "EXPIRED");
	}

	private String create(String key, Instant expiresAt) {
		RestClient.Response created = this.http.post("/api/credentials", this.editorKey, Map.of("key", key, "type",
				"oauth2", "service", "devserver", "accessToken", secret("status-" + key), "tokenExpiresAt",
				expiresAt.toString()));
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		this.stored.add((String) created.json().get("id"));
		return (String) created.json().get("id");
	}

	private List<String> ids(String status) {
		RestClient.Response response = this.http.get("/api/credentials?limit=200&status=" + status, this.viewerKey);
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		return response.items().stream().map((item) -> (String) item.get("id")).toList();
	}

	private Map<String, Object> item(String id) {
		return this.http.get("/api/credentials/" + id, this.viewerKey).json();
	}

}
