package io.keyflow.rest.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.keyflow.api.CredentialConflictException;
import io.keyflow.api.CredentialNotFoundException;
import io.keyflow.plugin.CredentialRequest;
import io.keyflow.plugin.CredentialRequestService;
import io.keyflow.rest.ApiKeyRole;

/**
 * {@code /api/credentials/requests}: what tasks wanted and could not get. Listing and reading needs a viewer key;
 * fulfilling (storing the credential, which resumes the waiting jobs) and rejecting an editor key; a request for a
 * user's own credential is fulfilled by an admin key (only an admin may name a principal) or by that user connecting
 * in My connections. Every fulfilment and rejection is audited; the fulfil body, which carries the secret, is never
 * logged.
 */
@RestController
@RequestMapping(CredentialRequestController.PATH)
class CredentialRequestController {

	static final String PATH = ApiKeyFilter.BASE_PATH + "/requests";

	static final Set<String> REJECT_FIELDS = Set.of("reason");

	/** A rejection reason: printable text, so that the audit row and log line carry nothing else. */
	private static final Pattern REASON = Pattern.compile("[\\p{L}\\p{N}\\p{P}\\p{Zs}\\p{S}]{1,1000}");

	private final CredentialRequestService requests;

	private final AuditTrail audit;

	CredentialRequestController(CredentialRequestService requests, AuditTrail audit) {
		this.requests = requests;
		this.audit = audit;
	}

	@GetMapping
	@RequiredRole(ApiKeyRole.VIEWER)
	Map<String, Object> list(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
			@RequestParam(required = false) String status, @RequestParam(required = false) String principalId,
			@RequestParam(required = false) String service, @RequestParam(required = false) String provider,
			@RequestParam(required = false) String tenantId, @RequestParam(required = false) String page,
			@RequestParam(required = false) String size, @RequestParam(required = false) String offset,
			@RequestParam(required = false) String limit) {
		String tenant = caller.tenantFor(tenantId);
		Paging paging = Paging.parse(page, size, offset, limit);
		List<CredentialRequest> found = this.requests.list(java.util.Collections.singletonList(tenant), status(status),
				CredentialRequests.principalFilter(principalId),
				CredentialRequests.serviceFilter((provider != null) ? provider : service), paging.offset(),
				paging.limit() + 1);
		List<Map<String, Object>> items = found.stream()
			.limit(paging.limit())
			.map((request) -> CredentialJson.request(request, this.requests.incidentIds(request)))
			.toList();
		return CredentialJson.page(items, paging, found.size() > paging.limit());
	}

	@GetMapping("/{id}")
	@RequiredRole(ApiKeyRole.VIEWER)
	Map<String, Object> get(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String id) {
		CredentialRequest request = require(caller, id);
		return CredentialJson.request(request, this.requests.incidentIds(request));
	}

	@PostMapping(path = "/{id}/fulfil", consumes = MediaType.APPLICATION_JSON_VALUE)
	@RequiredRole(ApiKeyRole.EDITOR)
	Map<String, Object> fulfil(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String id,
			@RequestBody byte[] json) {
		String tenant = null;
		try {
			CredentialRequest request = require(caller, id);
			tenant = request.tenantId();
			JsonBody body = JsonBody.parse(json, CredentialRequests.CREATE_FIELDS);
			if (body.has("tenantId") && !caller.mayActOn(body.text("tenantId"))) {
				throw RestException.forbidden("this API key may not act on that tenant");
			}
			if (body.has("clientId") || body.has("clientSecret")) {
				throw RestException.badRequest("clientId", "a request is fulfilled with the credential itself; to "
						+ "connect an OAuth2 account, start a connection with requestId " + request.id());
			}
			String principal = caller.principalFor(body.text("principalId"));
			String bodyTenant = body.has("tenantId") ? body.text("tenantId") : tenant;
			CredentialRequestService.Fulfilment fulfilment;
			try {
				fulfilment = this.requests.fulfil(request.id(), CredentialRequests.draft(body, bodyTenant, principal),
						caller.id());
			}
			catch (CredentialConflictException ex) {
				throw notOpen(ex);
			}
			this.audit.record(caller, "credential.request.fulfil", tenant, fulfilment.credential().id(),
					fulfilment.credential().key(), "request " + request.id() + ", " + fulfilment.resumedJobIds().size()
							+ " jobs resumed", AuditEvent.SUCCESS, null, principal);
			Map<String, Object> answer = new LinkedHashMap<>();
			answer.put("request", CredentialJson.request(this.requests.get(request.id()).orElseThrow(), List.of()));
			answer.put("credential", CredentialJson.created(fulfilment.credential()));
			answer.put("resumedJobIds", fulfilment.resumedJobIds());
			return answer;
		}
		catch (RuntimeException ex) {
			this.audit.failure(caller, "credential.request.fulfil", tenant, null, subject(id), ex);
			throw ex;
		}
	}

