package io.keyflow.rest.internal;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import io.keyflow.api.CredentialInfo;
import io.keyflow.plugin.AuditRecord;
import io.keyflow.plugin.KeyflowAudit;

/**
 * Records what the REST API changed or revealed through the core's audit trail ({@link KeyflowAudit}: table
 * {@code KEYFLOW_AUDIT} and logger {@code io.keyflow.audit}), and lists it for admins. Never records a value; keeps a
 * request value only when it matches its pattern. Failed attempts are recorded too, once the caller is authenticated
 * and has the role.
 */
final class AuditTrail {

	private final KeyflowAudit audit;

	AuditTrail(KeyflowAudit audit) {
		this.audit = audit;
	}

	void success(Actor actor, String action, String tenantId, CredentialInfo credential) {
		success(actor, action, tenantId, credential, null);
	}

	/**
	 * @param onBehalfOf the principal an admin acted for (not the actor's own), or {@code null}
	 */
	void success(Actor actor, String action, String tenantId, CredentialInfo credential, String onBehalfOf) {
		record(actor, action, tenantId, credential.id(), credential.key(), null, AuditEvent.SUCCESS, null, onBehalfOf);
	}

	void success(Actor actor, String action, String tenantId, String subject) {
		success(actor, action, tenantId, subject, null);
	}

	void success(Actor actor, String action, String tenantId, String subject, String onBehalfOf) {
		record(actor, action, tenantId, null, null, subject, AuditEvent.SUCCESS, null, onBehalfOf);
	}

	void failure(Actor actor, String action, String tenantId, String credentialId, String subject, Throwable ex) {
		failure(actor, action, tenantId, credentialId, subject, ex, null);
	}

	void failure(Actor actor, String action, String tenantId, String credentialId, String subject, Throwable ex,
			String onBehalfOf) {
		record(actor, action, tenantId, credentialId, null, subject, AuditEvent.FAILURE, Problem.of(ex).code().name(),
				onBehalfOf);
	}

	void record(Actor actor, String action, String tenantId, String credentialId, String credentialKey,
			String subject, String outcome, String errorCode) {
		record(actor, action, tenantId, credentialId, credentialKey, subject, outcome, errorCode, null);
	}

	void record(Actor actor, String action, String tenantId, String credentialId, String credentialKey,
			String subject, String outcome, String errorCode, String onBehalfOf) {
		AuditRecord.Builder event = AuditRecord.of(action, actor.id())
			.actorName(actor.name())
			.tenantId(tenantId)
			.credential((credentialId != null && CredentialRequests.ID.matcher(credentialId).matches()) ? credentialId
					: null, auditable(credentialKey, CredentialInfo.KEY_PATTERN))
			.subject(subject)
			.onBehalfOf(onBehalfOf);
		this.audit.record(AuditEvent.FAILURE.equals(outcome) ? event.failure(errorCode) : event);
	}

	/**
	 * @param tenantFilter only events of this tenant; {@code null} for every tenant
	 * @param onlyTenantLess with a {@code null} filter: only tenant-less events
	 * @param paging the page
	 * @return the events, newest first
	 */
	List<AuditEvent> list(String tenantFilter, boolean onlyTenantLess, Paging paging) {
		return this.audit.list(tenantFilter, onlyTenantLess, paging.offset(), paging.limit())
			.stream()
			.map(AuditTrail::event)
			.toList();
	}

	/**
	 * @param tenantFilter only events of this tenant; {@code null} for every tenant
	 * @param onlyTenantLess with a {@code null} filter: only tenant-less events
	 * @param since only events at or after this time, or {@code null}
	 * @param each receives the events, oldest first, as the table is read
	 */
	void forEach(String tenantFilter, boolean onlyTenantLess, Instant since, Consumer<AuditEvent> each) {
		this.audit.forEach(tenantFilter, onlyTenantLess, since, (record) -> each.accept(event(record)));
	}

	private static AuditEvent event(AuditRecord record) {
		return new AuditEvent(record.id(), record.at(), record.actorId(), record.actorName(), record.tenantId(),
				record.action(), record.credentialId(), record.credentialKey(), record.subject(), record.outcome(),
				record.errorCode(), record.onBehalfOf());
	}

	// the row keeps a request value only when it matches its pattern
	private static String auditable(String value, Pattern pattern) {
		return (value == null || value.equals(CredentialRequests.INVALID) || pattern.matcher(value).matches()) ? value
				: CredentialRequests.INVALID;
	}

}
