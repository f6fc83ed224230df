package io.keyflow.rest.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.keyflow.api.CredentialNotFoundException;
import io.keyflow.plugin.ProcessPrincipal;
import io.keyflow.plugin.ProcessPrincipalService;
import io.keyflow.rest.ApiKeyRole;

/**
 * {@code /api/credentials/process-instances/{id}/principal}: whose per-user credentials a process instance's tasks
 * get, and the support operation that changes it. Reassigning is for unbound admin keys only (a process instance's
 * tenant is not the key's to check); the Java service audits it with the key as actor.
 */
@RestController
@RequestMapping(ApiKeyFilter.BASE_PATH + "/process-instances/{processInstanceId}/principal")
class ProcessPrincipalController {

	static final Set<String> FIELDS = Set.of("principalId", "reason");

	/** Camunda's ids: at most 64 characters, no separators that could travel into a log line. */
	static final Pattern CAMUNDA_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9:._-]{0,63}");

	private final ProcessPrincipalService principals;

	private final AuditTrail audit;

	ProcessPrincipalController(ProcessPrincipalService principals, AuditTrail audit) {
		this.principals = principals;
		this.audit = audit;
	}

	@GetMapping
	@RequiredRole(ApiKeyRole.ADMIN)
	Map<String, Object> get(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String processInstanceId) {
		unbound(caller);
		String id = processInstanceId(processInstanceId);
		return this.principals.find(id)
			.map(ProcessPrincipalController::json)
			.orElseThrow(() -> new CredentialNotFoundException("process instance '" + id + "' has no recorded principal "
					+ "yet: it started before Keyflow recorded principals, and its first credential-declaring task will "
					+ "record one"));
	}

	@PutMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	@RequiredRole(ApiKeyRole.ADMIN)
	Map<String, Object> reassign(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
			@PathVariable String processInstanceId, @RequestBody byte[] json) {
		unbound(caller);
		String id = processInstanceId(processInstanceId);
		JsonBody body = JsonBody.parse(json, FIELDS);
		try {
			return json(this.principals.reassign(id, body.text("principalId"), caller.id(), body.requiredText("reason")));
		}
		catch (RuntimeException ex) {
			this.audit.failure(caller, "principal.reassign", null, null, "process instance " + id, ex);
			throw ex;
		}
	}

	private static void unbound(Caller caller) {
		if (caller.boundTenant() != null) {
			throw RestException.forbidden("process instance principals are managed with an admin key that is not bound "
					+ "to a tenant");
		}
	}

	private static String processInstanceId(String id) {
		if (!CAMUNDA_ID.matcher(id).matches()) {
			throw RestException.badRequest("processInstanceId",
					"processInstanceId must be a Camunda id: 1 to 64 letters, digits, ':', '.', '_' or '-'");
		}
		return id;
	}

	private static Map<String, Object> json(ProcessPrincipal principal) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("rootProcessInstanceId", principal.rootProcessInstanceId());
		json.put("principalId", principal.principalId());
		json.put("source", principal.source().name());
		json.put("recordedAt", CredentialJson.text(principal.recordedAt()));
		json.put("changedBy", principal.changedBy());
		return json;
	}

}
