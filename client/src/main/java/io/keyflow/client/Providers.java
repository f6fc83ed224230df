package io.keyflow.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.keyflow.api.OAuth2Provider;
import io.keyflow.api.TokenEndpointAuthMethod;

/** {@code /api/credentials/oauth2/providers}: the OAuth2 providers the server knows, and registering one. */
public final class Providers {

	private static final String BASE = "/api/credentials/oauth2/providers";

	private final Transport http;

	Providers(Transport http) {
		this.http = http;
	}

	/** @return every provider */
	public List<OAuth2Provider> list() {
		List<OAuth2Provider> providers = new ArrayList<>();
		this.http.get(BASE, null).path("items").forEach((item) -> providers.add(of(item)));
		return providers;
	}

	/**
	 * Registers a provider at run time (an unbound admin key).
	 * @return the provider as registered
	 * @throws io.keyflow.api.CredentialConflictException if a built-in or plugin provider has the id
	 */
	public OAuth2Provider register(OAuth2Provider provider) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("id", provider.id());
		body.put("name", provider.name());
		body.put("description", provider.description());
		body.put("icon", provider.icon());
		body.put("category", provider.category());
		body.put("authorizationUrl", provider.authorizationUrl().toString());
		body.put("tokenUrl", provider.tokenUrl().toString());
		body.put("defaultScopes", provider.defaultScopes());
		body.put("supportsRefresh", provider.supportsRefresh());
		body.put("tokenEndpointAuthMethod", provider.tokenEndpointAuthMethod().name().toLowerCase(Locale.ROOT));
		body.put("pkce", provider.pkce());
		body.put("authorizationParameters", provider.authorizationParameters());
		body.values().removeIf(java.util.Objects::isNull);
		return of(this.http.post(BASE, null, body));
	}

	static OAuth2Provider of(JsonNode json) {
		return OAuth2Provider.withId(Json.text(json, "id"))
			.name(Json.text(json, "name"))
			.description(Json.text(json, "description"))
			.icon(Json.text(json, "icon"))
			.category(Json.text(json, "category"))
			.authorizationUrl(Json.text(json, "authorizationUrl"))
			.tokenUrl(Json.text(json, "tokenUrl"))
			.defaultScopes(Json.strings(json, "defaultScopes"))
			.supportsRefresh(Json.bool(json, "supportsRefresh"))
			.tokenEndpointAuthMethod(TokenEndpointAuthMethod.valueOf(
					Json.text(json, "tokenEndpointAuthMethod").toUpperCase(Locale.ROOT)))
			.pkce(Json.bool(json, "pkce"))
			.authorizationParameters(Json.stringMap(json, "authorizationParameters"))
			.build();
	}

}
