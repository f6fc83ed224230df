package io.keyflow.rest.internal;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.keyflow.api.Credential;
import io.keyflow.api.CredentialInfo;
import io.keyflow.api.CredentialNotFoundException;
import io.keyflow.api.CredentialQuery;
import io.keyflow.api.CredentialType;
import io.keyflow.api.InvalidCredentialException;
import io.keyflow.plugin.CredentialDraft;
import io.keyflow.plugin.CredentialService;
import io.keyflow.plugin.KeyflowEngine;
import io.keyflow.plugin.OAuth2ConnectionRequest;
import io.keyflow.plugin.OAuth2ConnectionService;
import io.keyflow.rest.ApiKeyRole;

/**
 * {@code /api/credentials}: list, create (upsert), get, delete, refresh and reveal credentials.
 */
@RestController
@RequestMapping(ApiKeyFilter.BASE_PATH)
class CredentialController {

	private final CredentialService credentials;

	private final OAuth2ConnectionService connections;

	private final KeyflowEngine keyflow;

	private final AuditTrail audit;

	CredentialController(KeyflowEngine keyflow, AuditTrail audit) {
		this.credentials = keyflow.credentialService();
		this.connections = keyflow.oauth2Connections();
		this.keyflow = keyflow;
		this.audit = audit;
	}

