package io.keyflow.plugin;

import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import io.keyflow.api.CredentialException;
import io.keyflow.api.Keyring;
import io.keyflow.api.KeyringSource;
import io.keyflow.plugin.internal.KeyflowLog;
import io.keyflow.plugin.internal.crypto.EncryptedTable;
import io.keyflow.plugin.internal.jdbc.KeyflowJdbc;

import static io.keyflow.plugin.internal.jdbc.KeyflowJdbc.timestamp;

/**
 * Key operations an operator starts without writing Java (the REST API's {@code /keys}): which keys encrypt how many
 * rows, and the background re-encryption to the primary key (and a keyring source's rewrap) after a rotation.
 * <p>
 * A background operation runs on one node at a time: its row in {@code KEYFLOW_KEY_OPERATION} is a lease that the
 * running node renews after every batch. Each batch is committed on its own and counted in the row, so a crash loses
 * at most one batch of progress; starting the operation again after the lease ran out (on any node) resumes it, since
 * re-encryption only ever picks rows not yet under the primary key.
 */
public final class KeyOperations {

	/** The operation that moves every encrypted row to the primary key. */
	public static final String RE_ENCRYPT = "re-encrypt";

	/** The operation that re-wraps a keyring source's stored keys (Vault transit). */
	public static final String REWRAP = "rewrap";

	/** How long a node holds an operation without renewing it before another node may take it over. */
	static final Duration LEASE = Duration.ofMinutes(2);

	static final int BATCH_SIZE = 100;

	/**
	 * One key and what it encrypts.
	 * @param keyId the key id
	 * @param primary whether new writes use it
	 * @param inKeyring whether the keyring holds it (a key in use but missing stops the application at start-up)
	 * @param rows how many rows in use it encrypts, by kind: {@code credentials}, {@code oauth2Clients},
	 * {@code oauth2Flows}
	 * @param description what the keyring source says about it (e.g. its Vault transit version), or {@code null}
	 */
	public record KeyUsage(String keyId, boolean primary, boolean inKeyring, Map<String, Integer> rows,
			String description) {

		public KeyUsage {
			rows = Map.copyOf(rows);
		}

		/** @return how many rows it encrypts in all */
		public int total() {
			return this.rows.values().stream().mapToInt(Integer::intValue).sum();
		}

	}

	/**
	 * The state of a background operation, as persisted.
	 * @param kind {@link #RE_ENCRYPT} or {@link #REWRAP}
	 * @param state {@code RUNNING}, {@code DONE} or {@code FAILED}; a {@code RUNNING} one whose lease has run out is
	 * {@code INTERRUPTED} (its node stopped): start it again to resume it
	 * @param node the node that runs or ran it
	 * @param processed how many rows (or keys) it has moved so far
	 * @param batches how many batches it has committed
	 * @param startedAt when it started
	 * @param updatedAt when it last committed progress
	 * @param finishedAt when it finished, or {@code null}
	 * @param error why it failed (secret-free), or {@code null}
	 */
	public record Status(String kind, String state, String node, long processed, long batches, Instant startedAt,
			Instant updatedAt, Instant finishedAt, String error) {

		/** @return whether it still runs somewhere */
		public boolean running() {
			return "RUNNING".equals(this.state);
		}

	}

	private final NamedParameterJdbcTemplate jdbc;

	private final List<EncryptedTable> tables;

	private final Supplier<Keyring> keyring;

	private final KeyringSource keyringSource;

	private final Clock clock;

	private final String node = "node-" + UUID.randomUUID();

