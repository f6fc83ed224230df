package io.keyflow.rest.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.keyflow.api.CredentialType;
import io.keyflow.plugin.CredentialDraft;
import io.keyflow.plugin.CredentialService;
import io.keyflow.plugin.KeyflowEngine;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit trail over real HTTP: {@code GET /api/credentials/audit?format=jsonl} streams every event as one JSON
 * object a line, for admins only; a change made over REST is recorded once, with the API key as actor, and a change
 * made through the Java API once, as {@code keyflow:java}; a credential's usage shows in its metadata and filters the
 * list.
 */
class AuditExportIntegrationTests extends RestTestSupport {

	static final String BASE = "/api/credentials";

	static final ObjectMapper JSON = new ObjectMapper();

	@Autowired
	CredentialService credentials;

	@Autowired
	KeyflowEngine keyflow;

	@Autowired
	RepositoryService repositoryService;

	@Autowired
	RuntimeService runtimeService;

	@Test
	void exportWhenAdminThenEveryEventOneJsonObjectALineOldestFirstAndEachChangeOnce() throws Exception {
		String key = "EXPORTED_" + UUID.randomUUID().toString().replace("-", "_").toUpperCase(Locale.ROOT);
		String secret = secret("export");
		String id = (String) this.http.post(BASE, this.editorKey, Map.of("key", key, "type", "api_key", "apiKey", secret))
			.json()
			.get("id");
		assertThat(this.http.delete(BASE + "/" + id, this.editorKey).status()).isEqualTo(204);
		String javaKey = key + "_JAVA";
		String javaId = this.credentials.save(CredentialDraft.builder(CredentialType.API_KEY)
			.key(javaKey)
			.secret("apiKey", secret("java"))
			.build()).id();

		RestClient.Response export = this.http.get(BASE + "/audit?format=jsonl", ADMIN_KEY);

		assertThat(export.status()).as(export.toString()).isEqualTo(200);
		assertThat(export.contentType()).startsWith("application/x-ndjson");
		assertThat(export.header("Cache-Control")).isEqualTo("no-store");
		List<Map<String, Object>> events = new ArrayList<>();
		for (String line : export.body().split("\n", -1)) {
			if (!line.isEmpty()) {
				events.add(JSON.readValue(line, new TypeReference<Map<String, Object>>() {
				}));
			}
		}
		assertThat(export.body()).endsWith("\n");
		assertThat(events).isNotEmpty()
			.allSatisfy((event) -> assertThat(event).containsKeys("id", "at", "actorId", "action", "outcome"));
		List<Instant> times = events.stream().map((event) -> Instant.parse((String) event.get("at"))).toList();
		assertThat(times).isSorted();
		// each change once: the REST call with the API key as actor; the Java call as keyflow:java
		assertThat(events.stream().filter((event) -> id.equals(event.get("credentialId"))).map((event) -> event.get("action")
				+ " by " + actorKind(event))).containsExactly("credential.create by key", "credential.delete by key");
		assertThat(events.stream().filter((event) -> javaId.equals(event.get("credentialId")))
			.map((event) -> event.get("action") + " by " + event.get("actorId"))).containsExactly("credential.create by keyflow:java");
		// the export itself is the newest event of the next export
		List<Map<String, Object>> page = this.http.get(BASE + "/audit?size=1", ADMIN_KEY).items();
		assertThat(page.get(0)).containsEntry("action", "audit.export").containsEntry("actorId", ApiKeyAuthenticator.BOOTSTRAP_ID);
	}

	@Test
	void exportWhenSinceThenOnlyLaterEventsAndBadInputIsAProblem() throws Exception {
		String since = Instant.now().plusSeconds(3600).toString();

		RestClient.Response none = this.http.get(BASE + "/audit?format=jsonl&since=" + since, ADMIN_KEY);

		assertThat(none.status()).isEqualTo(200);
		assertThat(none.body()).isEmpty();
		assertProblem(this.http.get(BASE + "/audit?format=xml", ADMIN_KEY), 400, "BAD_REQUEST");
		assertProblem(this.http.get(BASE + "/audit?format=jsonl&since=yesterday", ADMIN_KEY), 400, "BAD_REQUEST");
	}

	@Test
	void exportWhenNotAdminThenForbiddenAndTenantAdminSeesItsTenantOnly() throws Exception {
		assertProblem(this.http.get(BASE + "/audit?format=jsonl", this.editorKey), 403, "FORBIDDEN");
		assertProblem(this.http.get(BASE + "/audit?format=jsonl", this.viewerKey), 403, "FORBIDDEN");

		RestClient.Response tenant = this.http.get(BASE + "/audit?format=jsonl", this.tenantAdminKey);

		assertThat(tenant.status()).isEqualTo(200);
		for (String line : tenant.body().split("\n")) {
			if (!line.isEmpty()) {
				assertThat(JSON.readValue(line, Map.class)).containsEntry("tenantId", "tenant-b");
			}
		}
	}

	@Test
	void getWhenTasksUsedTheCredentialThenUsageInItsMetadataAndTheListFilters() {
		String key = "USED_" + UUID.randomUUID().toString().replace("-", "_").toUpperCase(Locale.ROOT);
		String id = (String) this.http.post(BASE, this.editorKey, Map.of("key", key, "type", "api_key", "apiKey",
				secret("usage"))).json().get("id");
		Map<String, Object> unused = this.http.get(BASE + "/" + id, this.viewerKey).json();
		assertThat(unused).containsEntry("useCount", 0).containsEntry("lastUsedAt", null);
		String before = Instant.now().minusSeconds(1).toString();

		useTwice(key);

		Map<String, Object> used = this.http.get(BASE + "/" + id, this.viewerKey).json();
		assertThat(used).containsEntry("useCount", 2).containsEntry("lastUsedByProcess", "usage-test");
		assertThat(Instant.parse((String) used.get("lastUsedAt"))).isAfterOrEqualTo(Instant.parse(before));
		assertThat(ids(this.http.get(BASE + "?key=" + key + "&usedSince=" + before, this.viewerKey).items()))
			.containsExactly(id);
		assertThat(ids(this.http.get(BASE + "?key=" + key + "&unusedSince=" + before, this.viewerKey).items()))
			.isEmpty();
		assertProblem(this.http.get(BASE + "?usedSince=last-week", this.viewerKey), 400, "BAD_REQUEST");
	}

	// a task's resolution counts a use in memory; the flush writes it (every keyflow.usage.flush-interval)
	private void useTwice(String key) {
		this.repositoryService.createDeployment().addClasspathResource("bpmn/usage-test.bpmn").deploy();
		this.runtimeService.startProcessInstanceByKey("usage-test", Map.of("credentialKey", key));
		this.runtimeService.startProcessInstanceByKey("usage-test", Map.of("credentialKey", key));
		this.keyflow.flushUsage();
	}

	private static List<Object> ids(List<Map<String, Object>> items) {
		return items.stream().map((item) -> item.get("id")).toList();
	}

	private static String actorKind(Map<String, Object> event) {
		String actor = (String) event.get("actorId");
		return actor.startsWith("keyflow:") ? actor : "key";
	}

}
