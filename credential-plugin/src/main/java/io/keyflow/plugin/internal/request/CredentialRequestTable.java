package io.keyflow.plugin.internal.request;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import io.keyflow.api.CredentialType;
import io.keyflow.plugin.AuditRecord;
import io.keyflow.plugin.CredentialRequest;
import io.keyflow.plugin.KeyflowAudit;
import io.keyflow.plugin.internal.jdbc.KeyflowJdbc;

/**
 * {@code KEYFLOW_CREDENTIAL_REQUEST} and its job links. One OPEN request per wanted credential and tenant: the
 * unique index on {@code (TENANT_ID_, OPEN_WANTED_)} decides between nodes racing to open one; the loser joins the
 * winner's request. Closing is a conditional update on {@code STATUS_ = 'OPEN'}, so of two racing fulfilments one
 * wins. No column holds a secret.
 */
public final class CredentialRequestTable {

	private static final String COLUMNS = "ID_, TENANT_ID_, KIND_, WANTED_, KEY_, PROVIDER_, PRINCIPAL_ID_, "
			+ "CREDENTIAL_ID_, TYPES_, SCOPES_, PROC_DEF_KEY_, ACTIVITY_ID_, DESCRIPTION_, OBTAIN_, STATUS_, REASON_, "
			+ "RESOLVED_BY_, CREATED_AT_, RESOLVED_AT_";

	private final KeyflowJdbc db;

	private final NamedParameterJdbcTemplate jdbc;

	private final Clock clock;

	private final KeyflowAudit audit;

	/**
	 * @param db Keyflow's tables
	 * @param clock stamps the times
	 * @param audit where the opening of a request is recorded (actor {@code keyflow:engine})
	 */
	public CredentialRequestTable(KeyflowJdbc db, Clock clock, KeyflowAudit audit) {
		this.audit = Objects.requireNonNull(audit, "audit cannot be null");
		this.db = Objects.requireNonNull(db, "db cannot be null");
		this.jdbc = db.template();
		this.clock = Objects.requireNonNull(clock, "clock cannot be null");
	}

	/**
	 * The canonical name of a wanted credential: by key, or by provider and principal.
	 * @param key a key, or {@code null}
	 * @param provider a provider, or {@code null}
	 * @param principalId a principal, or {@code null}
	 * @return the value of {@code WANTED_}
	 */
	public static String wanted(String key, String provider, String principalId) {
		if (key != null) {
			return "key:" + key;
		}
		return "principal:" + ((provider != null) ? provider : "") + ":" + ((principalId != null) ? principalId : "");
	}

	/**
	 * Opens a request for what a task wanted, or joins the open one for the same credential, and links the job.
	 * Runs in a transaction of its own: the task's transaction rolls back when the task fails.
	 * @param wanted what the task wanted
	 * @param jobId the job that failed, or {@code null} for a synchronous task
	 * @param processInstanceId the process instance
	 * @return the open request's id
	 */
	public String open(Wanted wanted, String jobId, String processInstanceId) {
		return this.db.inNewTransaction(() -> {
			String canonical = wanted(wanted.key(), wanted.provider(), wanted.principalId());
			String id = findOpen(wanted.tenantId(), canonical).orElseGet(() -> insertOrJoin(wanted, canonical));
			if (jobId != null) {
				link(id, jobId, processInstanceId);
			}
			return id;
		});
	}

	private String insertOrJoin(Wanted wanted, String canonical) {
		String id = UUID.randomUUID().toString();
		try {
			insert(id, wanted, canonical);
		}
		catch (DuplicateKeyException ex) {
			// another node opened it between our look and our insert
			return findOpen(wanted.tenantId(), canonical).orElseThrow(() -> ex);
		}
		this.audit.record(AuditRecord.of("credential.request.open", AuditRecord.ENGINE)
			.tenantId(wanted.tenantId())
			.subject("request " + id + " for " + canonical + " (" + wanted.kind().name() + ", activity "
					+ wanted.activityId() + ")"));
		return id;
	}

