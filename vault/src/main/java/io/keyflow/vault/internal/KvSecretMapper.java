package io.keyflow.vault.internal;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.keyflow.api.Credential;
import io.keyflow.api.CredentialException;
import io.keyflow.api.CredentialInfo;
import io.keyflow.api.CredentialType;
import io.keyflow.api.InvalidCredentialException;

/**
 * Reads a Keyflow credential from the fields of a Vault KV secret:
 * <ul>
 * <li>{@code type}: {@code api_key}, {@code static}, {@code basic} or {@code oauth2}; when absent, inferred
 * from the secret fields present;</li>
 * <li>secret fields: {@code apiKey}, {@code value}, {@code username}/{@code password}, {@code accessToken};</li>
 * <li>clear fields: {@code name}, {@code provider}, {@code principalId}, {@code scopes} (space- or
 * comma-separated, or a list), {@code expiresAt} (ISO-8601 instant or epoch seconds), {@code default}
 * ({@code true} marks the tenant default for its provider).</li>
 * </ul>
 * Other fields are ignored: they might be secrets, so they are neither exposed nor quoted. Error messages name
 * fields and the path, never a value.
 */
public final class KvSecretMapper {

	private static final List<String> SECRET_FIELDS = List.of(Credential.API_KEY, Credential.VALUE,
			Credential.USERNAME, Credential.PASSWORD, Credential.ACCESS_TOKEN);

	/** Metadata entry naming the Vault path a credential was read from. */
	public static final String PATH_METADATA = "vault.path";

	/** Metadata entry with the KV version that was read. */
	public static final String VERSION_METADATA = "vault.version";

	private KvSecretMapper() {
	}

	/**
	 * @param data the secret's fields
	 * @param kvMetadata KV v2 metadata of the version read ({@code version}, {@code created_time}); may be null
	 * @param id the credential id to give it
	 * @param tenantId the tenant it was read for
	 * @param key its key (the last path segment)
	 * @param location its Vault path, for messages and metadata
	 * @return the credential
	 * @throws CredentialException if the fields do not make a credential
	 */
	public static Credential toCredential(Map<String, Object> data, Map<String, Object> kvMetadata, String id,
			String tenantId, String key, String location) {
		Map<String, String> secrets = new LinkedHashMap<>();
		for (String field : SECRET_FIELDS) {
			Object value = data.get(field);
			if (value != null && !value.toString().isEmpty()) {
				secrets.put(field, value.toString());
			}
		}
		CredentialType type = type(data.get("type"), secrets, location);
		for (String part : type.requiredSecretParts()) {
			if (!secrets.containsKey(part)) {
				throw invalid(location, "has type " + type.wireName() + " but no field '" + part + "'");
			}
		}
		secrets.keySet().retainAll(type.allowedSecretParts());
		Map<String, String> metadata = new LinkedHashMap<>();
		if (isTrue(data.get("default"))) {
			metadata.put("default", "true");
		}
		metadata.put(PATH_METADATA, location);
		Object version = (kvMetadata != null) ? kvMetadata.get("version") : null;
		if (version != null) {
			metadata.put(VERSION_METADATA, version.toString());
		}
		Instant written = (kvMetadata != null) ? instantOrNull(kvMetadata.get("created_time")) : null;
		CredentialInfo info = CredentialInfo.builder(type)
			.id(id)
			.tenantId(tenantId)
			.key(key)
			.name(text(data.get("name")))
			.provider(text(data.get("provider")))
			.principalId(text(data.get("principalId")))
			.scopes(scopes(data.get("scopes"), location))
			.expiresAt(expiresAt(data.get("expiresAt"), location))
			.metadata(metadata)
			.createdAt(written)
			.updatedAt(written)
			.build();
		return Credential.of(info, secrets);
	}

	private static CredentialType type(Object type, Map<String, String> secrets, String location) {
		if (type != null) {
			try {
				return CredentialType.fromWireName(type.toString());
			}
			catch (InvalidCredentialException ex) {
				// the field's content is not quoted: a misplaced secret must not end up in a message
				throw invalid(location, "has a 'type' that is not one of api_key, static, basic, oauth2");
			}
		}
		if (secrets.containsKey(Credential.ACCESS_TOKEN)) {
			return CredentialType.OAUTH2;
		}
		if (secrets.containsKey(Credential.USERNAME) || secrets.containsKey(Credential.PASSWORD)) {
			return CredentialType.BASIC;
		}
		if (secrets.containsKey(Credential.API_KEY)) {
			return CredentialType.API_KEY;
		}
		if (secrets.containsKey(Credential.VALUE)) {
			return CredentialType.STATIC;
		}
		throw invalid(location, "has none of the fields apiKey, value, username/password, accessToken");
	}

	private static Set<String> scopes(Object scopes, String location) {
		Set<String> result = new LinkedHashSet<>();
		if (scopes == null) {
			return result;
		}
		if (scopes instanceof Collection<?> list) {
			list.forEach((scope) -> result.add(String.valueOf(scope).trim()));
		}
		else if (scopes instanceof String text) {
			for (String scope : text.split("[\\s,]+")) {
				result.add(scope);
			}
		}
		else {
			throw invalid(location, "has 'scopes' that is neither a string nor a list");
		}
		result.remove("");
		return result;
	}

	private static Instant expiresAt(Object expiresAt, String location) {
		if (expiresAt == null || expiresAt.toString().isBlank()) {
			return null;
		}
		if (expiresAt instanceof Number seconds) {
			return Instant.ofEpochSecond(seconds.longValue());
		}
		String text = expiresAt.toString().trim();
		try {
			return text.chars().allMatch(Character::isDigit) ? Instant.ofEpochSecond(Long.parseLong(text))
					: Instant.parse(text);
		}
		catch (DateTimeParseException | NumberFormatException ex) {
			throw invalid(location, "has an 'expiresAt' that is neither an ISO-8601 instant nor epoch seconds");
		}
	}

	private static Instant instantOrNull(Object value) {
		try {
			return (value != null) ? Instant.parse(value.toString()) : null;
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	private static boolean isTrue(Object value) {
		return value != null && value.toString().trim().equalsIgnoreCase("true");
	}

	private static String text(Object value) {
		return (value != null && !value.toString().isBlank()) ? value.toString() : null;
	}

	private static CredentialException invalid(String location, String problem) {
		return new CredentialException("Vault secret " + location + " " + problem);
	}

}
