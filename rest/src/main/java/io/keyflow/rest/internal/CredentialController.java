package io.keyflow.rest.internal;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
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

	/** The path of a credential whose id has a folder, e.g. {@code vault:default/GITHUB}. */
	static final String ID_WITH_FOLDER = "/{scheme}:{folder}/{name}";

	/** The path of a user's credential in a folder, e.g. {@code vault:default/users/alice/github}. */
	static final String USER_ID_WITH_FOLDER = "/{scheme}:{folder}/users/{principal}/{provider}";

	private final CredentialService credentials;

	private final OAuth2ConnectionService connections;

	private final KeyflowEngine keyflow;

	private final AuditTrail audit;

	private final CredentialSources sources;

	CredentialController(KeyflowEngine keyflow, AuditTrail audit, CredentialSources sources) {
		this.credentials = keyflow.credentialService();
		this.connections = keyflow.oauth2Connections();
		this.keyflow = keyflow;
		this.audit = audit;
		this.sources = sources;
	}

	@GetMapping
	@RequiredRole(ApiKeyRole.VIEWER)
	Map<String, Object> list(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
			@RequestParam(required = false) String principalId, @RequestParam(required = false) String service,
			@RequestParam(required = false) String type, @RequestParam(required = false) String key,
			@RequestParam(required = false) String tenantId, @RequestParam(required = false) String page,
			@RequestParam(required = false) String size, @RequestParam(required = false) String offset,
			@RequestParam(required = false) String limit, @RequestParam(required = false) String status,
			@RequestParam(required = false) String usedSince, @RequestParam(required = false) String unusedSince) {
		String tenant = caller.tenantFor(tenantId);
		Paging paging = Paging.parse(page, size, offset, limit);
		CredentialQuery query = new CredentialQuery(tenant, CredentialRequests.principalFilter(principalId),
				CredentialRequests.serviceFilter(service), (type != null) ? CredentialRequests.type(type) : null,
				CredentialRequests.keyFilter(key), paging.offset(), paging.limit() + 1);
		List<CredentialSources.Sourced> found = this.sources.list(query, CredentialSources.status(status),
				CredentialRequests.instant("usedSince", usedSince), CredentialRequests.instant("unusedSince", unusedSince));
		List<Map<String, Object>> items = found.stream().limit(paging.limit()).map(CredentialJson::detail).toList();
		Map<String, Integer> revisions = this.credentials.revisions(tenant,
				items.stream().filter((item) -> "local".equals(item.get("source"))).map((item) -> (String) item.get("id"))
					.toList());
		items.forEach((item) -> {
			Integer revision = revisions.get((String) item.get("id"));
			item.put("etag", (revision != null) ? ETags.of(revision) : null);
		});
		return CredentialJson.page(items, paging, found.size() > paging.limit());
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	@RequiredRole(ApiKeyRole.EDITOR)
	ResponseEntity<Map<String, Object>> create(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
			@RequestBody byte[] json, @RequestParam(required = false) String tenantId,
			@RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
		JsonBody body = JsonBody.parse(json, CredentialRequests.CREATE_FIELDS);
		String tenant = caller.tenantFor((body.text("tenantId") != null) ? body.text("tenantId") : tenantId);
		String principal = principalOf(body);
		CredentialInfo saved;
		try {
			this.sources.refuseKeyOfReadOnlyStore(tenant, body.text("key"));
			saved = save(body, tenant, caller.principalFor(body.text("principalId")), ETags.revision(ifMatch));
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

	private CredentialInfo save(JsonBody body, String tenant, String principal, Integer expectedRevision) {
		CredentialType type = CredentialRequests.type(body);
		Map<String, String> secrets = CredentialRequests.secrets(body);
		if (type == CredentialType.OAUTH2 && secrets.containsKey(Credential.REFRESH_TOKEN)) {
			if (expectedRevision != null) {
				throw RestException.badRequest(HttpHeaders.IF_MATCH, "If-Match goes with a create that stores the "
						+ "given secrets; a refreshToken is checked by a refresh first: send it without If-Match");
			}
			return connectWithTokens(body, tenant, principal, secrets);
		}
		if (body.has("clientId") || body.has("clientSecret")) {
			throw RestException.badRequest("clientId", "clientId and clientSecret go with an oauth2 refreshToken only");
		}
		return this.credentials.save(CredentialRequests.draft(body, tenant, principal), expectedRevision);
	}

	/**
	 * Creates or replaces several credentials atomically: every item is checked first (an invalid one is a 400
	 * naming {@code credentials[i].field}), then all are saved in one transaction, or none is.
	 */
	@PostMapping(path = "/batch", consumes = MediaType.APPLICATION_JSON_VALUE)
	@RequiredRole(ApiKeyRole.EDITOR)
	Map<String, Object> batch(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @RequestBody byte[] json,
			@RequestParam(required = false) String tenantId) {
		JsonBody body = JsonBody.parse(json, BATCH_FIELDS);
		String tenant = caller.tenantFor((body.text("tenantId") != null) ? body.text("tenantId") : tenantId);
		List<CredentialDraft> drafts = new ArrayList<>();
		List<String> principals = new ArrayList<>();
		try {
			drafts(caller, body, tenant, drafts, principals);
		}
		catch (RuntimeException ex) {
			this.audit.record(caller, "credential.batch", tenant, null, null, null, AuditEvent.FAILURE,
					Problem.of(ex).code().name(), null);
			throw ex;
		}
		List<CredentialInfo> saved;
		try {
			saved = this.credentials.saveAll(drafts);
		}
		catch (RuntimeException ex) {
			this.audit.record(caller, "credential.batch", tenant, null, null, null, AuditEvent.FAILURE,
					Problem.of(ex).code().name(), null);
			throw ex;
		}
		List<Map<String, Object>> items = new ArrayList<>();
		for (int i = 0; i < saved.size(); i++) {
			CredentialInfo info = saved.get(i);
			boolean created = info.createdAt() != null && info.createdAt().equals(info.updatedAt());
			this.audit.success(caller, created ? "credential.create" : "credential.update", tenant, info,
					principals.get(i));
			Map<String, Object> item = CredentialJson.created(info);
			item.put("created", created);
			items.add(item);
		}
		return Map.of("credentials", items);
	}

	/** The most items one batch takes. */
	static final int MAX_BATCH_ITEMS = 100;

	private static final Set<String> BATCH_FIELDS = Set.of("credentials", "tenantId");

	/** What an item takes: a create body without the tenant (the batch's) and without tokens to check by a refresh. */
	private static final Set<String> ITEM_FIELDS = CredentialRequests.CREATE_FIELDS.stream()
		.filter((field) -> !Set.of("tenantId", "refreshToken", "clientId", "clientSecret").contains(field))
		.collect(Collectors.toUnmodifiableSet());

	private void drafts(Caller caller, JsonBody body, String tenant, List<CredentialDraft> drafts,
			List<String> principals) {
		List<JsonNode> items = body.array("credentials");
		if (items.isEmpty() || items.size() > MAX_BATCH_ITEMS) {
			throw RestException.badRequest("credentials",
					"credentials must be an array of 1 to " + MAX_BATCH_ITEMS + " credential objects");
		}
		Set<String> keys = new HashSet<>();
		for (int i = 0; i < items.size(); i++) {
			String where = "credentials[" + i + "]";
			try {
				JsonBody item = JsonBody.of(items.get(i), ITEM_FIELDS);
				String principal = caller.principalFor(item.text("principalId"));
				CredentialDraft draft = CredentialRequests.draft(item, tenant, principal);
				this.credentials.check(draft);
				boolean personal = principal != null;
				if (!keys.add(personal ? "\u0000" + principal + "\u0000" + draft.provider() : draft.key())) {
					throw RestException.badRequest(personal ? "principalId" : "key", "an earlier item names the same "
							+ (personal ? "principalId and service" : "key") + "; send each credential once");
				}
				drafts.add(draft);
				principals.add(principalOf(item));
			}
			catch (RestException ex) {
				throw new RestException(ex.status(), ex.code(), where + "." + ((ex.field() != null) ? ex.field() : "body"),
						where + ": " + ex.getMessage() + "; nothing was stored");
			}
			catch (InvalidCredentialException ex) {
				throw RestException.badRequest(where + "." + ex.getField(),
						where + ": " + ex.getMessage() + "; nothing was stored");
			}
		}
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
		OAuth2ConnectionRequest request = CredentialRequests.connection(body, body.text("service"), tenant, principal);
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

	// an id of another store may hold one slash (vault:<tenant>/<KEY>), written as is, since servlet containers
	// refuse %2F: {scheme}:{folder}/{name}
	@GetMapping({ "/{id}", ID_WITH_FOLDER, USER_ID_WITH_FOLDER })
	@RequiredRole(ApiKeyRole.VIEWER)
	ResponseEntity<Map<String, Object>> get(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
			@PathVariable(name = "id", required = false) String path, @PathVariable(required = false) String scheme,
			@PathVariable(required = false) String folder, @PathVariable(required = false) String name,
			@PathVariable(required = false) String principal, @PathVariable(required = false) String provider,
			@RequestParam(required = false) String tenantId) {
		String id = pathId(path, scheme, folder, name, principal, provider);
		String tenant = caller.tenantFor(tenantId);
		// the revision first: should a write come in between, the ETag is older than the body, and If-Match fails
		Integer revision = this.credentials.revisions(tenant, List.of(this.sources.id(id))).get(id);
		Map<String, Object> json = CredentialJson.detail(require(tenant, id));
		ResponseEntity.BodyBuilder response = ResponseEntity.ok();
		if (revision != null && "local".equals(json.get("source"))) {
			response.eTag(ETags.of(revision));
			json.put("etag", ETags.of(revision));
		}
		return response.body(json);
	}

	@DeleteMapping({ "/{id}", ID_WITH_FOLDER, USER_ID_WITH_FOLDER })
	@RequiredRole(ApiKeyRole.EDITOR)
	ResponseEntity<Void> delete(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable(name = "id", required = false) String path,
			@PathVariable(required = false) String scheme, @PathVariable(required = false) String folder,
			@PathVariable(required = false) String name, @PathVariable(required = false) String principal,
			@PathVariable(required = false) String provider, @RequestParam(required = false) String tenantId) {
		String id = pathId(path, scheme, folder, name, principal, provider);
		String tenant = caller.tenantFor(tenantId);
		try {
			CredentialInfo info = this.credentials.get(tenant, this.sources.id(id)).orElse(null);
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

	@PostMapping({ "/{id}/refresh", ID_WITH_FOLDER + "/refresh", USER_ID_WITH_FOLDER + "/refresh" })
	@RequiredRole(ApiKeyRole.EDITOR)
	Map<String, Object> refresh(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable(name = "id", required = false) String path,
			@PathVariable(required = false) String scheme, @PathVariable(required = false) String folder,
			@PathVariable(required = false) String name, @PathVariable(required = false) String principal,
			@PathVariable(required = false) String provider, @RequestParam(required = false) String tenantId) {
		String id = pathId(path, scheme, folder, name, principal, provider);
		String tenant = caller.tenantFor(tenantId);
		try {
			CredentialSources.Sourced found = require(tenant, id);
			CredentialSources.requireWritable(found);
			CredentialInfo info = found.info();
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

	@PostMapping({ "/{id}/reveal", ID_WITH_FOLDER + "/reveal", USER_ID_WITH_FOLDER + "/reveal" })
	@RequiredRole(ApiKeyRole.ADMIN)
	Map<String, Object> reveal(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable(name = "id", required = false) String path,
			@PathVariable(required = false) String scheme, @PathVariable(required = false) String folder,
			@PathVariable(required = false) String name, @PathVariable(required = false) String principal,
			@PathVariable(required = false) String provider, @RequestParam(required = false) String tenantId) {
		String id = pathId(path, scheme, folder, name, principal, provider);
		String tenant = caller.tenantFor(tenantId);
		try {
			Credential credential = this.keyflow.store()
				.findById(tenant, this.sources.id(id))
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

	// USER_ID_WITH_FOLDER binds principal and provider instead of name
	private static String pathId(String id, String scheme, String folder, String name, String principal,
			String provider) {
		if (id != null) {
			return id;
		}
		return scheme + ":" + folder + "/" + ((principal != null) ? "users/" + principal + "/" + provider : name);
	}

	private CredentialSources.Sourced require(String tenant, String id) {
		return this.sources.find(tenant, this.sources.id(id)).orElseThrow(() -> notFound(tenant, id));
	}

	private static CredentialNotFoundException notFound(String tenant, String id) {
		return new CredentialNotFoundException("no credential " + id + " in "
				+ ((tenant != null) ? "tenant '" + tenant + "'" : "the tenant-less scope"));
	}

}
