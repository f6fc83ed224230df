package io.keyflow.client;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A credential request: what a task wanted and could not get. Never a secret.
 *
 * @param id the id
 * @param tenantId the tenant, or {@code null} for the tenant-less scope
 * @param kind what was wrong, e.g. {@code MISSING}
 * @param status whether it is open
 * @param key the credential key asked for, or {@code null}
 * @param service the provider or service asked for, or {@code null}
 * @param principalId whose credential, or {@code null}
 * @param credentialId the credential involved (or stored by the fulfilment), or {@code null}
 * @param types the credential types that would do ({@code api_key}, {@code oauth2}, ...)
 * @param scopes the OAuth2 scopes asked for
 * @param processDefinitionKey the process that asked
 * @param activityId the task that asked
 * @param description what the task said of the credential, or {@code null}
 * @param obtain how to obtain it, as the task said, or {@code null}
 * @param jobIds the waiting jobs
 * @param incidentIds their open incidents
 * @param reason the rejection reason, or {@code null}
 * @param resolvedBy who fulfilled or rejected it, or {@code null}
 * @param createdAt when it was opened
 * @param resolvedAt when it was fulfilled or rejected, or {@code null}
 */
public record CredentialRequestDetails(String id, String tenantId, String kind, Status status, String key,
		String service, String principalId, String credentialId, Set<String> types, Set<String> scopes,
		String processDefinitionKey, String activityId, String description, String obtain, List<String> jobIds,
		List<String> incidentIds, String reason, String resolvedBy, Instant createdAt, Instant resolvedAt) {

	/** Where a request stands. */
	public enum Status {

		OPEN, FULFILLED, REJECTED

	}

	public CredentialRequestDetails {
		types = Set.copyOf(types);
		scopes = Set.copyOf(scopes);
		jobIds = List.copyOf(jobIds);
		incidentIds = List.copyOf(incidentIds);
	}

	static CredentialRequestDetails of(JsonNode json) {
		String status = Json.text(json, "status");
		return new CredentialRequestDetails(Json.text(json, "id"), Json.text(json, "tenantId"), Json.text(json, "kind"),
				(status != null) ? Status.valueOf(status) : null, Json.text(json, "key"), Json.text(json, "service"),
				Json.text(json, "principalId"), Json.text(json, "credentialId"), Json.strings(json, "types"),
				Json.strings(json, "scopes"), Json.text(json, "processDefinitionKey"), Json.text(json, "activityId"),
				Json.text(json, "description"), Json.text(json, "obtain"), texts(json, "jobIds"),
				texts(json, "incidentIds"), Json.text(json, "reason"), Json.text(json, "resolvedBy"),
				Json.instant(json, "createdAt"), Json.instant(json, "resolvedAt"));
	}

	private static List<String> texts(JsonNode json, String field) {
		List<String> texts = new ArrayList<>();
		json.path(field).forEach((element) -> texts.add(element.asText()));
		return texts;
	}

}
