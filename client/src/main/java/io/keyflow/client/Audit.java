package io.keyflow.client;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code /api/credentials/audit}: the audit trail, newest first (an admin key). */
public final class Audit {

	private final Transport http;

	private final String tenantId;

	Audit(Transport http, String tenantId) {
		this.http = http;
		this.tenantId = tenantId;
	}

	/**
	 * @param offset how many events to skip
	 * @param limit at most how many to return
	 * @return one page of events, newest first
	 */
	public Page<AuditEntry> list(int offset, int limit) {
		return Json.page(this.http.get("/api/credentials/audit",
				Transport.query("tenantId", this.tenantId, "offset", offset, "limit", limit)), AuditEntry::of);
	}

	/**
	 * One audited action.
	 *
	 * @param id the id
	 * @param at when
	 * @param actorId the API key or user that acted
	 * @param actorName its name
	 * @param tenantId the tenant
	 * @param action e.g. {@code credential.create}
	 * @param credentialId the credential, or {@code null}
	 * @param credentialKey its key, or {@code null}
	 * @param subject what else the action was about (a provider, an API key)
	 * @param outcome {@code SUCCESS} or {@code FAILURE}
	 * @param errorCode the problem code of a failure
	 * @param onBehalfOf the principal acted for, or {@code null}
	 */
	public record AuditEntry(String id, Instant at, String actorId, String actorName, String tenantId, String action,
			String credentialId, String credentialKey, String subject, String outcome, String errorCode,
			String onBehalfOf) {

		static AuditEntry of(JsonNode json) {
			return new AuditEntry(Json.text(json, "id"), Json.instant(json, "at"), Json.text(json, "actorId"),
					Json.text(json, "actorName"), Json.text(json, "tenantId"), Json.text(json, "action"),
					Json.text(json, "credentialId"), Json.text(json, "credentialKey"), Json.text(json, "subject"),
					Json.text(json, "outcome"), Json.text(json, "errorCode"), Json.text(json, "onBehalfOf"));
		}

	}

}
