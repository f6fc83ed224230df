package io.keyflow.plugin.internal.oauth2;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.keyflow.api.InvalidCredentialException;
import io.keyflow.api.OAuth2Provider;
import io.keyflow.api.ProviderUnknownException;
import io.keyflow.api.TokenEndpointAuthMethod;

/**
 * The built-in OAuth2 providers (Google, GitHub, Slack, ...), read from
 * {@code io/keyflow/providers/catalogue.json}, with the scopes a user can pick for each and a link to the
 * provider's OAuth2 documentation.
 * <p>
 * The whole document is validated when it is loaded: every entry must build an {@link OAuth2Provider} and pass
 * the stricter rules for built-ins (https only, a known category and client authentication method, no unknown
 * fields, unique ids and scopes). A broken entry fails with an {@link IllegalStateException} that names the
 * provider id and the field, so a bad edit stops start-up instead of surfacing at a user's first connection.
 * <p>
 * Instances are immutable and thread-safe.
 */
public final class ProviderCatalogue {

	/** Classpath location of the built-in catalogue. */
	static final String BUILT_IN_RESOURCE = "/io/keyflow/providers/catalogue.json";

	/** The only document format this class reads. */
	static final int FORMAT_VERSION = 1;

	/** The categories an entry may use. */
	static final Set<String> CATEGORIES = Set.of("productivity", "communication", "developer", "crm", "marketing",
			"finance", "storage", "project-management", "design", "ai", "other");

	private static final Set<String> DOCUMENT_FIELDS = Set.of("version", "providers");

	private static final Set<String> ENTRY_FIELDS = Set.of("id", "name", "description", "icon", "category",
			"authorizationUrl", "tokenUrl", "defaultScopes", "supportsRefresh", "tokenEndpointAuthMethod", "pkce",
			"authorizationParameters", "scopes", "docs", "notes");

	private static final Set<String> SCOPE_FIELDS = Set.of("scope", "description");

	private static final Map<String, TokenEndpointAuthMethod> AUTH_METHODS = Map.of(
			"client_secret_basic", TokenEndpointAuthMethod.CLIENT_SECRET_BASIC,
			"client_secret_post", TokenEndpointAuthMethod.CLIENT_SECRET_POST,
			"none", TokenEndpointAuthMethod.NONE);

	private static final String AUTH_METHOD_NAMES = "client_secret_basic, client_secret_post, none";

	// The authorization request sets these itself; an entry overriding one (state, redirect_uri) could break the
	// flow or its CSRF and code-injection protection.
	private static final Set<String> RESERVED_PARAMETERS = Set.of("response_type", "client_id", "redirect_uri",
			"scope", "state", "nonce", "code_challenge", "code_challenge_method");

	// simple-icons slugs: lower-case letters and digits, '_' for the few that need a suffix.
	private static final Pattern ICON_SLUG = Pattern.compile("[a-z0-9_]{1,64}");

	// RFC 6749 section 3.3 scope-token: a space inside one would silently split it into two scopes.
	private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");

	private static final JsonMapper MAPPER = JsonMapper.builder()
		// A repeated key would otherwise silently keep the last value, hiding a copy-paste mistake.
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		// load(InputStream) leaves closing to its caller.
		.disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
		.build();

	private final List<OAuth2Provider> providers;

	private final Map<String, Entry> entries;

	private ProviderCatalogue(Map<String, Entry> entries) {
		this.entries = Collections.unmodifiableMap(entries);
		this.providers = entries.values().stream().map(Entry::provider).toList();
	}

	/**
	 * Loads the catalogue that ships with Keyflow.
	 * @return the built-in catalogue
	 * @throws IllegalStateException if the resource is missing, unreadable or has an invalid entry; the message
	 * names the provider id and the field
	 */
	public static ProviderCatalogue loadBuiltIn() {
		try (InputStream in = ProviderCatalogue.class.getResourceAsStream(BUILT_IN_RESOURCE)) {
			if (in == null) {
				throw new IllegalStateException(
						"provider catalogue: " + BUILT_IN_RESOURCE + " is missing from the classpath");
			}
			return load(in);
		}
		catch (IOException ex) {
			throw new IllegalStateException("provider catalogue: cannot read " + BUILT_IN_RESOURCE, ex);
		}
	}

