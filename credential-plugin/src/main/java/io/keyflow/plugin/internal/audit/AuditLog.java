package io.keyflow.plugin.internal.audit;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import io.keyflow.plugin.internal.jdbc.KeyflowJdbc;

/**
 * Writes audit events of the core (changes made through the Java API) to {@code KEYFLOW_AUDIT} and to the log
 * {@code io.keyflow.audit}, beside the REST API's events. Callers pass validated values only, never a secret.
 */
public final class AuditLog {

	private static final Logger log = LoggerFactory.getLogger("io.keyflow.audit");

	private final NamedParameterJdbcTemplate jdbc;

	private final Clock clock;

	public AuditLog(KeyflowJdbc db, Clock clock) {
		this.jdbc = db.template();
		this.clock = clock;
	}

	/**
	 * @param actorId who acted (at most 64 characters)
	 * @param action what was done, e.g. {@code principal.reassign}
	 * @param tenantId the tenant, {@code null} for the tenant-less scope
	 * @param subject what it was done to, validated text (truncated to 255 characters)
	 */
	public void success(String actorId, String action, String tenantId, String subject) {
		String id = UUID.randomUUID().toString();
		String actor = truncate(actorId, 64);
		String text = truncate(subject, 255);
		log.info("KEYFLOW-A001 {} SUCCESS by {}: subject {}, tenant {}", action, actor, text, tenantId);
		try {
			this.jdbc.update("insert into KEYFLOW_AUDIT (ID_, AT_, ACTOR_ID_, ACTOR_NAME_, TENANT_ID_, ACTION_, SUBJECT_, "
					+ "OUTCOME_) values (:id, :at, :actor, :actor, :tenant, :action, :subject, 'SUCCESS')",
					new MapSqlParameterSource("id", id)
						.addValue("at", KeyflowJdbc.timestamp(this.clock.instant().truncatedTo(ChronoUnit.MILLIS)))
						.addValue("actor", actor)
						.addValue("tenant", KeyflowJdbc.tenant(tenantId))
						.addValue("action", action)
						.addValue("subject", text));
		}
		catch (DataAccessException ex) {
			log.error("KEYFLOW-A002 could not write audit event {} to KEYFLOW_AUDIT: {}", id, ex.getClass().getName());
		}
	}

	private static String truncate(String value, int max) {
		return (value != null && value.length() > max) ? value.substring(0, max) : value;
	}

}
