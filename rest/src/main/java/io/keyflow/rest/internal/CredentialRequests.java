package io.keyflow.rest.internal;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.keyflow.api.Credential;
import io.keyflow.api.CredentialInfo;
import io.keyflow.api.CredentialType;
import io.keyflow.api.UsagePolicy;
import io.keyflow.plugin.CredentialService;

/**
 * Reading and checking what credential requests send: the type, the secret parts of a create body, filters and
 * ids. Messages never quote what was sent, except an id or key that matched its pattern.
 */
final class CredentialRequests {

	/** The usage-policy fields of a body that creates a credential. */
	static final Set<String> POLICY_FIELDS = Set.of("allowedProcesses", "allowedOrigins", "sealed");

	/** The fields a create body takes. */
	static final Set<String> CREATE_FIELDS = with(POLICY_FIELDS, "key", "name", "type", "credentialType", "service",
			"principalId",
			"metadata", "scopes", "tenantId", "apiKey", "value", "username", "password", "accessToken", "refreshToken",
			"tokenExpiresAt", "clientId", "clientSecret");

	/** Placeholder for a request value that did not match its pattern, where a log line or audit row names it. */
	static final String INVALID = "(invalid)";

	/** JSON field → secret part. */
	static final Map<String, String> SECRET_FIELDS = Map.of("apiKey", Credential.API_KEY, "value", Credential.VALUE,
			"username", Credential.USERNAME, "password", Credential.PASSWORD, "accessToken", Credential.ACCESS_TOKEN,
			"refreshToken", Credential.REFRESH_TOKEN);