	/**
	 * Loads a catalogue document and validates it with the rules for built-in providers.
	 * @param in a catalogue document in format version {@value #FORMAT_VERSION}; read to the end, not closed
	 * @return the catalogue, entries in document order
	 * @throws IllegalArgumentException if {@code in} is {@code null}
	 * @throws IllegalStateException if the document is not valid JSON or not a valid catalogue; for an invalid
	 * entry the message names the provider id (or the entry's position when the id itself is bad) and the field
	 */
	public static ProviderCatalogue load(InputStream in) {
		if (in == null) {
			throw new IllegalArgumentException("in cannot be null");
		}
		JsonNode document;
		try {
			document = MAPPER.readTree(in);
		}
		catch (JsonProcessingException ex) {
			JsonLocation location = ex.getLocation();
			String where = (location != null)
					? " at line " + location.getLineNr() + ", column " + location.getColumnNr() : "";
			throw new IllegalStateException(
					"provider catalogue: not valid JSON" + where + ": " + ex.getOriginalMessage(), ex);
		}
		catch (IOException ex) {
			throw new IllegalStateException("provider catalogue: cannot read the document", ex);
		}
		return new ProviderCatalogue(readDocument(document));
	}

	/**
	 * @return every provider, in catalogue order; unmodifiable
	 */
	public List<OAuth2Provider> providers() {
		return this.providers;
	}

	/**
	 * @param id a provider id, e.g. {@code github}
	 * @return the provider, or empty if the catalogue has none with that id
	 * @throws IllegalArgumentException if {@code id} is {@code null}
	 */
	public Optional<OAuth2Provider> find(String id) {
		return entry(id).map(Entry::provider);
	}

	/**
	 * @param providerId a provider id, e.g. {@code google}
	 * @return the well-known scopes a user can pick for the provider, in catalogue order; empty if the catalogue
	 * lists none (the provider has no scopes, or they are configured on the provider's side); unmodifiable
	 * @throws IllegalArgumentException if {@code providerId} is {@code null}
	 * @throws ProviderUnknownException if the catalogue has no provider with that id
	 */
	public List<ScopeInfo> scopes(String providerId) {
		return entry(providerId).map(Entry::scopes).orElseThrow(() -> new ProviderUnknownException(providerId));
	}

	/**
	 * @param id a provider id, e.g. {@code slack}
	 * @return the URL of the provider's OAuth2 documentation, or empty if the catalogue has no provider with that id
	 * @throws IllegalArgumentException if {@code id} is {@code null}
	 */
	public Optional<String> docs(String id) {
		return entry(id).map(Entry::docs);
	}

	@Override
	public String toString() {
		return "ProviderCatalogue[" + this.entries.size() + " providers]";
	}

	private Optional<Entry> entry(String id) {
		if (id == null) {
			throw new IllegalArgumentException("id cannot be null");
		}
		return Optional.ofNullable(this.entries.get(id));
	}

	private static Map<String, Entry> readDocument(JsonNode document) {
		if (document == null || !document.isObject()) {
			throw new IllegalStateException("provider catalogue: the document must be a JSON object");
		}
		for (Map.Entry<String, JsonNode> field : document.properties()) {
			if (!DOCUMENT_FIELDS.contains(field.getKey())) {
				throw new IllegalStateException(
						"provider catalogue: field '" + field.getKey() + "' is not a known field");
			}
		}
		JsonNode version = document.get("version");
		if (version == null || !version.isInt() || version.intValue() != FORMAT_VERSION) {
			throw new IllegalStateException("provider catalogue: field 'version' must be " + FORMAT_VERSION
					+ ", the only format this Keyflow reads");
		}
		JsonNode providers = document.get("providers");
		if (providers == null || !providers.isArray()) {
			throw new IllegalStateException("provider catalogue: field 'providers' must be an array");
		}
		Map<String, Entry> entries = new LinkedHashMap<>();
		Map<String, Integer> positions = new LinkedHashMap<>();
		int position = 0;
		for (JsonNode node : providers) {
			position++;
			Entry entry = new EntryReader(node, position).read();
			String id = entry.provider().id();
			Integer first = positions.putIfAbsent(id, position);
			if (first != null) {
				throw new IllegalStateException("provider catalogue: provider '" + id
						+ "' field 'id' repeats the id of entry " + first);
			}
			entries.put(id, entry);
		}
		return entries;
	}

