package io.keyflow.rest.internal;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.http.HttpHeaders;
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
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import io.keyflow.rest.ApiKey;
import io.keyflow.rest.ApiKeyRole;
import io.keyflow.rest.ApiKeyService;
import io.keyflow.rest.IssuedApiKey;

/**
 * Admin endpoints: the audit trail ({@code /audit}) and the API keys ({@code /api-keys}). A tenant-bound admin
 * sees and manages its tenant only.
 */
@RestController
@RequestMapping(ApiKeyFilter.BASE_PATH)
class AdminController {

	static final Set<String> KEY_FIELDS = Set.of("name", "role", "tenantId");

	/** The audit export's type: newline-delimited JSON, one event a line. */
	static final MediaType JSON_LINES = MediaType.parseMediaType("application/x-ndjson");

	private static final ObjectMapper LINES = new ObjectMapper();

	private final AuditTrail audit;

	private final ApiKeyService keys;

	AdminController(AuditTrail audit, ApiKeyService keys) {
		this.audit = audit;
		this.keys = keys;
	}

	@GetMapping("/audit")
	@RequiredRole(ApiKeyRole.ADMIN)
	Map<String, Object> audit(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
			@RequestParam(required = false) String tenantId, @RequestParam(required = false) String page,
			@RequestParam(required = false) String size, @RequestParam(required = false) String offset,
			@RequestParam(required = false) String limit, @RequestParam(required = false) String format) {
		if (format != null && !format.equals("json")) {
			throw RestException.badRequest("format", "format must be json (a page, the default) or jsonl (every event, "
					+ "one JSON object a line, oldest first)");
		}
		String tenant = caller.tenantFor(tenantId);
		Paging paging = Paging.parse(page, size, offset, limit);
		// an unbound admin without tenantId sees every tenant's events
		List<AuditEvent> events = this.audit.list(tenant, caller.boundTenant() != null,
				new Paging(paging.offset(), paging.limit() + 1));
		List<Map<String, Object>> items = events.stream().limit(paging.limit()).map(CredentialJson::audit).toList();
		return CredentialJson.page(items, paging, events.size() > paging.limit());
	}

	@GetMapping(path = "/audit", params = "format=jsonl")
	@RequiredRole(ApiKeyRole.ADMIN)
	ResponseEntity<StreamingResponseBody> export(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
			@RequestParam(required = false) String tenantId, @RequestParam(required = false) String since) {
		String tenant = caller.tenantFor(tenantId);
		Instant from = CredentialRequests.instant("since", since);
		this.audit.success(caller, "audit.export", tenant, (from != null) ? "since " + from : null);
		boolean onlyTenant = caller.boundTenant() != null;
		// streamed as the table is read: an export of any size holds one event in memory at a time
		StreamingResponseBody body = (out) -> {
			Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
			try {
				this.audit.forEach(tenant, onlyTenant, from, (event) -> {
					try {
						writer.write(LINES.writeValueAsString(CredentialJson.audit(event)));
						writer.write('\n');
					}
					catch (IOException ex) {
						throw new UncheckedIOException(ex);
					}
				});
			}
			catch (UncheckedIOException ex) {
				throw ex.getCause();
			}
			writer.flush();
		};
		return ResponseEntity.ok()
			.contentType(JSON_LINES)
			.header(HttpHeaders.CACHE_CONTROL, "no-store")
			.header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"keyflow-audit.jsonl\"")
			.body(body);
	}

	@PostMapping(path = "/api-keys", consumes = MediaType.APPLICATION_JSON_VALUE)
	@RequiredRole(ApiKeyRole.ADMIN)
	ResponseEntity<Map<String, Object>> createKey(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
			@RequestBody byte[] json) {
		JsonBody body = JsonBody.parse(json, KEY_FIELDS);
		String tenant = caller.tenantFor(body.text("tenantId"));
		ApiKeyRole role = ApiKeyRole.fromWireName(body.requiredText("role"))
			.orElseThrow(() -> RestException.badRequest("role", "role must be admin, editor, viewer or worker"));
		IssuedApiKey issued;
		try {
			issued = this.keys.create(body.requiredText("name"), role, tenant, caller.id());
		}
		catch (RuntimeException ex) {
			this.audit.failure(caller, "apikey.create", tenant, null, null, ex);
			throw ex;
		}
		this.audit.success(caller, "apikey.create", tenant, issued.apiKey().id());
		Map<String, Object> answer = json(issued.apiKey());
		answer.put("apiKey", issued.key());
		return ResponseEntity.created(URI.create(ApiKeyFilter.BASE_PATH + "/api-keys/" + issued.apiKey().id()))
			.body(answer);
	}

	@GetMapping("/api-keys")
	@RequiredRole(ApiKeyRole.ADMIN)
	Map<String, Object> listKeys(@RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
		return Map.of("items", this.keys.list(caller.boundTenant()).stream().map(AdminController::json).toList());
	}

	@DeleteMapping("/api-keys/{id}")
	@RequiredRole(ApiKeyRole.ADMIN)
	ResponseEntity<Void> revokeKey(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String id) {
		ApiKey key = this.keys.find(CredentialRequests.id(id))
			.filter((found) -> caller.boundTenant() == null || caller.boundTenant().equals(found.tenantId()))
			.filter(ApiKey::active)
			.orElseThrow(() -> RestException.notFound("no active API key " + id));
		this.keys.revoke(key.id());
		this.audit.success(caller, "apikey.revoke", key.tenantId(), key.id());
		return ResponseEntity.noContent().build();
	}

	private static Map<String, Object> json(ApiKey key) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("id", key.id());
		json.put("name", key.name());
		json.put("role", key.role().wireName());
		json.put("tenantId", key.tenantId());
		json.put("createdAt", CredentialJson.text(key.createdAt()));
		json.put("createdBy", key.createdBy());
		json.put("revokedAt", CredentialJson.text(key.revokedAt()));
		return json;
	}

}