	@GetMapping
	@RequiredRole(ApiKeyRole.VIEWER)
	Map<String, Object> list(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
			@RequestParam(required = false) String principalId, @RequestParam(required = false) String service,
			@RequestParam(required = false) String type, @RequestParam(required = false) String key,
			@RequestParam(required = false) String tenantId, @RequestParam(required = false) String page,
			@RequestParam(required = false) String size, @RequestParam(required = false) String offset,
			@RequestParam(required = false) String limit, @RequestParam(required = false) String usedSince,
			@RequestParam(required = false) String unusedSince) {
		String tenant = caller.tenantFor(tenantId);
		Paging paging = Paging.parse(page, size, offset, limit);
		CredentialQuery query = new CredentialQuery(tenant, CredentialRequests.principalFilter(principalId),
				CredentialRequests.serviceFilter(service), (type != null) ? CredentialRequests.type(type) : null,
				CredentialRequests.keyFilter(key), paging.offset(), paging.limit() + 1);
		List<CredentialInfo> found = this.credentials.list(query, CredentialRequests.instant("usedSince", usedSince),
				CredentialRequests.instant("unusedSince", unusedSince));
		List<Map<String, Object>> items = found.stream().limit(paging.limit()).map(CredentialJson::detail).toList();
		return CredentialJson.page(items, paging, found.size() > paging.limit());
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	@RequiredRole(ApiKeyRole.EDITOR)
	ResponseEntity<Map<String, Object>> create(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
			@RequestBody byte[] json, @RequestParam(required = false) String tenantId) {
		JsonBody body = JsonBody.parse(json, CredentialRequests.CREATE_FIELDS);
		String tenant = caller.tenantFor((body.text("tenantId") != null) ? body.text("tenantId") : tenantId);
		String principal = principalOf(body);
		CredentialInfo saved;
		try {
			saved = save(body, tenant, caller.principalFor(body.text("principalId")));
		}
		catch (RuntimeException ex) {
			this.audit.record(caller, "credential.create", tenant, null, CredentialRequests.auditableKey(body), null,
					AuditEvent.FAILURE, Problem.of(ex).code().name(), principal);
			throw ex;
		}
		boolean created = saved.createdAt() != null && saved.createdAt().equals(saved.updatedAt());
		this.audit.success(caller, created ? "credential.create" : "credential.update", tenant, saved, principal);
		return ResponseEntity.status(created ? 201 : 200)
			.location(URI.create(ApiKeyFilter.BASE_PATH + "/" + saved.id()))
			.body(CredentialJson.created(saved));
	}

	// a valid principal for the audit row, or null; the create itself validates what was sent
	private static String principalOf(JsonBody body) {
		try {
			return OAuth2ConnectionController.auditable(body.text("principalId"));
		}
		catch (RestException ex) {
			return null;
		}
	}

	private CredentialInfo save(JsonBody body, String tenant, String principal) {
		CredentialType type = CredentialRequests.type(body);
		Map<String, String> secrets = CredentialRequests.secrets(body);
		if (type == CredentialType.OAUTH2 && secrets.containsKey(Credential.REFRESH_TOKEN)) {
			return connectWithTokens(body, tenant, principal, secrets);
		}
		if (body.has("clientId") || body.has("clientSecret")) {
			throw RestException.badRequest("clientId", "clientId and clientSecret go with an oauth2 refreshToken only");
		}
		return this.credentials.save(CredentialDraft.builder(type)
			.tenantId(tenant)
			.key(body.text("key"))
			.name(body.text("name"))
			.provider(body.text("service"))
			.principalId(principal)
			.scopes(body.strings("scopes"))
			.expiresAt(body.instant("tokenExpiresAt"))
			.metadata(body.stringMap("metadata"))
			.secrets(secrets)
			.policy(CredentialRequests.policy(body))
			.build());
	}

	// pasted tokens with a refresh token: checked at once by a refresh, as OAuth2ConnectionService does
	private CredentialInfo connectWithTokens(JsonBody body, String tenant, String principal,
			Map<String, String> secrets) {
		if (body.text("service") == null) {
			throw RestException.badRequest("service", "service (the OAuth2 provider id) is required with a refreshToken");
		}
		Map<String, String> others = new LinkedHashMap<>(secrets);
		others.remove(Credential.ACCESS_TOKEN);
		others.remove(Credential.REFRESH_TOKEN);
		if (!others.isEmpty()) {
			throw RestException.badRequest("type", "an oauth2 credential takes accessToken and refreshToken only");
		}
		OAuth2ConnectionRequest request = OAuth2ConnectionRequest.provider(body.text("service"))
			.client(body.text("clientId"), body.text("clientSecret"))
			.scopes(body.strings("scopes"))
			.key(body.text("key"))
			.principalId(principal)
			.tenantId(tenant)
			.name(body.text("name"))
			.policy(CredentialRequests.policy(body))
			.build();
		try {
			return this.connections.connectWithTokens(request, secrets.get(Credential.ACCESS_TOKEN),
					secrets.get(Credential.REFRESH_TOKEN), body.instant("tokenExpiresAt"));
		}
		catch (InvalidCredentialException ex) {
			if ("refreshToken".equals(ex.getField())) {
				throw new RestException(org.springframework.http.HttpStatus.BAD_REQUEST, ErrorCode.REFRESH_FAILED,
						"refreshToken", ex.getMessage());
			}
			throw ex;
		}
	}

	@GetMapping("/{id}")
	@RequiredRole(ApiKeyRole.VIEWER)
	Map<String, Object> get(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String id,
			@RequestParam(required = false) String tenantId) {
		return CredentialJson.detail(require(caller.tenantFor(tenantId), id));
	}

	@DeleteMapping("/{id}")
	@RequiredRole(ApiKeyRole.EDITOR)
	ResponseEntity<Void> delete(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String id,
			@RequestParam(required = false) String tenantId) {
		String tenant = caller.tenantFor(tenantId);
		try {
			CredentialInfo info = this.credentials.get(tenant, CredentialRequests.id(id)).orElse(null);
			// through every store: one held by a read-only store is refused with the place where it is managed
			if (!this.keyflow.store().delete(tenant, id) || info == null) {
				throw notFound(tenant, id);
			}
			this.audit.success(caller, "credential.delete", tenant, info);
			return ResponseEntity.noContent().build();
		}
		catch (RuntimeException ex) {
			this.audit.failure(caller, "credential.delete", tenant, id, null, ex);
			throw ex;
		}
	}

	@PostMapping("/{id}/refresh")
	@RequiredRole(ApiKeyRole.EDITOR)
	Map<String, Object> refresh(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String id,
			@RequestParam(required = false) String tenantId) {
		String tenant = caller.tenantFor(tenantId);
		try {
			CredentialInfo info = require(tenant, id);
			if (info.type() != CredentialType.OAUTH2) {
				throw RestException.badRequest("type", "only oauth2 credentials can be refreshed; this one is "
						+ info.type().wireName());
			}
			Credential stored = this.keyflow.localStore().findById(tenant, id).orElseThrow(() -> notFound(tenant, id));
			boolean machine = Credential.GRANT_CLIENT_CREDENTIALS.equals(info.metadata().get(Credential.GRANT_TYPE_METADATA));
			if (!machine && stored.refreshToken() == null) {
				throw new RestException(org.springframework.http.HttpStatus.CONFLICT, ErrorCode.REFRESH_FAILED, null,
						"credential " + id + " has no refresh token; connect the account again to get one");
			}
			CredentialInfo refreshed = this.connections.refresh(tenant, id);
			this.audit.success(caller, "credential.refresh", tenant, refreshed);
			return CredentialJson.detail(refreshed);
		}
		catch (RuntimeException ex) {
			this.audit.failure(caller, "credential.refresh", tenant, id, null, ex);
			throw ex;
		}
	}

	@PostMapping("/{id}/reveal")
	@RequiredRole(ApiKeyRole.ADMIN)
	Map<String, Object> reveal(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String id,
			@RequestParam(required = false) String tenantId) {
		String tenant = caller.tenantFor(tenantId);
		try {
			Credential credential = this.keyflow.store()
				.findById(tenant, CredentialRequests.id(id))
				.orElseThrow(() -> notFound(tenant, id));
			Map<String, Object> json = CredentialJson.created(credential.info());
			json.put("secrets", credential.secrets());
			this.audit.success(caller, "credential.reveal", tenant, credential.info());
			return json;
		}
		catch (RuntimeException ex) {
			this.audit.failure(caller, "credential.reveal", tenant, id, null, ex);
			throw ex;
		}
	}

	private CredentialInfo require(String tenant, String id) {
		return this.credentials.get(tenant, CredentialRequests.id(id)).orElseThrow(() -> notFound(tenant, id));
	}

	private static CredentialNotFoundException notFound(String tenant, String id) {
		return new CredentialNotFoundException("no credential " + id + " in "
				+ ((tenant != null) ? "tenant '" + tenant + "'" : "the tenant-less scope"));
	}

}