	private void insert(String id, Wanted wanted, String canonical) {
		this.db.underSavepoint(() -> this.jdbc.update("insert into KEYFLOW_CREDENTIAL_REQUEST (" + COLUMNS
				+ ", OPEN_WANTED_) values (:id, :tenant, :kind, :wanted, :key, :provider, :principal, :credential, "
				+ ":types, :scopes, :procDefKey, :activity, :description, :obtain, 'OPEN', null, null, :now, null, "
				+ ":wanted)", new MapSqlParameterSource("id", id).addValue("tenant", KeyflowJdbc.tenant(wanted.tenantId()))
					.addValue("kind", wanted.kind().name())
					.addValue("wanted", canonical)
					.addValue("key", wanted.key())
					.addValue("provider", wanted.provider())
					.addValue("principal", wanted.principalId())
					.addValue("credential", wanted.credentialId())
					.addValue("types", wanted.acceptedTypes().stream().map(CredentialType::wireName).sorted()
						.collect(Collectors.joining(" ")))
					.addValue("scopes", String.join(" ", wanted.scopes()))
					.addValue("procDefKey", truncate(wanted.processDefinitionKey(), 255))
					.addValue("activity", truncate(wanted.activityId(), 255))
					.addValue("description", truncate(wanted.description(), 4000))
					.addValue("obtain", truncate(wanted.obtain(), 4000))
					.addValue("now", KeyflowJdbc.timestamp(KeyflowJdbc.micros(this.clock.instant())))));
	}

	private void link(String requestId, String jobId, String processInstanceId) {
		Integer linked = this.jdbc.queryForObject("select count(*) from KEYFLOW_CREDENTIAL_REQUEST_JOB where "
				+ "REQUEST_ID_ = :request and JOB_ID_ = :job",
				new MapSqlParameterSource("request", requestId).addValue("job", jobId), Integer.class);
		if (linked != null && linked > 0) {
			return;
		}
		try {
			this.db.underSavepoint(() -> this.jdbc.update("insert into KEYFLOW_CREDENTIAL_REQUEST_JOB (REQUEST_ID_, "
					+ "JOB_ID_, PROC_INST_ID_, CREATED_AT_) values (:request, :job, :instance, :now)",
					new MapSqlParameterSource("request", requestId).addValue("job", jobId)
						.addValue("instance", processInstanceId)
						.addValue("now", KeyflowJdbc.timestamp(KeyflowJdbc.micros(this.clock.instant())))));
		}
		catch (DuplicateKeyException ex) {
			// the same job failing on two nodes at once: linked once is enough
		}
	}

	private Optional<String> findOpen(String tenantId, String canonical) {
		return this.jdbc.queryForList("select ID_ from KEYFLOW_CREDENTIAL_REQUEST where TENANT_ID_ = :tenant and "
				+ "OPEN_WANTED_ = :wanted", new MapSqlParameterSource("tenant", KeyflowJdbc.tenant(tenantId))
					.addValue("wanted", canonical), String.class).stream().findFirst();
	}

	/**
	 * @param tenantId a tenant, {@code null} for the tenant-less scope
	 * @param wanted canonical names ({@link #wanted})
	 * @return the ids of the open requests for any of them
	 */
	public List<String> openFor(String tenantId, Collection<String> wanted) {
		return this.jdbc.queryForList("select ID_ from KEYFLOW_CREDENTIAL_REQUEST where TENANT_ID_ = :tenant and "
				+ "OPEN_WANTED_ in (:wanted) order by CREATED_AT_", new MapSqlParameterSource("tenant",
						KeyflowJdbc.tenant(tenantId)).addValue("wanted", wanted), String.class);
	}

	/**
	 * @param id a request id
	 * @return the request with its job links
	 */
	public Optional<CredentialRequest> find(String id) {
		List<CredentialRequest> found = this.jdbc.query("select " + COLUMNS + " from KEYFLOW_CREDENTIAL_REQUEST "
				+ "where ID_ = :id", new MapSqlParameterSource("id", id), this::row);
		return found.stream().findFirst();
	}

