package io.keyflow.rest.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/credentials/batch} (all or none, each stored credential audited, an invalid item named by its
 * index), Grantex's {@code credentialType} for {@code type}, and metadata values of any JSON type.
 */
class CredentialBatchRestIntegrationTests extends RestTestSupport {

	static final String BASE = "/api/credentials";

	private final List<String> stored = new ArrayList<>();

	@AfterEach
	void deleteStored() {
		this.stored.forEach((id) -> assertThat(this.http.delete(BASE + "/" + id, ADMIN_KEY).status()).isIn(204, 404));
	}

	@Test
	void batchWhenEveryItemValidThenAllStoredInOrderAndEachAudited() {
		String prefix = unique("BATCH_OK");
		Map<String, Object> existing = apiKey(prefix + "_B");
		RestClient.Response first = this.http.post(BASE, this.editorKey, existing);
		this.stored.add((String) first.json().get("id"));

		RestClient.Response batch = this.http.post(BASE + "/batch", this.editorKey,
				Map.of("credentials", List.of(apiKey(prefix + "_A"), apiKey(prefix + "_B"),
						Map.of("key", prefix + "_C", "type", "basic", "username", "svc", "password", secret("pw")))));

		assertThat(batch.status()).as(batch.toString()).isEqualTo(200);
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> items = (List<Map<String, Object>>) batch.json().get("credentials");
		items.forEach((item) -> this.stored.add((String) item.get("id")));
		assertThat(items).extracting((item) -> item.get("key")).containsExactly(prefix + "_A", prefix + "_B", prefix + "_C");
		assertThat(items).extracting((item) -> item.get("created")).containsExactly(true, false, true);
		assertThat(items.get(1).get("id")).isEqualTo(first.json().get("id"));
		List<Map<String, Object>> audit = this.http.get(BASE + "/audit?size=3", ADMIN_KEY).items();
		assertThat(audit).extracting((event) -> event.get("credentialKey"))
			.containsExactlyInAnyOrder(prefix + "_A", prefix + "_B", prefix + "_C");
		assertThat(audit).extracting((event) -> event.get("action"))
			.containsExactlyInAnyOrder("credential.create", "credential.update", "credential.create");
	}

	@Test
	void batchWhenOneItemInvalidThen400NamingItsIndexAndFieldAndNothingStored() {
		String prefix = unique("BATCH_BAD");
		long before = credentialRows();

		RestClient.Response batch = this.http.post(BASE + "/batch", this.editorKey, Map.of("credentials",
				List.of(apiKey(prefix + "_A"), apiKey(prefix + "_B"), apiKey("not-a-key"))));

		assertProblem(batch, 400, "BAD_REQUEST");
		assertThat(batch.json()).containsEntry("field", "credentials[2].key");
		assertThat((String) batch.json().get("detail")).startsWith("credentials[2]: key must be UPPER_SNAKE_CASE")
			.endsWith("nothing was stored");
		assertThat(credentialRows()).isEqualTo(before);
		assertThat(this.http.get(BASE + "/audit?size=1", ADMIN_KEY).items().get(0))
			.containsEntry("action", "credential.batch").containsEntry("outcome", "failure");
	}

	@Test
	void batchWhenAWriteConflictsAfterEarlierItemsWereWrittenThen409AndTheTransactionTakesThemBack() {
		// item 1 passes every check, but its key belongs to another credential: the unique index refuses it after
		// item 0 was written
		String prefix = unique("BATCH_ROLLBACK");
		RestClient.Response owner = this.http.post(BASE, this.editorKey, apiKey(prefix + "_OWNED"));
		assertThat(owner.status()).as(owner.toString()).isEqualTo(201);
		this.stored.add((String) owner.json().get("id"));
		long before = credentialRows();
		Map<String, Object> clash = apiKey(prefix + "_OWNED");
		clash.put("principalId", "batch-" + UUID.randomUUID());
		clash.put("service", "openai");

		RestClient.Response batch = this.http.post(BASE + "/batch", ADMIN_KEY,
				Map.of("credentials", List.of(apiKey(prefix + "_FIRST"), clash)));

		assertProblem(batch, 409, "CONFLICT");
		assertThat(credentialRows()).isEqualTo(before);
		assertThat(this.http.get(BASE + "?key=" + prefix + "_FIRST", this.viewerKey).items()).isEmpty();
	}

	@Test
	void batchWhenTwoItemsNameOneKeyThen400AndNothingStored() {
		String key = unique("BATCH_TWICE");
		long before = credentialRows();

		RestClient.Response batch = this.http.post(BASE + "/batch", this.editorKey,
				Map.of("credentials", List.of(apiKey(key), apiKey(key))));

		assertProblem(batch, 400, "BAD_REQUEST");
		assertThat(batch.json()).containsEntry("field", "credentials[1].key");
		assertThat(credentialRows()).isEqualTo(before);
	}

