package io.keyflow.api;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An OAuth2 authorization server Keyflow can connect accounts with: built-in (Google, GitHub, Slack, ...)
 * or registered by a {@link KeyflowPlugin} or at runtime. Holds no client secret: client registrations are
 * configured separately.
 *
 * @param id a stable lower-case id, e.g. {@code github}
 * @param name a display name
 * @param description what the provider is for
 * @param icon an icon URL or name; may be {@code null}
 * @param category a grouping for catalogues, e.g. {@code developer}, {@code communication}
 * @param authorizationUrl the authorization endpoint
 * @param tokenUrl the token endpoint
 * @param defaultScopes scopes requested when a connection asks for none
 * @param supportsRefresh whether the provider issues refresh tokens
 * @param tokenEndpointAuthMethod how the client authenticates at the token endpoint
 * @param pkce whether to send a PKCE S256 challenge
 * @param authorizationParameters extra parameters for the authorization request, e.g.
 * {@code access_type=offline}
 */
public record OAuth2Provider(String id, String name, String description, String icon, String category,
		URI authorizationUrl, URI tokenUrl, Set<String> defaultScopes, boolean supportsRefresh,
		TokenEndpointAuthMethod tokenEndpointAuthMethod, boolean pkce, Map<String, String> authorizationParameters) {

	private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

	/**
	 * Validates and copies the collections unmodifiable.
	 * @throws InvalidCredentialException naming the first invalid field
	 */
	public OAuth2Provider {
		if (id == null || !ID.matcher(id).matches()) {
			throw new InvalidCredentialException("id",
					"provider id must be 1-64 characters of a-z, 0-9, '_', '.', '-' and start with a letter or digit");
		}
		if (name == null || name.isBlank()) {
			throw new InvalidCredentialException("name", "provider '" + id + "' needs a name");
		}
		requireHttpUrl(id, "authorizationUrl", authorizationUrl);
		requireHttpUrl(id, "tokenUrl", tokenUrl);
		if (tokenEndpointAuthMethod == null) {
			tokenEndpointAuthMethod = TokenEndpointAuthMethod.CLIENT_SECRET_BASIC;
		}
		if (tokenEndpointAuthMethod == TokenEndpointAuthMethod.NONE && !pkce) {
			throw new InvalidCredentialException("pkce",
					"provider '" + id + "' uses a public client (auth method none) and must use PKCE");
		}
		category = (category == null || category.isBlank()) ? "other" : category;
		defaultScopes = (defaultScopes != null) ? Collections.unmodifiableSet(new LinkedHashSet<>(defaultScopes))
				: Set.of();
		authorizationParameters = (authorizationParameters != null)
				? Collections.unmodifiableMap(new LinkedHashMap<>(authorizationParameters)) : Map.of();
	}

	/**
	 * @param id the provider id
	 * @return a builder; PKCE on, refresh supported, {@code client_secret_basic} by default
	 */
	public static Builder withId(String id) {
		return new Builder(id);
	}

	private static void requireHttpUrl(String id, String field, URI url) {
		if (url == null || !url.isAbsolute() || url.getHost() == null
				|| !("https".equals(url.getScheme()) || "http".equals(url.getScheme()))) {
			throw new InvalidCredentialException(field,
					"provider '" + id + "' needs an absolute http(s) " + field);
		}
	}

	/**
	 * Builds {@link OAuth2Provider}s; {@link #build()} validates.
	 */
	public static final class Builder {

		private final String id;

		private String name;

		private String description;

		private String icon;

		private String category;

		private URI authorizationUrl;

		private URI tokenUrl;

		private Set<String> defaultScopes = Set.of();

		private boolean supportsRefresh = true;

		private TokenEndpointAuthMethod tokenEndpointAuthMethod = TokenEndpointAuthMethod.CLIENT_SECRET_BASIC;

		private boolean pkce = true;

		private Map<String, String> authorizationParameters = Map.of();

		private Builder(String id) {
			this.id = id;
		}

		public Builder name(String name) {
			this.name = name;
			return this;
		}

		public Builder description(String description) {
			this.description = description;
			return this;
		}

		public Builder icon(String icon) {
			this.icon = icon;
			return this;
		}

		public Builder category(String category) {
			this.category = category;
			return this;
		}

		public Builder authorizationUrl(String authorizationUrl) {
			this.authorizationUrl = toUri("authorizationUrl", authorizationUrl);
			return this;
		}

		public Builder tokenUrl(String tokenUrl) {
			this.tokenUrl = toUri("tokenUrl", tokenUrl);
			return this;
		}

		public Builder defaultScopes(String... scopes) {
			this.defaultScopes = Set.of(scopes);
			return this;
		}

		public Builder defaultScopes(Set<String> scopes) {
			this.defaultScopes = scopes;
			return this;
		}

		public Builder supportsRefresh(boolean supportsRefresh) {
			this.supportsRefresh = supportsRefresh;
			return this;
		}

		public Builder tokenEndpointAuthMethod(TokenEndpointAuthMethod method) {
			this.tokenEndpointAuthMethod = method;
			return this;
		}

		public Builder pkce(boolean pkce) {
			this.pkce = pkce;
			return this;
		}

		public Builder authorizationParameters(Map<String, String> parameters) {
			this.authorizationParameters = parameters;
			return this;
		}

		public OAuth2Provider build() {
			return new OAuth2Provider(this.id, this.name, this.description, this.icon, this.category,
					this.authorizationUrl, this.tokenUrl, this.defaultScopes, this.supportsRefresh,
					this.tokenEndpointAuthMethod, this.pkce, this.authorizationParameters);
		}

		private URI toUri(String field, String value) {
			try {
				return (value != null) ? URI.create(value) : null;
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidCredentialException(field, "provider '" + this.id + "' has a malformed " + field);
			}
		}

	}

}
