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
		json.put("metadata", MetadataJson.write(info.metadata()));
		json.put("updatedAt", text(info.updatedAt()));
		json.put("lastUsedAt", text(info.usage().lastUsedAt()));
		json.put("useCount", info.usage().useCount());
		json.put("lastUsedByProcess", info.usage().lastProcessDefinitionKey());
		return json;
	}

	/**
	 * The metadata view of a credential of any store: {@link #detail} plus {@code source} (the store's name:
	 * {@code local}, {@code vault-kv}, a plugin store's), {@code readOnly}, and {@code expired} (an OAuth2 token
	 * that has expired and cannot be refreshed).
	 */
	static Map<String, Object> detail(CredentialSources.Sourced found) {
		Map<String, Object> json = detail(found.info());
		json.put("source", found.source());
		json.put("readOnly", found.readOnly());
		json.put("expired", found.expired());
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

	/** A credential request: what was wanted and where it stands; it holds no secret. */
	static Map<String, Object> request(io.keyflow.plugin.CredentialRequest request, java.util.List<String> incidentIds) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("id", request.id());
		json.put("tenantId", request.tenantId());
		json.put("kind", request.kind().name());
		json.put("status", request.status().name());
		json.put("key", request.key());
		json.put("service", request.provider());
		json.put("principalId", request.principalId());
		json.put("credentialId", request.credentialId());
		json.put("types", request.acceptedTypes().stream().map((type) -> type.wireName()).sorted().toList());
		json.put("scopes", request.scopes().stream().sorted().toList());
		json.put("processDefinitionKey", request.processDefinitionKey());
		json.put("activityId", request.activityId());
		json.put("description", request.description());
		json.put("obtain", request.obtain());
		json.put("jobIds", request.jobIds());
		json.put("incidentIds", incidentIds);
		json.put("reason", request.reason());
		json.put("resolvedBy", request.resolvedBy());
		json.put("createdAt", text(request.createdAt()));
		json.put("resolvedAt", text(request.resolvedAt()));
		return json;
	}

	static String text(Instant instant) {
		return (instant != null) ? instant.toString() : null;
	}

}
