package io.keyflow.rest.internal;

import java.time.Instant;

/**
 * One audit record: who did what to which credential (or provider, or API key), when, and how it ended.
 * Never a secret value.
 *
 * @param id the event id
 * @param at when
 * @param actorId the API key id ({@code bootstrap-admin}, {@code demo-open}, {@code oauth2-callback}) or
 * {@code user:<Camunda user id>}
 * @param actorName the API key's name
 * @param tenantId the tenant acted on; {@code null} for the tenant-less scope
 * @param action e.g. {@code credential.create}
 * @param credentialId the credential's id, when known
 * @param credentialKey the credential's key, when known
 * @param subject another subject: a provider id or an API key id
 * @param outcome {@code success} or {@code failure}
 * @param errorCode the REST error code of a failure
 * @param onBehalfOf the principal an admin acted for, when it named one
 */
record AuditEvent(String id, Instant at, String actorId, String actorName, String tenantId, String action,
		String credentialId, String credentialKey, String subject, String outcome, String errorCode, String onBehalfOf) {

	static final String SUCCESS = "success";

	static final String FAILURE = "failure";

}
