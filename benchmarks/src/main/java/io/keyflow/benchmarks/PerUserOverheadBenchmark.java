package io.keyflow.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import io.keyflow.api.CredentialType;
import io.keyflow.plugin.CredentialDraft;
import io.keyflow.plugin.KeyflowEngine;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;

import com.zaxxer.hikari.HikariDataSource;

/**
 * Keyflow's cost per task when every user has a credential of their own: instances started round-robin by P users
 * (authenticated with the engine, as a web or REST start is, so Keyflow records each as the instance's principal),
 * on two engines in one JVM, one with Keyflow and one without, in alternating rounds. Two phases:
 * <ul>
 * <li><b>steady</b>: every user has run once (the warm-up), as in a system that has been running; a user's
 * credential stays in the lookup cache until a credential changes;</li>
 * <li><b>after a change</b>: a credential is written before each round, which drops every cached answer, so each
 * task of the round reads and decrypts its user's row (P must be at least the round's size for that).</li>
 * </ul>
 * Every task checks that it got its own user's credential; one that got none or another's fails the harness.
 * Beside the times, the SQL statements each engine ran per instance: a figure the machine's load does not move.
 * <pre>
 * mvn -q -o -pl benchmarks -am test-compile exec:java -Dexec.mainClass=io.keyflow.benchmarks.PerUserOverheadBenchmark \
 *     -Dexec.args="5000 7 10000"   # instances per round, rounds per phase, principals
 * </pre>
 */
public final class PerUserOverheadBenchmark {

	private PerUserOverheadBenchmark() {
	}

	/** What one phase measured. */
	record Phase(long instances, double ratio, double medianRoundRatio, double cpuRatio, double keyflowMicrosPerTask,
			double keyflowCpuMicrosPerTask, double keyflowStatementsPerTask) {
	}

	/** What one run measured. */
	record Result(Phase steady, Phase afterChange) {

		long instances() {
			return this.steady.instances() + this.afterChange.instances();
		}

	}

	public static void main(String[] args) {
		Harness.main("per-user overhead", () -> run(Harness.intArg(args, 0, 5_000), Harness.intArg(args, 1, 7),
				Harness.intArg(args, 2, 10_000)));
	}

	private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

	static Result run(int perRound, int rounds, int principals) {
		List<String> users = IntStream.range(0, principals).mapToObj((i) -> "user-" + i).toList();
		HikariDataSource withData = Harness.h2("with-keyflow", 4);
		HikariDataSource withoutData = Harness.h2("without-keyflow", 4);
		Side with = new Side(new CountingDataSource(withData), users, true);
		Side without = new Side(new CountingDataSource(withoutData), users, false);
		try {
			// warm-up, not measured: every user once on each engine (and at least one round)
			with.round(Math.max(perRound, principals));
			without.round(Math.max(perRound, principals));
			System.out.printf(Locale.ROOT, "%d principals round-robin, %d rounds of %d instances per engine and phase,"
					+ " after a warm-up of %d%n", principals, rounds, perRound, Math.max(perRound, principals));
			Phase steady = phase("steady (every user ran once before)", with, without, perRound, rounds, () -> {
			});
			Phase afterChange = phase("after a change (a credential written before each round: every lookup "
					+ "misses)", with, without, Math.min(perRound, principals), rounds, with::writeACredential);
			return new Result(steady, afterChange);
		}
		finally {
			with.engine.close();
			without.engine.close();
			withData.close();
			withoutData.close();
		}
	}

