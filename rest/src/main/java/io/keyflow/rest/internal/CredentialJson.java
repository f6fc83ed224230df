package io.keyflow.rest.internal;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.keyflow.api.CredentialInfo;
import io.keyflow.api.OAuth2Provider;

/**
 * The JSON shapes of the REST API's answers. Built from {@link CredentialInfo}, which has no secret, so no view can
 * carry one. {@code service} is the provider id.
 */
final class CredentialJson {

	private CredentialJson() {
	}

	/**
	 * What a create answers: id, key, type, service, principalId, name, tenantId, createdAt, and the usage policy
	 * (allowedProcesses, allowedOrigins, sealed).
	 */
	static Map<String, Object> created(CredentialInfo info) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("id", info.id());
		json.put("key", info.key());
		json.put("name", info.name());
		json.put("type", info.type().wireName());
		json.put("service", info.provider());
		json.put("principalId", info.principalId());
		json.put("tenantId", info.tenantId());
		json.put("createdAt", text(info.createdAt()));
		json.put("allowedProcesses", info.policy().allowedProcesses());
		json.put("allowedOrigins", info.policy().allowedOrigins());
		json.put("sealed", info.policy().sealed());
		return json;
	}

	/**
	 * The metadata view: {@link #created} plus status, scopes, tokenExpiresAt, metadata, updatedAt, and how tasks used
	 * it (lastUsedAt, useCount, lastUsedByProcess).
	 */
	static Map<String, Object> detail(CredentialInfo info) {
		Map<String, Object> json = created(info);
		json.put("status", info.status().name());
		json.put("scopes", info.scopes());
		json.put("tokenExpiresAt", text(info.expiresAt()));
		json.put("metadata", info.metadata());
		json.put("updatedAt", text(info.updatedAt()));
		json.put("lastUsedAt", text(info.usage().lastUsedAt()));
		json.put("useCount", info.usage().useCount());
		json.put("lastUsedByProcess", info.usage().lastProcessDefinitionKey());
		return json;
	}

	static Map<String, Object> provider(OAuth2Provider provider) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("id", provider.id());
		json.put("name", provider.name());
		json.put("description", provider.description());
		json.put("icon", provider.icon());
		json.put("category", provider.category());
		json.put("authorizationUrl", provider.authorizationUrl().toString());
		json.put("tokenUrl", provider.tokenUrl().toString());
		json.put("defaultScopes", provider.defaultScopes());
		json.put("supportsRefresh", provider.supportsRefresh());
		json.put("tokenEndpointAuthMethod", provider.tokenEndpointAuthMethod().name().toLowerCase(java.util.Locale.ROOT));
		json.put("pkce", provider.pkce());
		json.put("authorizationParameters", provider.authorizationParameters());
		return json;
	}

	static Map<String, Object> audit(AuditEvent event) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("id", event.id());
		json.put("at", text(event.at()));
		json.put("actorId", event.actorId());
		json.put("actorName", event.actorName());
		json.put("tenantId", event.tenantId());
		json.put("action", event.action());
		json.put("credentialId", event.credentialId());
		json.put("credentialKey", event.credentialKey());
		json.put("subject", event.subject());
		json.put("outcome", event.outcome());
		json.put("errorCode", event.errorCode());
		json.put("onBehalfOf", event.onBehalfOf());
		return json;
	}

	static Map<String, Object> page(java.util.List<?> items, Paging paging, boolean hasMore) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("items", items);
		json.put("offset", paging.offset());
		json.put("limit", paging.limit());
		json.put("hasMore", hasMore);
		return json;
	}

	static String text(Instant instant) {
		return (instant != null) ? instant.toString() : null;
	}

}