	@Test
	void batchWhenEmptyOrNotAnArrayOrItemHasUnknownFieldThen400() {
		assertThat(this.http.post(BASE + "/batch", this.editorKey, Map.of("credentials", List.of())).json())
			.containsEntry("field", "credentials");
		assertThat(this.http.post(BASE + "/batch", this.editorKey, Map.of("credentials", "x")).json())
			.containsEntry("field", "credentials");
		Map<String, Object> withRefresh = apiKey(unique("BATCH_REFRESH"));
		withRefresh.put("refreshToken", secret("refresh"));
		RestClient.Response refused = this.http.post(BASE + "/batch", this.editorKey,
				Map.of("credentials", List.of(withRefresh)));
		assertProblem(refused, 400, "BAD_REQUEST");
		assertThat(refused.json()).containsEntry("field", "credentials[0].refreshToken");
	}

	@Test
	void batchWhenViewerKeyThen403() {
		assertProblem(this.http.post(BASE + "/batch", this.viewerKey,
				Map.of("credentials", List.of(apiKey(unique("BATCH_VIEWER"))))), 403, "FORBIDDEN");
	}

	@Test
	void createWhenCredentialTypeGivenThenItIsTheTypeAndWhenBothDisagreeThen400() {
		String key = unique("GRANTEX_TYPE");
		RestClient.Response created = this.http.post(BASE, this.editorKey,
				Map.of("key", key, "credentialType", "static", "value", secret("grantex")));
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		this.stored.add((String) created.json().get("id"));
		assertThat(created.json()).containsEntry("type", "static");

		assertThat(this.http.post(BASE, this.editorKey, Map.of("key", key, "type", "static", "credentialType",
				"STATIC", "value", secret("grantex"))).status()).isEqualTo(200);
		RestClient.Response both = this.http.post(BASE, this.editorKey,
				Map.of("key", key, "type", "api_key", "credentialType", "static", "apiKey", secret("grantex")));
		assertProblem(both, 400, "BAD_REQUEST");
		assertThat(both.json()).containsEntry("field", "credentialType");
	}

	@Test
	void createWhenMetadataHasValuesOfEveryJsonTypeThenGetAnswersThemAsSent() {
		Map<String, Object> metadata = new LinkedHashMap<>();
		metadata.put("team", "payments");
		metadata.put("retries", 3);
		metadata.put("ratio", 0.25);
		metadata.put("beta", true);
		metadata.put("nothing", null);
		metadata.put("tags", List.of("a", 1, false));
		metadata.put("owner", Map.of("name", "Ada", "ids", List.of(1, 2)));
		metadata.put("quoted", "42");
		Map<String, Object> body = apiKey(unique("META_TYPES"));
		body.put("metadata", metadata);

		RestClient.Response created = this.http.post(BASE, this.editorKey, body);

		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		this.stored.add((String) created.json().get("id"));
		Map<String, Object> detail = this.http.get(BASE + "/" + created.json().get("id"), this.viewerKey).json();
		assertThat(detail.get("metadata")).isEqualTo(metadata);
		assertThat(this.http.get(BASE + "?key=" + body.get("key"), this.viewerKey).items()).singleElement()
			.satisfies((item) -> assertThat(item.get("metadata")).isEqualTo(metadata));
	}

	@Test
	void createWhenMetadataTooLargeOrNamesTheReservedEntryThen400() {
		Map<String, Object> large = apiKey(unique("META_LARGE"));
		large.put("metadata", Map.of("blob", Map.of("text", "x".repeat(9000))));
		RestClient.Response tooLarge = this.http.post(BASE, this.editorKey, large);
		assertProblem(tooLarge, 400, "BAD_REQUEST");
		assertThat(tooLarge.json()).containsEntry("field", "metadata");

		Map<String, Object> reserved = apiKey(unique("META_RESERVED"));
		reserved.put("metadata", Map.of(MetadataJson.JSON_VALUES, "[]"));
		RestClient.Response refused = this.http.post(BASE, this.editorKey, reserved);
		assertProblem(refused, 400, "BAD_REQUEST");
		assertThat(refused.json()).containsEntry("field", "metadata");
	}

	private static String unique(String prefix) {
		return prefix + "_" + UUID.randomUUID().toString().substring(0, 8).toUpperCase().replace('-', '_');
	}

	private static Map<String, Object> apiKey(String key) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("key", key);
		body.put("type", "api_key");
		body.put("apiKey", secret("batch"));
		return body;
	}

	private long credentialRows() {
		return new JdbcTemplate(this.dataSource).queryForObject("SELECT COUNT(*) FROM KEYFLOW_CREDENTIAL", Long.class);
	}

}
