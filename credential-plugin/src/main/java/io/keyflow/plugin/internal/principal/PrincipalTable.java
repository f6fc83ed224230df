package io.keyflow.plugin.internal.principal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import io.keyflow.plugin.ProcessPrincipal;
import io.keyflow.plugin.internal.jdbc.KeyflowJdbc;

/**
 * Table {@code KEYFLOW_PROCESS_PRINCIPAL}: one row per root process instance, written when it starts. Lives in
 * the engine's database, so it joins the engine's transaction where the engine uses Keyflow's data source
 * through Spring.
 */
final class PrincipalTable {

	private final NamedParameterJdbcTemplate jdbc;

	PrincipalTable(KeyflowJdbc db) {
		this.jdbc = db.template();
	}

	/**
	 * @return whether the row was written; {@code false} when the instance has one already (never overwritten)
	 */
	boolean insert(ProcessPrincipal principal, String processDefinitionId) {
		try {
			// "where not exists" rather than a caught unique violation, which would abort the engine's
			// transaction on PostgreSQL; the catch is left for two nodes adopting the same instance at once
			return this.jdbc.update("insert into KEYFLOW_PROCESS_PRINCIPAL (ROOT_PROC_INST_ID_, PRINCIPAL_ID_, SOURCE_, "
					+ "PROC_DEF_ID_, RECORDED_AT_, CHANGED_BY_) select :root, :principal, :source, :definition, :at, :by "
					+ "from (values (1)) as one (x) where not exists (select 1 from KEYFLOW_PROCESS_PRINCIPAL where "
					+ "ROOT_PROC_INST_ID_ = :root)", params(principal).addValue("definition", processDefinitionId,
							Types.VARCHAR)) == 1;
		}
		catch (DuplicateKeyException ex) {
			return false;
		}
	}

	/**
	 * @return whether a row was changed
	 */
	boolean update(ProcessPrincipal principal) {
		return this.jdbc.update("update KEYFLOW_PROCESS_PRINCIPAL set PRINCIPAL_ID_ = :principal, SOURCE_ = :source, "
				+ "RECORDED_AT_ = :at, CHANGED_BY_ = :by where ROOT_PROC_INST_ID_ = :root", params(principal)) == 1;
	}

	Optional<ProcessPrincipal> find(String rootProcessInstanceId) {
		return this.jdbc
			.query("select * from KEYFLOW_PROCESS_PRINCIPAL where ROOT_PROC_INST_ID_ = :root",
					new MapSqlParameterSource("root", rootProcessInstanceId), PrincipalTable::map)
			.stream()
			.findFirst();
	}

	void delete(String rootProcessInstanceId) {
		this.jdbc.update("delete from KEYFLOW_PROCESS_PRINCIPAL where ROOT_PROC_INST_ID_ = :root",
				new MapSqlParameterSource("root", rootProcessInstanceId));
	}

	/**
	 * Deletes the rows of root instances that are neither running nor in the history any more (the history
	 * was cleaned up or deleted), if recorded before the given time (a row of a start still in flight is kept).
	 * @return how many rows were deleted
	 */
	int deleteOrphans(Instant recordedBefore) {
		return this.jdbc.update("delete from KEYFLOW_PROCESS_PRINCIPAL where RECORDED_AT_ < :before "
				+ "and not exists (select 1 from ACT_RU_EXECUTION e where e.ID_ = KEYFLOW_PROCESS_PRINCIPAL.ROOT_PROC_INST_ID_) "
				+ "and not exists (select 1 from ACT_HI_PROCINST h where h.ID_ = KEYFLOW_PROCESS_PRINCIPAL.ROOT_PROC_INST_ID_)",
				new MapSqlParameterSource().addValue("before", KeyflowJdbc.timestamp(recordedBefore), Types.TIMESTAMP));
	}

	/**
	 * @param includeHistory whether an ended (historic) instance counts
	 * @return the root process instance of a process instance
	 */
	Optional<String> rootOf(String processInstanceId, boolean includeHistory) {
		MapSqlParameterSource params = new MapSqlParameterSource("id", processInstanceId);
		List<String> running = this.jdbc.queryForList("select ROOT_PROC_INST_ID_ from ACT_RU_EXECUTION where ID_ = :id "
				+ "and ID_ = PROC_INST_ID_", params, String.class);
		if (!running.isEmpty()) {
			return Optional.ofNullable(running.get(0)).or(() -> Optional.of(processInstanceId));
		}
		if (!includeHistory) {
			return Optional.empty();
		}
		List<String> historic = this.jdbc.queryForList("select ROOT_PROC_INST_ID_ from ACT_HI_PROCINST where ID_ = :id",
				params, String.class);
		if (!historic.isEmpty()) {
			return Optional.ofNullable(historic.get(0)).or(() -> Optional.of(processInstanceId));
		}
		return Optional.empty();
	}

	private static MapSqlParameterSource params(ProcessPrincipal principal) {
		return new MapSqlParameterSource("root", principal.rootProcessInstanceId())
			.addValue("principal", principal.principalId(), Types.VARCHAR)
			.addValue("source", principal.source().name())
			.addValue("at", KeyflowJdbc.timestamp(principal.recordedAt()), Types.TIMESTAMP)
			.addValue("by", principal.changedBy(), Types.VARCHAR);
	}

	private static ProcessPrincipal map(ResultSet rs, int row) throws SQLException {
		return new ProcessPrincipal(rs.getString("ROOT_PROC_INST_ID_"), rs.getString("PRINCIPAL_ID_"),
				ProcessPrincipal.Source.valueOf(rs.getString("SOURCE_")),
				KeyflowJdbc.instant(rs, "RECORDED_AT_"), rs.getString("CHANGED_BY_"));
	}

}