	@PostMapping(path = "/{id}/reject", consumes = MediaType.APPLICATION_JSON_VALUE)
	@RequiredRole(ApiKeyRole.EDITOR)
	Map<String, Object> reject(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String id,
			@RequestBody byte[] json) {
		String tenant = null;
		try {
			CredentialRequest request = require(caller, id);
			tenant = request.tenantId();
			String reason = JsonBody.parse(json, REJECT_FIELDS).requiredText("reason").strip();
			if (!REASON.matcher(reason).matches()) {
				throw RestException.badRequest("reason", "reason must be 1 to 1000 printable characters on one line");
			}
			CredentialRequest rejected;
			try {
				rejected = this.requests.reject(request.id(), reason, caller.id());
			}
			catch (CredentialConflictException ex) {
				throw notOpen(ex);
			}
			this.audit.success(caller, "credential.request.reject", tenant,
					"request " + request.id() + " rejected: " + reason);
			return CredentialJson.request(rejected, this.requests.incidentIds(rejected));
		}
		catch (RuntimeException ex) {
			this.audit.failure(caller, "credential.request.reject", tenant, null, subject(id), ex);
			throw ex;
		}
	}

	private CredentialRequest require(Caller caller, String id) {
		// a request of a tenant this key may not act on answers like a missing one
		return this.requests.get(CredentialRequests.ID.matcher(String.valueOf(id)).matches() ? id : null)
			.filter((request) -> caller.mayActOn(request.tenantId()))
			.orElseThrow(() -> new CredentialNotFoundException("no credential request " + subjectId(id)));
	}

	private static RestException notOpen(CredentialConflictException ex) {
		return new RestException(org.springframework.http.HttpStatus.CONFLICT, ErrorCode.REQUEST_NOT_OPEN, null,
				ex.getMessage());
	}

	private static CredentialRequest.Status status(String status) {
		if (status == null) {
			return null;
		}
		for (CredentialRequest.Status candidate : CredentialRequest.Status.values()) {
			if (candidate.name().equalsIgnoreCase(status)) {
				return candidate;
			}
		}
		throw RestException.badRequest("status", "status must be one of OPEN, FULFILLED, REJECTED");
	}

	private static String subject(String id) {
		return "request " + subjectId(id);
	}

	private static String subjectId(String id) {
		return (id != null && CredentialRequests.ID.matcher(id).matches()) ? id : CredentialRequests.INVALID;
	}

	/**
	 * Checks the {@code requestId} of an OAuth2 start: the connection must be the one the open request asks for
	 * (its tenant, provider and principal); completing it then fulfils the request.
	 * @throws RestException NOT_FOUND for an unknown request, BAD_REQUEST when the connection is not what it asks
	 * @throws io.keyflow.api.CredentialConflictException when it is no longer open
	 */
	static void requireConnectionFor(CredentialRequestService requests, String requestId, String tenant,
			String provider, String principal) {
		if (requestId == null) {
			return;
		}
		CredentialRequest request = requests.get(CredentialRequests.ID.matcher(requestId).matches() ? requestId : null)
			.filter((found) -> java.util.Objects.equals(found.tenantId(), tenant))
			.orElseThrow(() -> new CredentialNotFoundException("no credential request " + subjectId(requestId)
					+ " in " + ((tenant != null) ? "tenant '" + tenant + "'" : "the tenant-less scope")));
		if (request.status() != CredentialRequest.Status.OPEN) {
			throw notOpen(new CredentialConflictException("credential request " + request.id() + " is "
					+ request.status().name() + ", not OPEN"));
		}
		boolean providerMatches = request.provider() == null || request.provider().equals(provider);
		if (!providerMatches || !java.util.Objects.equals(request.principalId(), principal)) {
			throw RestException.badRequest("requestId", "credential request " + request.id() + " asks for "
					+ ((request.provider() != null) ? "provider '" + request.provider() + "'" : "key " + request.key())
					+ ((request.principalId() != null) ? " of principal '" + request.principalId() + "'" : "")
					+ "; this connection is not that");
		}
	}

}
