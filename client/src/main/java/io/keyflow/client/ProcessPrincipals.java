package io.keyflow.client;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.keyflow.api.CredentialNotFoundException;

/**
 * {@code /api/credentials/process-instances/{id}/principal}: whose per-user credentials a process instance uses (an
 * unbound admin key).
 */
public final class ProcessPrincipals {

	private final Transport http;

	ProcessPrincipals(Transport http) {
		this.http = http;
	}

	/** @return the recorded principal of the process instance, if one is recorded */
	public Optional<ProcessPrincipal> get(String processInstanceId) {
		try {
			return Optional.of(ProcessPrincipal.of(this.http.get(path(processInstanceId), null)));
		}
		catch (CredentialNotFoundException ex) {
			return Optional.empty();
		}
	}

	/**
	 * @param principalId the new principal, or {@code null} for none
	 * @param reason why (audited)
	 * @return the principal as recorded now
	 */
	public ProcessPrincipal reassign(String processInstanceId, String principalId, String reason) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("principalId", principalId);
		body.put("reason", reason);
		return ProcessPrincipal.of(this.http.put(path(processInstanceId), null, body));
	}

	private static String path(String processInstanceId) {
		return "/api/credentials/process-instances/" + Transport.segment(processInstanceId) + "/principal";
	}

	/**
	 * @param rootProcessInstanceId the root process instance the principal is recorded for
	 * @param principalId the principal, or {@code null}
	 * @param source how it was recorded
	 * @param recordedAt when
	 * @param changedBy who reassigned it, or {@code null}
	 */
	public record ProcessPrincipal(String rootProcessInstanceId, String principalId, String source, Instant recordedAt,
			String changedBy) {

		static ProcessPrincipal of(JsonNode json) {
			return new ProcessPrincipal(Json.text(json, "rootProcessInstanceId"), Json.text(json, "principalId"),
					Json.text(json, "source"), Json.instant(json, "recordedAt"), Json.text(json, "changedBy"));
		}

	}

}