	/**
	 * A scope a user can pick for a provider.
	 *
	 * @param scope the scope value as sent to the provider, e.g. {@code https://www.googleapis.com/auth/drive}
	 * @param description what the scope grants, for display
	 */
	public record ScopeInfo(String scope, String description) {

		/**
		 * @throws IllegalArgumentException if either value is {@code null} or blank
		 */
		public ScopeInfo {
			if (scope == null || scope.isBlank()) {
				throw new IllegalArgumentException("scope cannot be blank");
			}
			if (description == null || description.isBlank()) {
				throw new IllegalArgumentException("description cannot be blank");
			}
		}

	}

	private record Entry(OAuth2Provider provider, List<ScopeInfo> scopes, String docs) {
	}

	/**
	 * Reads one entry; every failure names the provider (or the entry's position) and the field.
	 */
	private static final class EntryReader {

		private final JsonNode node;

		private final int position;

		private String subject;

		EntryReader(JsonNode node, int position) {
			this.node = node;
			this.position = position;
			this.subject = "entry " + position;
		}

		Entry read() {
			if (!this.node.isObject()) {
				throw new IllegalStateException(
						"provider catalogue: entry " + this.position + " must be a JSON object");
			}
			String id = requiredString("id");
			this.subject = "provider '" + id + "'";
			for (Map.Entry<String, JsonNode> field : this.node.properties()) {
				if (!ENTRY_FIELDS.contains(field.getKey())) {
					throw fail(field.getKey(), "is not a known field");
				}
			}
			String name = requiredString("name");
			String description = requiredString("description");
			String icon = icon();
			String category = requiredString("category");
			if (!CATEGORIES.contains(category)) {
				throw fail("category", "must be one of " + String.join(", ", CATEGORIES.stream().sorted().toList()));
			}
			URI authorizationUrl = httpsUrl("authorizationUrl");
			URI tokenUrl = httpsUrl("tokenUrl");
			Set<String> defaultScopes = defaultScopes();
			boolean supportsRefresh = requiredBoolean("supportsRefresh");
			TokenEndpointAuthMethod authMethod = AUTH_METHODS.get(requiredString("tokenEndpointAuthMethod"));
			if (authMethod == null) {
				throw fail("tokenEndpointAuthMethod", "must be one of " + AUTH_METHOD_NAMES);
			}
			boolean pkce = requiredBoolean("pkce");
			Map<String, String> parameters = authorizationParameters();
			List<ScopeInfo> scopes = scopes();
			String docs = httpsUrl("docs").toString();
			optionalString("notes");
			try {
				OAuth2Provider provider = new OAuth2Provider(id, name, description, icon, category, authorizationUrl,
						tokenUrl, defaultScopes, supportsRefresh, authMethod, pkce, parameters);
				return new Entry(provider, scopes, docs);
			}
			catch (InvalidCredentialException ex) {
				throw new IllegalStateException("provider catalogue: " + this.subject + " field '" + ex.getField()
						+ "' is invalid: " + ex.getMessage(), ex);
			}
		}

		private String requiredString(String field) {
			JsonNode value = present(field);
			if (!value.isTextual() || value.textValue().isBlank()) {
				throw fail(field, "must be a non-blank string");
			}
			return value.textValue();
		}

		private void optionalString(String field) {
			JsonNode value = this.node.get(field);
			if (value != null && (!value.isTextual() || value.textValue().isBlank())) {
				throw fail(field, "must be a non-blank string when present");
			}
		}

		private boolean requiredBoolean(String field) {
			JsonNode value = present(field);
			if (!value.isBoolean()) {
				throw fail(field, "must be true or false");
			}
			return value.booleanValue();
		}

