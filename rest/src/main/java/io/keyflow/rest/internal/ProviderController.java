package io.keyflow.rest.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.keyflow.api.CredentialConflictException;
import io.keyflow.api.InvalidCredentialException;
import io.keyflow.api.OAuth2Provider;
import io.keyflow.api.TokenEndpointAuthMethod;
import io.keyflow.plugin.OAuth2ProviderRegistry;
import io.keyflow.rest.ApiKeyRole;

/**
 * {@code /api/credentials/oauth2/providers}: the provider catalogue, and run-time registration of custom providers
 * (kept in the database, so every node knows them and they survive a restart).
 */
@RestController
@RequestMapping(ApiKeyFilter.BASE_PATH + "/oauth2/providers")
class ProviderController {

	static final Set<String> FIELDS = Set.of("id", "name", "description", "icon", "category", "authorizationUrl",
			"tokenUrl", "defaultScopes", "supportsRefresh", "tokenEndpointAuthMethod", "pkce", "authorizationParameters");

	private final OAuth2ProviderRegistry providers;

	private final AuditTrail audit;

	ProviderController(OAuth2ProviderRegistry providers, AuditTrail audit) {
		this.providers = providers;
		this.audit = audit;
	}

	@GetMapping
	@RequiredRole(ApiKeyRole.VIEWER)
	Map<String, Object> list() {
		List<Map<String, Object>> items = this.providers.providers().stream().map(CredentialJson::provider).toList();
		return Map.of("items", items);
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	@RequiredRole(ApiKeyRole.ADMIN)
	ResponseEntity<Map<String, Object>> register(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
			@RequestBody byte[] json) {
		if (caller.boundTenant() != null) {
			throw RestException.forbidden("providers are shared by every tenant: only an unbound admin key may "
					+ "register one");
		}
		JsonBody body = JsonBody.parse(json, FIELDS);
		String id = body.requiredText("id");
		try {
			OAuth2Provider provider = OAuth2Provider.withId(id)
				.name(body.text("name"))
				.description(body.text("description"))
				.icon(body.text("icon"))
				.category(body.text("category"))
				.authorizationUrl(body.requiredText("authorizationUrl"))
				.tokenUrl(body.requiredText("tokenUrl"))
				.defaultScopes(body.strings("defaultScopes"))
				.supportsRefresh(body.bool("supportsRefresh", true))
				.tokenEndpointAuthMethod(authMethod(body.text("tokenEndpointAuthMethod")))
				.pkce(body.bool("pkce", true))
				.authorizationParameters(body.stringMap("authorizationParameters"))
				.build();
			try {
				this.providers.register(provider, OAuth2ProviderRegistry.Origin.RUNTIME);
			}
			catch (InvalidCredentialException ex) {
				// the provider is valid: the registry refuses to replace a built-in or plugin provider
				throw new CredentialConflictException(ex.getMessage());
			}
			this.audit.success(caller, "provider.register", null, provider.id());
			return ResponseEntity.status(201).body(CredentialJson.provider(provider));
		}
		catch (RuntimeException ex) {
			this.audit.failure(caller, "provider.register", null, null,
					(CredentialRequests.ID.matcher(id).matches()) ? id : null, ex);
			throw ex;
		}
	}

	private static TokenEndpointAuthMethod authMethod(String name) {
		if (name == null) {
			return TokenEndpointAuthMethod.CLIENT_SECRET_BASIC;
		}
		for (TokenEndpointAuthMethod method : TokenEndpointAuthMethod.values()) {
			if (method.name().toLowerCase(Locale.ROOT).equals(name)) {
				return method;
			}
		}
		throw RestException.badRequest("tokenEndpointAuthMethod",
				"tokenEndpointAuthMethod must be client_secret_basic, client_secret_post or none");
	}

}
