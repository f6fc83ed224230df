package io.keyflow.client;

import java.util.Map;

/**
 * {@code /api/credentials/keys}: the encryption keyring's status and re-encryption under its primary key (an admin
 * key). Servers before these endpoints answer 404: {@link io.keyflow.api.CredentialNotFoundException} or a
 * {@link KeyflowClientException} with status 404.
 */
public final class Keys {

	private final Transport http;

	Keys(Transport http) {
		this.http = http;
	}

	/** @return the server's answer: the keys (ids and statuses, never key material) and what uses them */
	public Map<String, Object> status() {
		return Json.objectMap(wrap(this.http.get("/api/credentials/keys", null)), "answer");
	}

	/** @return the server's answer: how many rows moved to the primary key */
	public Map<String, Object> reEncrypt() {
		return Json.objectMap(wrap(this.http.post("/api/credentials/keys/re-encrypt", null, Map.of())), "answer");
	}

	private static com.fasterxml.jackson.databind.JsonNode wrap(com.fasterxml.jackson.databind.JsonNode answer) {
		return Transport.JSON.createObjectNode().set("answer", answer);
	}

}
