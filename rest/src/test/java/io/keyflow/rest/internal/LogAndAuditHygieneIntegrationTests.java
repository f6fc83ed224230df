package io.keyflow.rest.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.keyflow.plugin.LeakScanner;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What reaches the log and {@code KEYFLOW_AUDIT} from a request: a secret pasted into the wrong field is not
 * written anywhere, a request-supplied string cannot forge a log line, and an unauthenticated caller cannot grow the
 * audit table.
 */
class LogAndAuditHygieneIntegrationTests extends RestTestSupport {

	static final String BASE = "/api/credentials";

	@Test
	void createWhenSecretPastedIntoKeyThenRefusedAndNeitherLogNorAuditHasIt() throws Exception {
		String pasted = "sk_live_" + UUID.randomUUID().toString().replace("-", "");
		int logLines = log.size();
		List<String> before = auditIds();

		RestClient.Response response = this.http.post(BASE, this.editorKey,
				Map.of("key", pasted, "type", "api_key", "apiKey", secret("wrong-field")));

		assertProblem(response, 400, "BAD_REQUEST");
		assertThat(response.json()).containsEntry("field", "key");
		assertThat(response.body()).doesNotContain(pasted);
		assertThat(auditRowsSince(before)).as("the failed create is audited").singleElement().satisfies((row) -> assertThat(row).containsEntry("ACTION_", "credential.create")
			.containsEntry("OUTCOME_", "failure")
			.containsEntry("CREDENTIAL_KEY_", "(invalid)"));
		assertThat(log.size()).isGreaterThan(logLines);
		assertThat(log.text()).doesNotContain(pasted);
		assertThat(LeakScanner.scanDatabase(this.dataSource, Set.of(pasted))).isEmpty();
	}

	@Test
	void createWhenKeyValidThenAuditedWithIt() {
		List<String> before = auditIds();
		RestClient.Response response = this.http.post(BASE, this.editorKey,
				Map.of("key", "HYGIENE_VALID", "type", "api_key", "apiKey", ""));

		assertProblem(response, 400, "BAD_REQUEST");
		assertThat(auditRowsSince(before)).singleElement()
			.satisfies((row) -> assertThat(row).containsEntry("CREDENTIAL_KEY_", "HYGIENE_VALID"));
	}

	@Test
	void startWhenProviderIdCarriesCrLfThenNoLogLineIsForgedAndTheAuditRowHasNoControlCharacter() {
		String marker = "forged" + UUID.randomUUID().toString().substring(0, 8);
		String provider = "nope\r\nINFO io.keyflow.audit KEYFLOW-A001 " + marker;
		List<String> before = auditIds();

		RestClient.Response response = this.http.post(BASE + "/oauth2/start", this.editorKey,
				Map.of("providerId", provider, "key", "HYGIENE_CRLF"));

		assertProblem(response, 400, "PROVIDER_UNKNOWN");
		assertThat(log.text()).doesNotContain("\r");
		assertThat(Arrays.stream(log.text().split("\n"))).noneMatch((line) -> line.startsWith("INFO io.keyflow.audit "
				+ "KEYFLOW-A001 " + marker));
		List<Map<String, Object>> rows = auditRowsSince(before);
		assertThat(rows).singleElement().satisfies((row) -> assertThat(row).containsEntry("ACTION_", "oauth2.start")
			.containsEntry("OUTCOME_", "failure")
			.containsEntry("SUBJECT_", "(invalid)"));
		assertThat(rows.get(0).values()).allSatisfy((value) -> assertThat(String.valueOf(value)).doesNotContain("\n", "\r")
			.doesNotContain(marker));
	}

	@Test
	void getCallbackWhenUnauthenticatedAndFailingThenLoggedButAuditTableDoesNotGrow() {
		long auditRows = auditRows();
		int logLines = log.size();
		List<String> queries = List.of("?code=c&state=" + UUID.randomUUID(), "?code=c", "", "?state=" + UUID.randomUUID(),
				"?error=access_denied", "?error=%0d%0aforged", "?code=c&state=" + "s".repeat(600));

		for (int i = 0; i < 100; i++) {
			RestClient.Response response = this.http.get(REDIRECT_PATH + queries.get(i % queries.size()), null);
			assertThat(response.status()).isEqualTo(302);
			assertThat(response.header("Location")).contains("error=");
		}

		assertThat(auditRows()).isEqualTo(auditRows);
		assertThat(log.size()).isGreaterThanOrEqualTo(logLines + 100);
		assertThat(log.text()).contains("KEYFLOW-R008").doesNotContain("\r").doesNotContain("\nforged");
	}

	private long auditRows() {
		return new JdbcTemplate(this.dataSource).queryForObject("select count(*) from KEYFLOW_AUDIT", Long.class);
	}

	private List<String> auditIds() {
		return new JdbcTemplate(this.dataSource).queryForList("select ID_ from KEYFLOW_AUDIT", String.class);
	}

	private List<Map<String, Object>> auditRowsSince(List<String> before) {
		return new JdbcTemplate(this.dataSource).queryForList("select * from KEYFLOW_AUDIT")
			.stream()
			.filter((row) -> !before.contains(row.get("ID_")))
			.toList();
	}

}
