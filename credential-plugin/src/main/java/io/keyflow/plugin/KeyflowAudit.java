package io.keyflow.plugin;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import io.keyflow.api.CredentialInfo;
import io.keyflow.plugin.internal.audit.LogText;
import io.keyflow.plugin.internal.jdbc.KeyflowJdbc;

/**
 * Keyflow's audit trail: the one place that records, in table {@code KEYFLOW_AUDIT} and in the log (logger
 * {@code io.keyflow.audit}, code {@code KEYFLOW-A001}). The core records every change it makes whatever the entry
 * point (the Java API, the REST API, start-up migrations), every token refresh and its outcome, every switch to
 * {@code NEEDS_REAUTHORIZATION}, every re-encryption run and, with {@code keyflow.audit.record-use}, every use by a
 * task. The REST module records its requests (who asked, with which outcome) through {@link #record(AuditRecord.Builder)}
 * and opens {@link #callerRecordsChanges()} so that a change is recorded once, with the API caller as actor.
 * <p>
 * Security: a text value is kept only as printable ASCII (anything else becomes {@code ?}) and cut to its column's
 * size; a credential key only when it is a key. Callers pass validated values and never a secret.
 */
public final class KeyflowAudit {

	private static final Logger log = LoggerFactory.getLogger("io.keyflow.audit");

	private static final String INVALID = "(invalid)";

	/** Printable text with spaces (API key names): logged as it is. */
	private static final Pattern PRINTABLE = Pattern.compile("[\\x20-\\x7e]{1,255}");

	private static final Pattern NOT_PRINTABLE = Pattern.compile("[^\\x20-\\x7e]");

	private static final Pattern CREDENTIAL_ID = Pattern.compile("[\\x21-\\x7e]{1,255}");

	private static final ThreadLocal<int[]> CALLER_RECORDS = ThreadLocal.withInitial(() -> new int[1]);

	private final NamedParameterJdbcTemplate jdbc;

	private final Clock clock;

	private final boolean recordUse;

	KeyflowAudit(KeyflowJdbc db, Clock clock, boolean recordUse) {
		this.jdbc = db.template();
		this.clock = Objects.requireNonNull(clock, "clock cannot be null");
		this.recordUse = recordUse;
	}

	/**
	 * Records an event now: writes it to {@code KEYFLOW_AUDIT} in the current transaction, if any, and logs it. A
	 * failed write is logged ({@code KEYFLOW-A002}) and never fails the act it records.
	 * @param event the event
	 * @return the event as recorded
	 */
	public AuditRecord record(AuditRecord.Builder event) {
		AuditRecord built = event.build(UUID.randomUUID().toString(),
				this.clock.instant().truncatedTo(ChronoUnit.MILLIS));
		AuditRecord safe = new AuditRecord(built.id(), built.at(), text(built.actorId(), 128), text(built.actorName(), 255),
				text(built.tenantId(), 64), built.action(),
				(built.credentialId() == null || CREDENTIAL_ID.matcher(built.credentialId()).matches())
						? built.credentialId() : INVALID,
				(built.credentialKey() == null || built.credentialKey().equals(INVALID)
						|| CredentialInfo.KEY_PATTERN.matcher(built.credentialKey()).matches()) ? built.credentialKey()
								: INVALID,
				text(built.subject(), 255), built.outcome(), built.errorCode(), text(built.onBehalfOf(), 255));
		log.info("KEYFLOW-A001 {} {} by {} ({}){}: credential {} (key {}), subject {}, tenant {}{}", safe.action(),
				safe.outcome(), LogText.of(safe.actorId()), LogText.of(safe.actorName(), PRINTABLE),
				(safe.onBehalfOf() != null) ? " on behalf of " + LogText.of(safe.onBehalfOf()) : "",
				LogText.of(safe.credentialId()), LogText.of(safe.credentialKey()), LogText.of(safe.subject()),
				LogText.of(safe.tenantId()), (safe.errorCode() != null) ? ", error " + safe.errorCode() : "");
		try {
			this.jdbc.update("insert into KEYFLOW_AUDIT (ID_, AT_, ACTOR_ID_, ACTOR_NAME_, TENANT_ID_, ACTION_, "
					+ "CREDENTIAL_ID_, CREDENTIAL_KEY_, SUBJECT_, OUTCOME_, ERROR_CODE_, ON_BEHALF_OF_) values (:id, :at, "
					+ ":actor, :actorName, :tenant, :action, :credentialId, :credentialKey, :subject, :outcome, :errorCode, "
					+ ":onBehalfOf)",
					new MapSqlParameterSource("id", safe.id())
						.addValue("at", KeyflowJdbc.timestamp(safe.at()))
						.addValue("actor", safe.actorId())
						.addValue("actorName", safe.actorName(), java.sql.Types.VARCHAR)
						.addValue("tenant", KeyflowJdbc.tenant(safe.tenantId()))
						.addValue("action", safe.action())
						.addValue("credentialId", safe.credentialId(), java.sql.Types.VARCHAR)
						.addValue("credentialKey", safe.credentialKey(), java.sql.Types.VARCHAR)
						.addValue("subject", safe.subject(), java.sql.Types.VARCHAR)
						.addValue("outcome", safe.outcome())
						.addValue("errorCode", safe.errorCode(), java.sql.Types.VARCHAR)
						.addValue("onBehalfOf", safe.onBehalfOf(), java.sql.Types.VARCHAR));
		}
		catch (DataAccessException ex) {
			// the act happened; the log line above still records it
			log.error("KEYFLOW-A002 could not write audit event {} to KEYFLOW_AUDIT: {}", safe.id(),
					ex.getClass().getName());
		}
		return safe;
	}

