package io.keyflow.plugin.internal.usage;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import io.keyflow.api.CredentialUsage;
import io.keyflow.plugin.internal.jdbc.KeyflowJdbc;

/**
 * Counts the uses of credentials by tasks in memory and writes them to {@code KEYFLOW_CREDENTIAL_USAGE} when
 * {@link #flush()} runs (every {@code keyflow.usage.flush-interval}, and at shutdown): a task's resolution adds to a
 * counter and never writes a row in the task's transaction. Several nodes add to the same row.
 */
public final class UsageTracker {

	private static final Logger log = LoggerFactory.getLogger("io.keyflow.engine");

	private final NamedParameterJdbcTemplate jdbc;

	private final Clock clock;

	private final Map<String, Pending> pending = new ConcurrentHashMap<>();

	/** Uses not yet written; changed only inside {@link ConcurrentHashMap#compute} on its key. */
	private static final class Pending {

		private final String tenantId;

		private long count;

		private Instant lastUsedAt;

		private String processDefinitionKey;

		Pending(String tenantId) {
			this.tenantId = tenantId;
		}

	}

	public UsageTracker(KeyflowJdbc db, Clock clock) {
		this.jdbc = db.template();
		this.clock = Objects.requireNonNull(clock, "clock cannot be null");
	}

	/**
	 * @param credentialId the credential a task used
	 * @param tenantId its tenant
	 * @param processDefinitionKey the key of the task's process definition, or {@code null}
	 */
	public void used(String credentialId, String tenantId, String processDefinitionKey) {
		// as the column keeps it, so that a filter with the same instant finds it
		Instant now = KeyflowJdbc.micros(this.clock.instant());
		this.pending.compute(credentialId, (id, uses) -> {
			Pending counted = (uses != null) ? uses : new Pending(tenantId);
			counted.count++;
			counted.lastUsedAt = now;
			counted.processDefinitionKey = processDefinitionKey;
			return counted;
		});
	}

	/**
	 * Writes the uses counted since the last flush. A use counted while this runs is written by the next one; uses
	 * that fail to be written are counted again for the next flush.
	 * @return how many credentials' rows were written
	 */
	public int flush() {
		int written = 0;
		for (String id : new ArrayList<>(this.pending.keySet())) {
			Pending uses = this.pending.remove(id);
			if (uses == null) {
				continue;
			}
			try {
				write(id, uses);
				written++;
			}
			catch (DataAccessException ex) {
				this.pending.merge(id, uses, UsageTracker::add);
				log.warn("KEYFLOW-E030 Could not write the usage of credential {}; retried at the next flush: {}", id,
						ex.getClass().getName());
			}
		}
		return written;
	}

	private static Pending add(Pending newer, Pending older) {
		Pending sum = new Pending(newer.tenantId);
		sum.count = newer.count + older.count;
		boolean newerLater = !newer.lastUsedAt.isBefore(older.lastUsedAt);
		sum.lastUsedAt = newerLater ? newer.lastUsedAt : older.lastUsedAt;
		sum.processDefinitionKey = newerLater ? newer.processDefinitionKey : older.processDefinitionKey;
		return sum;
	}

	private void write(String id, Pending uses) {
		MapSqlParameterSource params = new MapSqlParameterSource("id", id).addValue("count", uses.count)
			.addValue("at", KeyflowJdbc.timestamp(uses.lastUsedAt))
			.addValue("process", uses.processDefinitionKey, java.sql.Types.VARCHAR)
			.addValue("tenant", KeyflowJdbc.tenant(uses.tenantId));
		// the right-hand sides read the row as it was: another node's later use keeps its time and process
		String update = "update KEYFLOW_CREDENTIAL_USAGE set USE_COUNT_ = USE_COUNT_ + :count, "
				+ "LAST_PROC_DEF_KEY_ = case when LAST_USED_AT_ <= :at then :process else LAST_PROC_DEF_KEY_ end, "
				+ "LAST_USED_AT_ = case when LAST_USED_AT_ <= :at then :at else LAST_USED_AT_ end "
				+ "where CREDENTIAL_ID_ = :id";
		if (this.jdbc.update(update, params) > 0) {
			return;
		}
		try {
			this.jdbc.update("insert into KEYFLOW_CREDENTIAL_USAGE (CREDENTIAL_ID_, TENANT_ID_, USE_COUNT_, "
					+ "LAST_USED_AT_, LAST_PROC_DEF_KEY_) values (:id, :tenant, :count, :at, :process)", params);
		}
		catch (DuplicateKeyException ex) {
			// another node inserted it meanwhile
			this.jdbc.update(update, params);
		}
	}

	/**
	 * @param ids credential ids
	 * @return the written usage of those that tasks used, by id (uses since the last flush are not in it)
	 */
	public Map<String, CredentialUsage> find(Collection<String> ids) {
		Map<String, CredentialUsage> usage = new LinkedHashMap<>();
		if (ids.isEmpty()) {
			return usage;
		}
		List<String> all = List.copyOf(ids);
		// bounded IN lists: a page holds at most 500
		for (int from = 0; from < all.size(); from += 500) {
			List<String> chunk = all.subList(from, Math.min(all.size(), from + 500));
			this.jdbc.query("select CREDENTIAL_ID_, USE_COUNT_, LAST_USED_AT_, LAST_PROC_DEF_KEY_ from "
					+ "KEYFLOW_CREDENTIAL_USAGE where CREDENTIAL_ID_ in (:ids)", new MapSqlParameterSource("ids", chunk),
					(rs) -> {
						usage.put(rs.getString("CREDENTIAL_ID_"), new CredentialUsage(rs.getLong("USE_COUNT_"),
								KeyflowJdbc.instant(rs, "LAST_USED_AT_"), rs.getString("LAST_PROC_DEF_KEY_")));
					});
		}
		return usage;
	}

	/**
	 * Forgets a deleted credential's usage.
	 * @param credentialId its id
	 */
	public void forget(String credentialId) {
		this.pending.remove(credentialId);
		this.jdbc.update("delete from KEYFLOW_CREDENTIAL_USAGE where CREDENTIAL_ID_ = :id",
				new MapSqlParameterSource("id", credentialId));
	}

	@Override
	public String toString() {
		return "UsageTracker[pending=" + this.pending.size() + "]";
	}

}
