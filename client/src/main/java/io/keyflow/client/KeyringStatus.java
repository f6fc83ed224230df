package io.keyflow.client;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The server's keyring: its keys and the last key operations. Never key material.
 *
 * @param keys the keys, the primary one among them
 * @param remaining rows not under the primary key (what a re-encryption still has to move)
 * @param reEncryption the last re-encryption, or {@code null} when none has run
 * @param canRewrap whether a source rewraps data keys (Vault transit)
 * @param rewrap the last rewrap, or {@code null}
 */
public record KeyringStatus(List<EncryptionKey> keys, long remaining, KeyOperation reEncryption, boolean canRewrap,
		KeyOperation rewrap) {

	public KeyringStatus {
		keys = List.copyOf(keys);
	}

	/** @return the primary key (new rows are encrypted under it), or {@code null} if the server named none */
	public EncryptionKey primary() {
		return this.keys.stream().filter(EncryptionKey::primary).findFirst().orElse(null);
	}

	static KeyringStatus of(JsonNode json) {
		List<EncryptionKey> keys = new ArrayList<>();
		json.path("keys").forEach((key) -> keys.add(EncryptionKey.of(key)));
		return new KeyringStatus(keys, json.path("remaining").asLong(), operation(json, "reEncryption"),
				Json.bool(json, "canRewrap"), operation(json, "rewrap"));
	}

	private static KeyOperation operation(JsonNode json, String field) {
		JsonNode value = json.get(field);
		return (value == null || value.isNull()) ? null : KeyOperation.of(value);
	}

	/**
	 * One key of the keyring.
	 *
	 * @param id the key id
	 * @param primary whether new rows are encrypted under it
	 * @param inKeyring whether the server holds it (a key that rows name but the keyring lacks is {@code false})
	 * @param credentials credentials it encrypts
	 * @param oauth2Clients OAuth2 client secrets it encrypts
	 * @param oauth2Flows pending OAuth2 flows it encrypts
	 * @param total every row it encrypts
	 * @param description what the source says of it (Vault transit: data key status, transit key and version), or
	 * {@code null}
	 */
	public record EncryptionKey(String id, boolean primary, boolean inKeyring, long credentials, long oauth2Clients,
			long oauth2Flows, long total, String description) {

		static EncryptionKey of(JsonNode json) {
			return new EncryptionKey(Json.text(json, "id"), Json.bool(json, "primary"), Json.bool(json, "inKeyring"),
					json.path("credentials").asLong(), json.path("oauth2Clients").asLong(),
					json.path("oauth2Flows").asLong(), json.path("total").asLong(), Json.text(json, "description"));
		}

	}

}