	/**
	 * Records a change made through Keyflow's Java API (or a refresh it was asked for), unless the caller records
	 * it itself ({@link #callerRecordsChanges()}).
	 * @param event the event
	 */
	public void recordChange(AuditRecord.Builder event) {
		if (CALLER_RECORDS.get()[0] == 0) {
			record(event);
		}
	}

	/** @return whether {@code keyflow.audit.record-use} is on: one event per use of a credential by a task */
	public boolean recordsUse() {
		return this.recordUse;
	}

	/**
	 * For an entry point that records its own events with its caller as actor (the REST API): until the scope is
	 * closed, changes made on this thread through {@link CredentialService} and {@link OAuth2ConnectionService},
	 * and refreshes it asks for, are not recorded a second time with {@link AuditRecord#JAVA} as actor. Switches to
	 * {@code NEEDS_REAUTHORIZATION} and re-encryption runs are recorded anyway.
	 * @return the scope; close it on the same thread
	 */
	public Scope callerRecordsChanges() {
		CALLER_RECORDS.get()[0]++;
		return new Scope();
	}

	/**
	 * A scope of {@link #callerRecordsChanges()}.
	 */
	public static final class Scope implements AutoCloseable {

		private boolean open = true;

		private Scope() {
		}

		@Override
		public void close() {
			if (this.open) {
				this.open = false;
				int[] depth = CALLER_RECORDS.get();
				if (--depth[0] <= 0) {
					CALLER_RECORDS.remove();
				}
			}
		}

	}

	/**
	 * @param tenantFilter only events of this tenant; {@code null} for every tenant
	 * @param onlyTenantLess with a {@code null} filter: only tenant-less events
	 * @param offset how many events to skip
	 * @param limit at most how many to return
	 * @return the events, newest first
	 */
	public List<AuditRecord> list(String tenantFilter, boolean onlyTenantLess, int offset, int limit) {
		MapSqlParameterSource params = new MapSqlParameterSource("limit", limit).addValue("offset", offset);
		return this.jdbc.query("select * from KEYFLOW_AUDIT" + where(tenantFilter, onlyTenantLess, null, params)
				+ " order by AT_ desc, ID_ limit :limit offset :offset", params, KeyflowAudit::map);
	}

	/**
	 * Hands every matching event to {@code each}, oldest first, reading the table as it goes (for an export of any
	 * size).
	 * @param tenantFilter only events of this tenant; {@code null} for every tenant
	 * @param onlyTenantLess with a {@code null} filter: only tenant-less events
	 * @param since only events at or after this time; {@code null} for all
	 * @param each receives the events
	 */
	public void forEach(String tenantFilter, boolean onlyTenantLess, Instant since, Consumer<AuditRecord> each) {
		MapSqlParameterSource params = new MapSqlParameterSource();
		this.jdbc.query("select * from KEYFLOW_AUDIT" + where(tenantFilter, onlyTenantLess, since, params)
				+ " order by AT_, ID_", params, (rs) -> {
					each.accept(map(rs, 0));
				});
	}

	private static String where(String tenantFilter, boolean onlyTenantLess, Instant since,
			MapSqlParameterSource params) {
		StringBuilder where = new StringBuilder();
		if (tenantFilter != null || onlyTenantLess) {
			where.append(" where TENANT_ID_ = :tenant");
			params.addValue("tenant", KeyflowJdbc.tenant(tenantFilter));
		}
		if (since != null) {
			where.append(where.isEmpty() ? " where" : " and").append(" AT_ >= :since");
			params.addValue("since", KeyflowJdbc.timestamp(since));
		}
		return where.toString();
	}

	/**
	 * Deletes the events older than the retention, on Keyflow's clock; what {@code keyflow.audit.retention} runs.
	 * @param retention how long an event is kept; must be positive
	 * @return how many events were deleted
	 */
	public int deleteOlderThan(Duration retention) {
		Objects.requireNonNull(retention, "retention cannot be null");
		if (retention.isNegative() || retention.isZero()) {
			throw new IllegalArgumentException("retention must be positive");
		}
		Instant cutoff = this.clock.instant().minus(retention);
		int deleted = this.jdbc.update("delete from KEYFLOW_AUDIT where AT_ < :cutoff",
				new MapSqlParameterSource("cutoff", KeyflowJdbc.timestamp(cutoff)));
		if (deleted > 0) {
			log.info("KEYFLOW-A003 deleted {} audit events older than {} (keyflow.audit.retention {})", deleted, cutoff,
					retention);
		}
		return deleted;
	}

	private static AuditRecord map(ResultSet rs, int row) throws SQLException {
		return new AuditRecord(rs.getString("ID_"), KeyflowJdbc.instant(rs, "AT_"), rs.getString("ACTOR_ID_"),
				rs.getString("ACTOR_NAME_"), KeyflowJdbc.tenantOf(rs.getString("TENANT_ID_")), rs.getString("ACTION_"),
				rs.getString("CREDENTIAL_ID_"), rs.getString("CREDENTIAL_KEY_"), rs.getString("SUBJECT_"),
				rs.getString("OUTCOME_").toLowerCase(Locale.ROOT), rs.getString("ERROR_CODE_"), rs.getString("ON_BEHALF_OF_"));
	}

	private static String text(String value, int max) {
		if (value == null) {
			return null;
		}
		String printable = NOT_PRINTABLE.matcher(value).replaceAll("?");
		return (printable.length() > max) ? printable.substring(0, max) : printable;
	}

	@Override
	public String toString() {
		return "KeyflowAudit[recordUse=" + this.recordUse + "]";
	}

}
