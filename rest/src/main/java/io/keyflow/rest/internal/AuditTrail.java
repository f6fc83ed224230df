package io.keyflow.rest.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import io.keyflow.api.CredentialInfo;

/**
 * Records what the REST API changed or revealed, in table {@code KEYFLOW_AUDIT} and in the log (logger
 * {@code io.keyflow.audit}), and lists it for admins. Never records a value. Failed attempts are recorded too,
 * once the caller is authenticated and has the role.
 */
final class AuditTrail {

	private static final Logger log = LoggerFactory.getLogger("io.keyflow.audit");

	private static final String NO_TENANT = "";

	/** Printable text with spaces (API key names): shown as it is. */
	private static final Pattern PRINTABLE = Pattern.compile("[\\x20-\\x7e]{1,255}");

	private final NamedParameterJdbcTemplate jdbc;

	private final Clock clock;

	AuditTrail(DataSource dataSource, Clock clock) {
		this.jdbc = new NamedParameterJdbcTemplate(dataSource);
		this.clock = clock;
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
		AuditEvent event = new AuditEvent(UUID.randomUUID().toString(),
				this.clock.instant().truncatedTo(ChronoUnit.MILLIS), truncate(actor.id(), 128),
				truncate(actor.name(), 255), tenantId, action,
				(credentialId != null && CredentialRequests.ID.matcher(credentialId).matches()) ? credentialId : null,
				auditable(credentialKey, CredentialInfo.KEY_PATTERN),
				truncate(subject, 255), outcome, errorCode, truncate(onBehalfOf, 255));
		// every value but action, outcome and code may come from a request: plain, or quoted and escaped
		log.info("KEYFLOW-A001 {} {} by {} ({}){}: credential {} (key {}), subject {}, tenant {}{}", event.action(),
				event.outcome(), LogText.of(event.actorId()), LogText.of(event.actorName(), PRINTABLE),
				(event.onBehalfOf() != null) ? " on behalf of " + LogText.of(event.onBehalfOf()) : "",
				LogText.of(event.credentialId()), LogText.of(event.credentialKey()), LogText.of(event.subject()),
				LogText.of(event.tenantId()), (errorCode != null) ? ", error " + errorCode : "");
		try {
			this.jdbc.update("insert into KEYFLOW_AUDIT (ID_, AT_, ACTOR_ID_, ACTOR_NAME_, TENANT_ID_, ACTION_, "
					+ "CREDENTIAL_ID_, CREDENTIAL_KEY_, SUBJECT_, OUTCOME_, ERROR_CODE_, ON_BEHALF_OF_) values (:id, :at, "
					+ ":actor, :actorName, :tenant, :action, :credentialId, :credentialKey, :subject, :outcome, :errorCode, "
					+ ":onBehalfOf)",
					new MapSqlParameterSource("id", event.id())
						.addValue("at", LocalDateTime.ofInstant(event.at(), ZoneOffset.UTC))
						.addValue("actor", event.actorId())
						.addValue("actorName", event.actorName())
						.addValue("tenant", (tenantId != null) ? tenantId : NO_TENANT)
						.addValue("action", event.action())
						.addValue("credentialId", event.credentialId())
						.addValue("credentialKey", event.credentialKey())
						.addValue("subject", event.subject())
						.addValue("outcome", event.outcome())
						.addValue("errorCode", event.errorCode())
						.addValue("onBehalfOf", event.onBehalfOf(), java.sql.Types.VARCHAR));
		}
		catch (DataAccessException ex) {
			// the action happened; the log line above still records it
			log.error("KEYFLOW-A002 could not write audit event {} to KEYFLOW_AUDIT: {}", event.id(),
					ex.getClass().getName());
		}
	}

	/**
	 * @param tenantFilter only events of this tenant; {@code null} for every tenant
	 * @param onlyTenantLess with a {@code null} filter: only tenant-less events
	 * @param paging the page
	 * @return the events, newest first
	 */
	List<AuditEvent> list(String tenantFilter, boolean onlyTenantLess, Paging paging) {
		MapSqlParameterSource params = new MapSqlParameterSource("limit", paging.limit()).addValue("offset",
				paging.offset());
		String where = "";
		if (tenantFilter != null || onlyTenantLess) {
			where = " where TENANT_ID_ = :tenant";
			params.addValue("tenant", (tenantFilter != null) ? tenantFilter : NO_TENANT);
		}
		return this.jdbc.query("select * from KEYFLOW_AUDIT" + where + " order by AT_ desc, ID_ limit :limit offset :offset",
				params, AuditTrail::map);
	}

	private static AuditEvent map(ResultSet rs, int row) throws SQLException {
		String tenant = rs.getString("TENANT_ID_");
		return new AuditEvent(rs.getString("ID_"), rs.getObject("AT_", LocalDateTime.class).toInstant(ZoneOffset.UTC),
				rs.getString("ACTOR_ID_"), rs.getString("ACTOR_NAME_"), tenant.isEmpty() ? null : tenant,
				rs.getString("ACTION_"), rs.getString("CREDENTIAL_ID_"), rs.getString("CREDENTIAL_KEY_"),
				rs.getString("SUBJECT_"), rs.getString("OUTCOME_"), rs.getString("ERROR_CODE_"),
				rs.getString("ON_BEHALF_OF_"));
	}

	// the row keeps a request value only when it matches its pattern
	private static String auditable(String value, Pattern pattern) {
		return (value == null || value.equals(CredentialRequests.INVALID) || pattern.matcher(value).matches()) ? value
				: CredentialRequests.INVALID;
	}

	private static String truncate(String value, int max) {
		return (value != null && value.length() > max) ? value.substring(0, max) : value;
	}

}
