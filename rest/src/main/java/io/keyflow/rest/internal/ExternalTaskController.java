package io.keyflow.rest.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.keyflow.api.Credential;
import io.keyflow.api.InvalidCredentialException;
import io.keyflow.plugin.ExternalTaskCredential;
import io.keyflow.plugin.ExternalTaskCredentialService;
import io.keyflow.rest.ApiKeyRole;

/**
 * {@code POST /api/credentials/external-tasks/{externalTaskId}/credential}: the worker that fetched and locked an
 * external task exchanges it for the task's credential, for as long as it holds the lock. Only a {@code worker} key
 * may call it (and a worker key may call nothing else); a tenant-bound worker key serves its tenant's tasks, an
 * unbound one the tenant-less scope. Every exchange, answered or refused, is audited with the key, the worker, the
 * task, its process instance and the credential, never the secret.
 */
@RestController
class ExternalTaskController {

	static final String PATH = ApiKeyFilter.BASE_PATH + "/external-tasks/{externalTaskId}/credential";

	static final String ACTION = "externaltask.credential";

	static final Set<String> FIELDS = Set.of("workerId");

	private final ExternalTaskCredentialService externalTasks;

	private final AuditTrail audit;

	ExternalTaskController(ExternalTaskCredentialService externalTasks, AuditTrail audit) {
		this.externalTasks = externalTasks;
		this.audit = audit;
	}

	@PostMapping(path = PATH, consumes = MediaType.APPLICATION_JSON_VALUE)
	@RequiredRole(ApiKeyRole.WORKER)
	ResponseEntity<Map<String, Object>> exchange(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
			@PathVariable String externalTaskId, @RequestBody byte[] json) {
		if (!ProcessPrincipalController.CAMUNDA_ID.matcher(externalTaskId).matches()) {
			throw RestException.badRequest("externalTaskId",
					"externalTaskId must be a Camunda id: 1 to 64 letters, digits, ':', '.', '_' or '-'");
		}
		String workerId = JsonBody.parse(json, FIELDS).requiredText("workerId");
		ExternalTaskCredential exchanged;
		try {
			exchanged = this.externalTasks.exchange(externalTaskId, workerId, caller::mayActOn);
		}
		catch (InvalidCredentialException ex) {
			// a malformed worker id is bad input, not an exchange; it must not reach the audit trail
			throw ex;
		}
		catch (RuntimeException ex) {
			this.audit.failure(caller, ACTION, caller.boundTenant(), null, subject(externalTaskId, workerId, null), ex);
			throw ex;
		}
		Credential credential = exchanged.credential();
		this.audit.record(caller, ACTION, exchanged.tenantId(), credential.id(), credential.key(),
				subject(externalTaskId, workerId, exchanged.processInstanceId()), AuditEvent.SUCCESS, null);
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(json(credential));
	}

	private static String subject(String externalTaskId, String workerId, String processInstanceId) {
		return "external task " + externalTaskId
				+ ((processInstanceId != null) ? " of process instance " + processInstanceId : "") + " for worker '"
				+ workerId + "'";
	}

	/** The task's view of the credential: what a worker needs to send it, never a refresh token or client secret. */
	private static Map<String, Object> json(Credential credential) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("type", credential.type().wireName());
		switch (credential.type()) {
			case OAUTH2 -> json.put("accessToken", credential.accessToken());
			case API_KEY -> json.put("apiKey", credential.apiKey());
			case BASIC -> {
				json.put("username", credential.username());
				json.put("password", credential.password());
			}
			case STATIC -> json.put("value", credential.value());
		}
		json.put("authorizationHeader", credential.authorizationHeader());
		json.put("tokenExpiresAt", CredentialJson.text(credential.expiresAt()));
		json.put("credentialId", credential.id());
		json.put("key", credential.key());
		json.put("provider", credential.provider());
		json.put("principalId", credential.principalId());
		return json;
	}

}