		private String icon() {
			JsonNode value = present("icon");
			if (value.isNull()) {
				return null;
			}
			if (!value.isTextual() || !ICON_SLUG.matcher(value.textValue()).matches()) {
				throw fail("icon", "must be a simple-icons slug such as \"github\", or null");
			}
			return value.textValue();
		}

		private URI httpsUrl(String field) {
			String text = requiredString(field);
			URI url;
			try {
				url = new URI(text);
			}
			catch (URISyntaxException ex) {
				throw fail(field, "must be an absolute https URL");
			}
			// Built-ins carry authorization codes and client secrets: plain http is never acceptable for them.
			if (!"https".equals(url.getScheme()) || url.getHost() == null || url.getRawUserInfo() != null
					|| url.getRawFragment() != null) {
				throw fail(field, "must be an absolute https URL");
			}
			return url;
		}

		private Set<String> defaultScopes() {
			JsonNode value = present("defaultScopes");
			if (!value.isArray()) {
				throw fail("defaultScopes", "must be an array of scope strings");
			}
			Set<String> scopes = new LinkedHashSet<>();
			for (JsonNode scope : value) {
				if (!scope.isTextual() || !SCOPE_TOKEN.matcher(scope.textValue()).matches()) {
					throw fail("defaultScopes", "must hold scope strings without spaces or quotes");
				}
				if (!scopes.add(scope.textValue())) {
					throw fail("defaultScopes", "lists '" + scope.textValue() + "' twice");
				}
			}
			return scopes;
		}

		private Map<String, String> authorizationParameters() {
			JsonNode value = present("authorizationParameters");
			if (!value.isObject()) {
				throw fail("authorizationParameters", "must be an object of string values");
			}
			Map<String, String> parameters = new LinkedHashMap<>();
			for (Map.Entry<String, JsonNode> parameter : value.properties()) {
				String key = parameter.getKey();
				if (key.isBlank() || !parameter.getValue().isTextual()) {
					throw fail("authorizationParameters", "must be an object of string values");
				}
				if (RESERVED_PARAMETERS.contains(key)) {
					throw fail("authorizationParameters",
							"must not set '" + key + "': the authorization request sets it");
				}
				parameters.put(key, parameter.getValue().textValue());
			}
			return parameters;
		}

		private List<ScopeInfo> scopes() {
			JsonNode value = this.node.get("scopes");
			if (value == null) {
				return List.of();
			}
			if (!value.isArray()) {
				throw fail("scopes", "must be an array of {\"scope\", \"description\"} objects");
			}
			List<ScopeInfo> scopes = new ArrayList<>();
			Set<String> seen = new LinkedHashSet<>();
			int index = 0;
			for (JsonNode item : value) {
				String field = "scopes[" + index + "]";
				if (!item.isObject()) {
					throw fail(field, "must be a {\"scope\", \"description\"} object");
				}
				for (Map.Entry<String, JsonNode> property : item.properties()) {
					if (!SCOPE_FIELDS.contains(property.getKey())) {
						throw fail(field + "." + property.getKey(), "is not a known field");
					}
				}
				JsonNode scope = item.get("scope");
				if (scope == null || !scope.isTextual() || !SCOPE_TOKEN.matcher(scope.textValue()).matches()) {
					throw fail(field + ".scope", "must be a non-blank scope string without spaces or quotes");
				}
				JsonNode description = item.get("description");
				if (description == null || !description.isTextual() || description.textValue().isBlank()) {
					throw fail(field + ".description", "must be a non-blank string");
				}
				if (!seen.add(scope.textValue())) {
					throw fail(field + ".scope", "lists '" + scope.textValue() + "' twice");
				}
				scopes.add(new ScopeInfo(scope.textValue(), description.textValue()));
				index++;
			}
			return Collections.unmodifiableList(scopes);
		}

		private JsonNode present(String field) {
			JsonNode value = this.node.get(field);
			if (value == null) {
				throw fail(field, "is missing");
			}
			return value;
		}

		private IllegalStateException fail(String field, String problem) {
			return new IllegalStateException(
					"provider catalogue: " + this.subject + " field '" + field + "' " + problem);
		}

	}

}