	/** What a credential id may look like (the local store's ids; UUIDs). */
	static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,35}");

	private CredentialRequests() {
	}

	/** @return {@code fields} and {@code more} */
	static Set<String> with(Set<String> fields, String... more) {
		Set<String> all = new java.util.LinkedHashSet<>(fields);
		all.addAll(java.util.List.of(more));
		return Set.copyOf(all);
	}

	/**
	 * @param body a body that creates a credential
	 * @return the usage policy it names (validated and normalized), or {@code null} when it names none of
	 * {@link #POLICY_FIELDS} (a new credential gets the default; a replaced one keeps its own)
	 * @throws io.keyflow.api.InvalidCredentialException naming the field whose entry is not valid
	 * @throws RestException if a field has the wrong JSON type
	 */
	static UsagePolicy policy(JsonBody body) {
		if (POLICY_FIELDS.stream().noneMatch(body::has)) {
			return null;
		}
		return new UsagePolicy(body.strings("allowedProcesses"), body.strings("allowedOrigins"),
				body.bool("sealed", false));
	}

	/**
	 * @param body a body naming a connection: client, scopes, key, name and usage policy
	 * @param provider the provider id
	 * @param tenant the tenant the caller acts on
	 * @param principal the principal the caller may name, or {@code null}
	 * @return the connection request the core checks
	 */
	static io.keyflow.plugin.OAuth2ConnectionRequest connection(JsonBody body, String provider, String tenant,
			String principal) {
		return io.keyflow.plugin.OAuth2ConnectionRequest.provider(provider)
			.client(body.text("clientId"), body.text("clientSecret"))
			.scopes(body.strings("scopes"))
			.key(body.text("key"))
			.principalId(principal)
			.tenantId(tenant)
			.name(body.text("name"))
			.policy(policy(body))
			.build();
	}

	/**
	 * @param key what a request sent as a credential key
	 * @return it when it is a key ({@link CredentialInfo#KEY_PATTERN}), {@link #INVALID} when it is something else
	 * (maybe a secret pasted into the wrong field), {@code null} when absent or not a string
	 */
	static String auditableKey(JsonBody body) {
		try {
			String key = body.text("key");
			return (key == null) ? null : CredentialInfo.KEY_PATTERN.matcher(key).matches() ? key : INVALID;
		}
		catch (RestException ex) {
			return INVALID;
		}
	}

	/**
	 * @param provider what a request sent as a provider id
	 * @return it when it is a provider id ({@link CredentialService#PROVIDER_PATTERN}), else {@link #INVALID};
	 * {@code null} when absent
	 */
	static String auditableProvider(String provider) {
		return (provider == null) ? null
				: CredentialService.PROVIDER_PATTERN.matcher(provider).matches() ? provider : INVALID;
	}

	/**
	 * @param body the create body
	 * @return its type ({@code type}, or Grantex's {@code credentialType}); {@code oauth2} when absent and an
	 * accessToken is given
	 */
	static CredentialType type(JsonBody body) {
		String name = body.text("type");
		String alias = body.text("credentialType");
		if (name != null && alias != null && type(name) != type(alias)) {
			throw RestException.badRequest("credentialType", "type and credentialType name different types; send one");
		}
		if (name == null && alias != null) {
			return type(alias);
		}
		if (name == null) {
			if (body.has("accessToken")) {
				return CredentialType.OAUTH2;
			}
			throw RestException.badRequest("type", "type is required: one of api_key, static, basic, oauth2 "
					+ "(oauth2 is the default when accessToken is given)");
		}
		return type(name);
	}

	static CredentialType type(String name) {
		String normalized = name.trim().toLowerCase(Locale.ROOT);
		for (CredentialType type : CredentialType.values()) {
			if (type.wireName().equals(normalized)) {
				return type;
			}
		}
		throw RestException.badRequest("type", "type must be one of api_key, static, basic, oauth2");
	}

	/** @return the secret parts the body gives, by part name */
	static Map<String, String> secrets(JsonBody body) {
		Map<String, String> secrets = new LinkedHashMap<>();
		SECRET_FIELDS.forEach((field, part) -> {
			String value = body.text(field);
			if (value != null) {
				secrets.put(part, value);
			}
		});
		return secrets;
	}

	/**
	 * @param body a create body without a refresh token to check
	 * @param tenant the tenant it goes to
	 * @param principal the principal, as the caller may name it
	 * @return the draft the body describes
	 */
	static io.keyflow.plugin.CredentialDraft draft(JsonBody body, String tenant, String principal) {
		return io.keyflow.plugin.CredentialDraft.builder(type(body))
			.tenantId(tenant)
			.key(body.text("key"))
			.name(body.text("name"))
			.provider(body.text("service"))
			.principalId(principal)
			.scopes(body.strings("scopes"))
			.expiresAt(body.instant("tokenExpiresAt"))
			.metadata(MetadataJson.read(body.node("metadata"), "metadata"))
			.secrets(secrets(body))
			.policy(policy(body))
			.build();
	}

	/**
	 * @param id a path id
	 * @return the id
	 * @throws RestException NOT_FOUND for an id that no credential can have
	 */
	static String id(String id) {
		if (id == null || !ID.matcher(id).matches()) {
			throw RestException.notFound("no such credential");
		}
		return id;
	}

	static String keyFilter(String key) {
		if (key != null && !CredentialService.KEY_PATTERN.matcher(key).matches()) {
			throw RestException.badRequest("key", "key must be UPPER_SNAKE_CASE (e.g. GITHUB_ACME)");
		}
		return key;
	}

	static String serviceFilter(String service) {
		if (service != null && !CredentialService.PROVIDER_PATTERN.matcher(service).matches()) {
			throw RestException.badRequest("service", "service must be a lower-case provider id (e.g. github)");
		}
		return service;
	}

	static String principalFilter(String principalId) {
		if (principalId != null && (principalId.isBlank() || principalId.length() > 255)) {
			throw RestException.badRequest("principalId", "principalId must be 1 to 255 non-blank characters");
		}
		return principalId;
	}

	/**
	 * @param field the parameter's name
	 * @param value an ISO-8601 instant, or {@code null}
	 * @return the instant, or {@code null}
	 */
	static java.time.Instant instant(String field, String value) {
		if (value == null) {
			return null;
		}
		try {
			return java.time.Instant.parse(value);
		}
		catch (java.time.format.DateTimeParseException ex) {
			throw RestException.badRequest(field, field + " must be an ISO-8601 instant, e.g. 2026-01-31T00:00:00Z");
		}
	}

}
