package io.keyflow.rest.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 48 writers of one credential at once over real HTTP (H2): without a precondition they are serialized (every one
 * answered 200 or 201, one credential stored, holding one of the written secrets); with {@code If-Match} exactly
 * one wins and the others get 412 PRECONDITION_FAILED, storing nothing.
 */
class ConcurrentUpsertRestIntegrationTests extends RestTestSupport {

	static final int WRITERS = 48;

	/** The filters of what a test stored, deleted after it: the context (and its credential list) is shared. */
	final List<String> stored = new ArrayList<>();

	@AfterEach
	void deleteWhatTheTestStored() {
		for (String filter : this.stored) {
			for (Map<String, Object> item : this.http.get("/api/credentials" + filter, ADMIN_KEY).items()) {
				this.http.delete("/api/credentials/" + item.get("id"), ADMIN_KEY);
			}
		}
	}

	@Test
	void upsertWhen48WritersOfOneKeyWithoutPreconditionThenAllSucceedAndOneCredentialIsStored() throws Exception {
		List<String> written = new ArrayList<>();
		for (int i = 0; i < WRITERS; i++) {
			written.add(secret("concurrent-key-" + i));
		}

		List<RestClient.Response> responses = concurrently((i) -> () -> this.http.post("/api/credentials",
				this.editorKey, Map.of("key", "CONCURRENT_KEY", "type", "api_key", "apiKey", written.get(i))));

		assertThat(responses).extracting(RestClient.Response::status).containsOnly(200, 201);
		assertThat(responses).filteredOn((response) -> response.status() == 201).hasSize(1);
		assertStoredOnce("?key=CONCURRENT_KEY", written);
	}

	@Test
	void upsertWhen48WritersOfOnePrincipalAndServiceWithoutPreconditionThenAllSucceedAndOneCredentialIsStored()
			throws Exception {
		List<String> written = new ArrayList<>();
		for (int i = 0; i < WRITERS; i++) {
			written.add(secret("concurrent-principal-" + i));
		}

		List<RestClient.Response> responses = concurrently((i) -> () -> this.http.post("/api/credentials", ADMIN_KEY,
				Map.of("principalId", "concurrent-user", "service", "concurrent-service", "type", "api_key", "apiKey",
						written.get(i))));

		assertThat(responses).extracting(RestClient.Response::status).containsOnly(200, 201);
		assertStoredOnce("?principalId=concurrent-user&service=concurrent-service", written);
	}

	@Test
	void upsertWhen48WritersSendTheSameIfMatchThenOneWinsAndTheOthersGet412() throws Exception {
		String first = secret("if-match-first");
		assertThat(this.http.post("/api/credentials", this.editorKey,
				Map.of("key", "IF_MATCH_KEY", "type", "api_key", "apiKey", first)).status()).isEqualTo(201);
		String id = (String) only("?key=IF_MATCH_KEY").get("id");
		RestClient.Response read = this.http.get("/api/credentials/" + id, this.viewerKey);
		String etag = read.header("ETag");
		assertThat(etag).isNotNull().isEqualTo(read.json().get("etag"));
		List<String> written = new ArrayList<>();
		for (int i = 0; i < WRITERS; i++) {
			written.add(secret("if-match-" + i));
		}

		List<RestClient.Response> responses = concurrently((i) -> () -> this.http.send(this.http
			.request("/api/credentials", this.editorKey)
			.header("Content-Type", "application/json")
			.header("If-Match", etag)
			.POST(java.net.http.HttpRequest.BodyPublishers.ofString(RestClient
				.json(Map.of("key", "IF_MATCH_KEY", "type", "api_key", "apiKey", written.get(i)))))));

		assertThat(responses).filteredOn((response) -> response.status() == 200).hasSize(1);
		assertThat(responses).filteredOn((response) -> response.status() != 200)
			.hasSize(WRITERS - 1)
			.allSatisfy((response) -> assertProblem(response, 412, "PRECONDITION_FAILED"));
		int winner = responses.indexOf(responses.stream().filter((r) -> r.status() == 200).findFirst().orElseThrow());
		assertThat(reveal(id)).isEqualTo(written.get(winner));
		assertThat(this.http.get("/api/credentials/" + id, this.viewerKey).header("ETag")).isNotEqualTo(etag);
	}

	@Test
	void upsertWhenIfMatchIsStaleMissingOrMalformedThenRefusedAndNothingStored() {
		String kept = secret("stale-kept");
		this.http.post("/api/credentials", this.editorKey, Map.of("key", "STALE_KEY", "type", "api_key", "apiKey", kept));
		String id = (String) only("?key=STALE_KEY").get("id");
		String etag = this.http.get("/api/credentials/" + id, this.viewerKey).header("ETag");
		String newer = secret("stale-newer");
		assertThat(ifMatch(etag, "STALE_KEY", newer).status()).isEqualTo(200);

		assertProblem(ifMatch(etag, "STALE_KEY", secret("stale-lost")), 412, "PRECONDITION_FAILED");
		assertProblem(ifMatch(etag, "NEVER_CREATED_KEY", secret("stale-absent")), 412, "PRECONDITION_FAILED");
		assertProblem(ifMatch("not-a-tag", "STALE_KEY", secret("stale-malformed")), 400, "BAD_REQUEST");
		assertThat(reveal(id)).isEqualTo(newer);
		assertThat(this.http.get("/api/credentials?key=NEVER_CREATED_KEY", this.viewerKey).json().get("items"))
			.asList()
			.isEmpty();
	}

	private RestClient.Response ifMatch(String etag, String key, String secret) {
		return this.http.send(this.http.request("/api/credentials", this.editorKey)
			.header("Content-Type", "application/json")
			.header("If-Match", etag)
			.POST(java.net.http.HttpRequest.BodyPublishers
				.ofString(RestClient.json(Map.of("key", key, "type", "api_key", "apiKey", secret)))));
	}

	private void assertStoredOnce(String filter, List<String> written) {
		String id = (String) only(filter).get("id");
		assertThat(written).contains(reveal(id));
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> only(String filter) {
		this.stored.add(filter);
		List<Map<String, Object>> items = (List<Map<String, Object>>) this.http
			.get("/api/credentials" + filter, ADMIN_KEY)
			.json()
			.get("items");
		assertThat(items).hasSize(1);
		return items.get(0);
	}

	@SuppressWarnings("unchecked")
	private String reveal(String id) {
		RestClient.Response revealed = this.http.post("/api/credentials/" + id + "/reveal", ADMIN_KEY, Map.of());
		assertThat(revealed.status()).as(revealed.toString()).isEqualTo(200);
		return ((Map<String, String>) revealed.json().get("secrets")).get("apiKey");
	}

	// every writer waits at a gate, so that the requests really overlap
	private static List<RestClient.Response> concurrently(IntFunction<Callable<RestClient.Response>> writer)
			throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
		try {
			CountDownLatch gate = new CountDownLatch(1);
			List<Future<RestClient.Response>> futures = new ArrayList<>();
			for (int i = 0; i < WRITERS; i++) {
				Callable<RestClient.Response> call = writer.apply(i);
				futures.add(pool.submit(() -> {
					gate.await();
					return call.call();
				}));
			}
			gate.countDown();
			List<RestClient.Response> responses = new ArrayList<>();
			for (Future<RestClient.Response> future : futures) {
				responses.add(future.get());
			}
			return responses;
		}
		finally {
			pool.shutdownNow();
		}
	}

}
