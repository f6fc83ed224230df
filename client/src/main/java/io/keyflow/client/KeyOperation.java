package io.keyflow.client;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A background key operation's progress ({@code re-encrypt} or {@code rewrap}).
 *
 * @param operation {@code re-encrypt} or {@code rewrap}
 * @param state {@code RUNNING}, {@code DONE}, {@code FAILED} or {@code INTERRUPTED}
 * @param node the server node that runs it
 * @param processed rows moved so far
 * @param batches batches committed so far
 * @param startedAt when it started
 * @param updatedAt when it last reported progress
 * @param finishedAt when it ended, or {@code null}
 * @param error why it failed (names the row, never a secret), or {@code null}
 * @param remaining rows not yet under the primary key (re-encryption only; else {@code null})
 */
public record KeyOperation(String operation, String state, String node, long processed, long batches,
		Instant startedAt, Instant updatedAt, Instant finishedAt, String error, Long remaining) {

	/** @return whether it is still running ({@code RUNNING}) */
	public boolean running() {
		return "RUNNING".equals(this.state);
	}

	/** @return whether it finished with every row moved ({@code DONE}) */
	public boolean done() {
		return "DONE".equals(this.state);
	}

	static KeyOperation of(JsonNode json) {
		JsonNode remaining = json.get("remaining");
		return new KeyOperation(Json.text(json, "operation"), Json.text(json, "state"), Json.text(json, "node"),
				json.path("processed").asLong(), json.path("batches").asLong(), Json.instant(json, "startedAt"),
				Json.instant(json, "updatedAt"), Json.instant(json, "finishedAt"), Json.text(json, "error"),
				(remaining == null || remaining.isNull()) ? null : remaining.asLong());
	}

}