	private final ExecutorService worker = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "keyflow-key-operations");
		thread.setDaemon(true);
		return thread;
	});

	KeyOperations(KeyflowJdbc db, List<EncryptedTable> tables, Supplier<Keyring> keyring, KeyringSource keyringSource,
			Clock clock) {
		this.jdbc = db.template();
		this.tables = List.copyOf(tables);
		this.keyring = keyring;
		this.keyringSource = keyringSource;
		this.clock = clock;
	}

	/**
	 * @return every key of the keyring and every key id a stored row uses, the primary first
	 */
	public List<KeyUsage> keys() {
		Keyring current = this.keyring.get();
		Map<String, Map<String, Integer>> byKey = new TreeMap<>();
		current.keyIds().forEach((id) -> byKey.put(id, new TreeMap<>()));
		for (EncryptedTable table : this.tables) {
			table.rowsByKeyId().forEach((kind, counts) -> {
				byKey.values().forEach((rows) -> rows.putIfAbsent(kind, 0));
				counts.forEach((keyId, count) -> byKey.computeIfAbsent(keyId, (id) -> new TreeMap<>()).merge(kind, count,
						Integer::sum));
			});
		}
		Map<String, String> descriptions = (this.keyringSource != null) ? this.keyringSource.describeKeys() : Map.of();
		List<KeyUsage> keys = new ArrayList<>();
		byKey.forEach((keyId, rows) -> keys.add(new KeyUsage(keyId, keyId.equals(current.primaryKeyId()),
				current.keyIds().contains(keyId), rows, descriptions.get(keyId))));
		keys.sort((a, b) -> Boolean.compare(b.primary(), a.primary()));
		return keys;
	}

	/**
	 * @return how many rows in use are not under the primary key: 0 once a re-encryption has finished
	 */
	public int remaining() {
		return keys().stream().filter((key) -> !key.primary()).mapToInt(KeyUsage::total).sum();
	}

	/** @return whether the keyring source can {@link #startRewrap rewrap} (Vault transit) */
	public boolean canRewrap() {
		return this.keyringSource != null && this.keyringSource.canRewrap();
	}

	/**
	 * Starts re-encryption to the primary key in the background on this node, or resumes one whose node stopped. When
	 * another node runs it, leaves it there.
	 * @return the operation's state right after the start
	 */
	public Status startReEncryption() {
		return start(RE_ENCRYPT, () -> {
			int moved = 0;
			for (EncryptedTable table : this.tables) {
				moved += table.reEncrypt(BATCH_SIZE);
			}
			return moved;
		});
	}

	/**
	 * Starts the keyring source's rewrap in the background (one batch: every stored key).
	 * @return the operation's state right after the start
	 * @throws UnsupportedOperationException if the keyring source cannot rewrap ({@link #canRewrap})
	 */
	public Status startRewrap() {
		if (!canRewrap()) {
			throw new UnsupportedOperationException("the keyring has no source that rewraps (Vault transit is off)");
		}
		boolean[] done = { false };
		return start(REWRAP, () -> {
			if (done[0]) {
				return 0;
			}
			done[0] = true;
			return this.keyringSource.rewrap();
		});
	}

	/**
	 * @param kind {@link #RE_ENCRYPT} or {@link #REWRAP}
	 * @return its state, if it ever ran
	 */
	public Optional<Status> status(String kind) {
		return this.jdbc.query("select * from KEYFLOW_KEY_OPERATION where KIND_ = :kind",
				new MapSqlParameterSource("kind", kind), (rs, rowNum) -> {
					Instant leaseUntil = KeyflowJdbc.instant(rs, "LEASE_UNTIL_");
					String state = rs.getString("STATE_");
					if ("RUNNING".equals(state) && leaseUntil.isBefore(this.clock.instant())) {
						state = "INTERRUPTED";
					}
					return new Status(kind, state, rs.getString("NODE_"), rs.getLong("PROCESSED_"),
							rs.getLong("BATCHES_"), KeyflowJdbc.instant(rs, "STARTED_AT_"),
							KeyflowJdbc.instant(rs, "UPDATED_AT_"), KeyflowJdbc.instant(rs, "FINISHED_AT_"),
							rs.getString("ERROR_"));
				}).stream().findFirst();
	}

	private Status start(String kind, IntSupplier batch) {
		if (claim(kind)) {
			KeyflowLog.keyOperationStarted(kind, this.node);
			this.worker.execute(() -> run(kind, batch));
		}
		return status(kind).orElseThrow();
	}

	// one statement decides which node runs the operation: the row is free when it is not running or its lease ran out
	private boolean claim(String kind) {
		Instant now = now();
		MapSqlParameterSource params = new MapSqlParameterSource("kind", kind).addValue("node", this.node)
			.addValue("now", timestamp(now), Types.TIMESTAMP)
			.addValue("until", timestamp(now.plus(LEASE)), Types.TIMESTAMP);
		try {
			this.jdbc.update("insert into KEYFLOW_KEY_OPERATION (KIND_, STATE_, NODE_, LEASE_UNTIL_, PROCESSED_, BATCHES_, "
					+ "STARTED_AT_, UPDATED_AT_) values (:kind, 'RUNNING', :node, :until, 0, 0, :now, :now)", params);
			return true;
		}
		catch (DuplicateKeyException ex) {
			// a resumed run (lease ran out while RUNNING) keeps its progress; a new run starts from zero
			return this.jdbc.update("update KEYFLOW_KEY_OPERATION set "
					+ "PROCESSED_ = case when STATE_ = 'RUNNING' then PROCESSED_ else 0 end, "
					+ "BATCHES_ = case when STATE_ = 'RUNNING' then BATCHES_ else 0 end, "
					+ "STARTED_AT_ = case when STATE_ = 'RUNNING' then STARTED_AT_ else :now end, "
					+ "STATE_ = 'RUNNING', NODE_ = :node, LEASE_UNTIL_ = :until, UPDATED_AT_ = :now, FINISHED_AT_ = null, "
					+ "ERROR_ = null where KIND_ = :kind and (STATE_ <> 'RUNNING' or LEASE_UNTIL_ < :now)", params) == 1;
		}
	}

	private void run(String kind, IntSupplier batch) {
		try {
			int moved;
			do {
				moved = batch.getAsInt();
				if (!commit(kind, moved)) {
					KeyflowLog.keyOperationLost(kind, this.node);
					return;
				}
			}
			while (moved > 0);
			finish(kind, "DONE", null);
			KeyflowLog.keyOperationFinished(kind, status(kind).map(Status::processed).orElse(0L));
		}
		catch (CredentialException | UnsupportedOperationException ex) {
			// Keyflow's exceptions name ids, never values
			finish(kind, "FAILED", truncate(ex.getMessage()));
			KeyflowLog.keyOperationFailed(kind, ex.getMessage());
		}
		catch (RuntimeException ex) {
			finish(kind, "FAILED", ex.getClass().getSimpleName() + "; see the log of " + this.node);
			KeyflowLog.keyOperationFailed(kind, ex.toString());
		}
	}

	// progress and lease in one statement, only while this node still holds the operation
	private boolean commit(String kind, int moved) {
		Instant now = now();
		return this.jdbc.update("update KEYFLOW_KEY_OPERATION set PROCESSED_ = PROCESSED_ + :moved, "
				+ "BATCHES_ = BATCHES_ + 1, LEASE_UNTIL_ = :until, UPDATED_AT_ = :now where KIND_ = :kind and NODE_ = :node "
				+ "and STATE_ = 'RUNNING'", new MapSqlParameterSource("kind", kind).addValue("node", this.node)
					.addValue("moved", moved)
					.addValue("now", timestamp(now), Types.TIMESTAMP)
					.addValue("until", timestamp(now.plus(LEASE)), Types.TIMESTAMP)) == 1;
	}

	private void finish(String kind, String state, String error) {
		Instant now = now();
		this.jdbc.update("update KEYFLOW_KEY_OPERATION set STATE_ = :state, ERROR_ = :error, UPDATED_AT_ = :now, "
				+ "FINISHED_AT_ = :now where KIND_ = :kind and NODE_ = :node and STATE_ = 'RUNNING'",
				new MapSqlParameterSource("kind", kind).addValue("node", this.node)
					.addValue("state", state)
					.addValue("error", error, Types.VARCHAR)
					.addValue("now", timestamp(now), Types.TIMESTAMP));
	}

	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
	}

	private static String truncate(String message) {
		String text = Objects.toString(message, "");
		return (text.length() > 1000) ? text.substring(0, 1000) : text;
	}

	@Override
	public String toString() {
		return "KeyOperations[node=" + this.node + "]";
	}

}