	/**
	 * @param filter what to list; {@code null} fields do not filter
	 * @return the matching requests, newest first
	 */
	public List<CredentialRequest> list(Filter filter) {
		StringBuilder sql = new StringBuilder("select " + COLUMNS + " from KEYFLOW_CREDENTIAL_REQUEST where 1 = 1");
		MapSqlParameterSource parameters = new MapSqlParameterSource();
		if (filter.tenantIds() != null) {
			sql.append(" and TENANT_ID_ in (:tenants)");
			parameters.addValue("tenants", filter.tenantIds().stream().map(KeyflowJdbc::tenant).toList());
		}
		if (filter.status() != null) {
			sql.append(" and STATUS_ = :status");
			parameters.addValue("status", filter.status().name());
		}
		if (filter.principalId() != null) {
			sql.append(" and PRINCIPAL_ID_ = :principal");
			parameters.addValue("principal", filter.principalId());
		}
		if (filter.provider() != null) {
			sql.append(" and PROVIDER_ = :provider");
			parameters.addValue("provider", filter.provider());
		}
		sql.append(" order by CREATED_AT_ desc, ID_ offset ").append(filter.first()).append(" rows fetch next ")
			.append(filter.max()).append(" rows only");
		return this.jdbc.query(sql.toString(), parameters, this::row);
	}

	/**
	 * Closes an open request; of two callers racing, one wins.
	 * @param id the request id
	 * @param status {@code FULFILLED} or {@code REJECTED}
	 * @param resolvedBy who closed it
	 * @param reason the rejection reason, or {@code null}
	 * @return whether this call closed it (false: it was not open)
	 */
	public boolean close(String id, CredentialRequest.Status status, String resolvedBy, String reason) {
		return this.jdbc.update("update KEYFLOW_CREDENTIAL_REQUEST set STATUS_ = :status, OPEN_WANTED_ = null, "
				+ "RESOLVED_BY_ = :by, REASON_ = :reason, RESOLVED_AT_ = :now where ID_ = :id and STATUS_ = 'OPEN'",
				new MapSqlParameterSource("status", status.name()).addValue("by", truncate(resolvedBy, 128))
					.addValue("reason", truncate(reason, 1000))
					.addValue("now", KeyflowJdbc.timestamp(KeyflowJdbc.micros(this.clock.instant())))
					.addValue("id", id)) == 1;
	}

	private List<String> jobIds(String requestId) {
		return this.jdbc.queryForList("select JOB_ID_ from KEYFLOW_CREDENTIAL_REQUEST_JOB where REQUEST_ID_ = :id "
				+ "order by CREATED_AT_, JOB_ID_", new MapSqlParameterSource("id", requestId), String.class);
	}

	private CredentialRequest row(ResultSet rs, int rowNum) throws SQLException {
		String id = rs.getString("ID_");
		Set<CredentialType> types = new LinkedHashSet<>();
		for (String type : split(rs.getString("TYPES_"))) {
			types.add(CredentialType.fromWireName(type));
		}
		return new CredentialRequest(id, KeyflowJdbc.tenantOf(rs.getString("TENANT_ID_")),
				CredentialRequest.Kind.valueOf(rs.getString("KIND_")), rs.getString("KEY_"), rs.getString("PROVIDER_"),
				rs.getString("PRINCIPAL_ID_"), rs.getString("CREDENTIAL_ID_"), types,
				new LinkedHashSet<>(split(rs.getString("SCOPES_"))), rs.getString("PROC_DEF_KEY_"),
				rs.getString("ACTIVITY_ID_"), rs.getString("DESCRIPTION_"), rs.getString("OBTAIN_"),
				CredentialRequest.Status.valueOf(rs.getString("STATUS_")), rs.getString("REASON_"),
				rs.getString("RESOLVED_BY_"), KeyflowJdbc.instant(rs, "CREATED_AT_"),
				KeyflowJdbc.instant(rs, "RESOLVED_AT_"), jobIds(id));
	}

	private static List<String> split(String value) {
		return (value == null || value.isBlank()) ? List.of() : new ArrayList<>(Arrays.asList(value.trim().split(" ")));
	}

	private static String truncate(String value, int max) {
		return (value != null && value.length() > max) ? value.substring(0, max) : value;
	}

	/**
	 * What a task wanted.
	 */
	public record Wanted(String tenantId, CredentialRequest.Kind kind, String key, String provider,
			String principalId, String credentialId, Set<CredentialType> acceptedTypes, Set<String> scopes,
			String processDefinitionKey, String activityId, String description, String obtain) {
	}

	/**
	 * A listing filter; {@code tenantIds} {@code null}: every tenant.
	 */
	public record Filter(Collection<String> tenantIds, CredentialRequest.Status status, String principalId,
			String provider, int first, int max) {
	}

}