	private static Phase phase(String name, Side with, Side without, int perRound, int rounds, Runnable beforeRound) {
		long[] withWall = new long[rounds];
		long[] withoutWall = new long[rounds];
		long withCpu = 0;
		long withoutCpu = 0;
		long withStatements = 0;
		long withoutStatements = 0;
		for (int i = 0; i < rounds; i++) {
			// ABBA order: whatever slows the machine down during a round hits both engines alike
			boolean withFirst = (i % 2 == 0);
			long[] a = null;
			if (withFirst) {
				beforeRound.run();
				a = with.round(perRound);
			}
			long[] b = without.round(perRound);
			if (!withFirst) {
				beforeRound.run();
				a = with.round(perRound);
			}
			withWall[i] = a[0];
			withCpu += a[1];
			withStatements += a[2];
			withoutWall[i] = b[0];
			withoutCpu += b[1];
			withoutStatements += b[2];
		}
		long instances = (long) perRound * rounds;
		double withTotal = Arrays.stream(withWall).sum();
		double withoutTotal = Arrays.stream(withoutWall).sum();
		double[] ratios = IntStream.range(0, rounds).mapToDouble((i) -> (double) withoutWall[i] / withWall[i])
			.sorted().toArray();
		double[] extra = IntStream.range(0, rounds)
			.mapToDouble((i) -> (withWall[i] - withoutWall[i]) / 1_000.0 / perRound).sorted().toArray();
		double statementsWith = (double) withStatements / instances;
		double statementsWithout = (double) withoutStatements / instances;
		Phase phase = new Phase(instances, withoutTotal / withTotal, ratios[rounds / 2], (double) withoutCpu / withCpu,
				extra[rounds / 2], (withCpu - withoutCpu) / 1_000.0 / instances, statementsWith - statementsWithout);
		System.out.println(name + ":");
		System.out.printf(Locale.ROOT, "  with Keyflow: %.0f instances/s; without: %.0f instances/s%n",
				instances / (withTotal / 1e9), instances / (withoutTotal / 1e9));
		System.out.printf(Locale.ROOT, "  throughput ratio: %.3f overall, %.3f median of rounds (min %.3f, max %.3f),"
				+ " %.3f by CPU time; target >= 0.97%n", phase.ratio(), phase.medianRoundRatio(), ratios[0],
				ratios[rounds - 1], phase.cpuRatio());
		System.out.printf(Locale.ROOT, "  Keyflow per task: %.1f µs median of rounds (min %.1f, max %.1f), %.1f µs by"
				+ " CPU time; target <= 15 µs%n", phase.keyflowMicrosPerTask(), extra[0], extra[rounds - 1],
				phase.keyflowCpuMicrosPerTask());
		System.out.printf(Locale.ROOT, "  SQL statements per instance (a batch's rows counted one by one): %.2f with"
				+ " Keyflow, %.2f without, %.2f of Keyflow's own%n", statementsWith, statementsWithout,
				phase.keyflowStatementsPerTask());
		return phase;
	}

	/** One engine, its data source and its place in the round-robin of users. */
	private static final class Side {

		private final CountingDataSource dataSource;

		private final List<String> users;

		private final boolean keyflowed;

		private final KeyflowEngine keyflow;

		private final ProcessEngine engine;

		private int next;

		/** Identical engines (H2 in memory behind HikariCP); users' credentials only with Keyflow. */
		Side(CountingDataSource dataSource, List<String> users, boolean keyflowed) {
			this.dataSource = dataSource;
			this.users = users;
			this.keyflowed = keyflowed;
			this.keyflow = keyflowed ? KeyflowEngine.builder(dataSource).encryptionKey(Harness.newKey()).build() : null;
			if (keyflowed) {
				this.keyflow.credentialService().importNew(users.stream()
					.map((user) -> CredentialDraft.builder(CredentialType.API_KEY)
						.principalId(user)
						.provider(PerUserAction.PROVIDER)
						.secret("apiKey", PerUserAction.apiKeyOf(user))
						.build())
					.toList());
			}
			this.engine = Harness.engine(keyflowed ? "with-keyflow" : "without-keyflow", dataSource, this.keyflow,
					"per-user.bpmn");
		}

		/** A credential nobody's task uses, written as an administrator would: every cached answer is dropped. */
		void writeACredential() {
			this.keyflow.credentialService().save(CredentialDraft.builder(CredentialType.API_KEY)
				.key("UNRELATED")
				.secret("apiKey", "rotated-" + this.next)
				.build());
		}

		/** @return wall and CPU nanoseconds and SQL statements of one round, after checking every task of it */
		long[] round(int instances) {
			long statements = this.dataSource.statements();
			long[] spent = PerUserOverheadBenchmark.round(this.engine, instances, this::nextUser, this.keyflowed);
			return new long[] { spent[0], spent[1], this.dataSource.statements() - statements };
		}

		private String nextUser() {
			return this.users.get(this.next++ % this.users.size());
		}

	}

	/** @return wall and CPU nanoseconds of one round, after checking every task of it */
	private static long[] round(ProcessEngine engine, int instances, Supplier<String> nextUser, boolean keyflow) {
		IdentityService identity = engine.getIdentityService();
		PerUserAction.reset();
		long cpu = THREADS.getCurrentThreadCpuTime();
		long start = System.nanoTime();
		for (int i = 0; i < instances; i++) {
			String user = nextUser.get();
			identity.setAuthenticatedUserId(user);
			try {
				engine.getRuntimeService().startProcessInstanceByKey("per-user", user);
			}
			finally {
				identity.clearAuthentication();
			}
		}
		long[] spent = { System.nanoTime() - start, THREADS.getCurrentThreadCpuTime() - cpu };
		long expectedOwn = keyflow ? instances : 0;
		Harness.check(PerUserAction.OWN.get() == expectedOwn && PerUserAction.WRONG.get() == 0
				&& PerUserAction.NONE.get() == instances - expectedOwn,
				String.format(Locale.ROOT, "%s: of %d tasks, %d got their own credential, %d another's, %d none",
						engine.getName(), instances, PerUserAction.OWN.get(), PerUserAction.WRONG.get(),
						PerUserAction.NONE.get()));
		return spent;
	}

}
