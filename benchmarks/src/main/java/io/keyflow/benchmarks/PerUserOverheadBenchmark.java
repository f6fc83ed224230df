package io.keyflow.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import io.keyflow.api.CredentialType;
import io.keyflow.plugin.CredentialDraft;
import io.keyflow.plugin.KeyflowEngine;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;

import com.zaxxer.hikari.HikariDataSource;

/**
 * Keyflow's cost per task when every user has a credential of their own: N instances started round-robin by P
 * users (authenticated with the engine, as a web or REST start is, so Keyflow records each as the instance's
 * principal), on two engines in one JVM, one with Keyflow and one without, in alternating rounds. With P
 * larger than what the lookup cache holds for its TTL, almost every task reads and decrypts its credential.
 * <p>
 * Every task checks that it got its own user's credential; one that got none or another's fails the harness.
 * <pre>
 * mvn -q -o -pl benchmarks -am test-compile exec:java -Dexec.mainClass=io.keyflow.benchmarks.PerUserOverheadBenchmark \
 *     -Dexec.args="5000 7 10000"   # instances per round, rounds, principals
 * </pre>
 */
public final class PerUserOverheadBenchmark {

	private PerUserOverheadBenchmark() {
	}

	/** What one run measured. */
	record Result(long instances, double ratio, double medianRoundRatio, double cpuRatio, double keyflowMicrosPerTask,
			double keyflowCpuMicrosPerTask, double keyflowStatementsPerTask) {
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
		CountingDataSource withCounted = new CountingDataSource(withData);
		CountingDataSource withoutCounted = new CountingDataSource(withoutData);
		ProcessEngine withKeyflow = engine("with-keyflow", withCounted, users);
		ProcessEngine without = engine("without-keyflow", withoutCounted, null);
		try {
			int[] next = { 0 };
			// warm-up, not measured
			round(withKeyflow, perRound, users, next, true);
			round(without, perRound, users, next, false);
			long[] withWall = new long[rounds];
			long[] withoutWall = new long[rounds];
			long withCpu = 0;
			long withoutCpu = 0;
			long withStatements = withCounted.statements();
			long withoutStatements = withoutCounted.statements();
			for (int i = 0; i < rounds; i++) {
				// ABBA order: whatever slows the machine down during a round hits both engines alike
				boolean withFirst = (i % 2 == 0);
				long[] a = withFirst ? round(withKeyflow, perRound, users, next, true) : null;
				long[] b = round(without, perRound, users, next, false);
				if (!withFirst) {
					a = round(withKeyflow, perRound, users, next, true);
				}
				withWall[i] = a[0];
				withCpu += a[1];
				withoutWall[i] = b[0];
				withoutCpu += b[1];
			}
			long instances = (long) perRound * rounds;
			double statementsWith = (double) (withCounted.statements() - withStatements) / instances;
			double statementsWithout = (double) (withoutCounted.statements() - withoutStatements) / instances;
			double withTotal = Arrays.stream(withWall).sum();
			double withoutTotal = Arrays.stream(withoutWall).sum();
			double[] ratios = IntStream.range(0, rounds).mapToDouble((i) -> (double) withoutWall[i] / withWall[i])
				.sorted().toArray();
			double[] extra = IntStream.range(0, rounds)
				.mapToDouble((i) -> (withWall[i] - withoutWall[i]) / 1_000.0 / perRound).sorted().toArray();
			Result result = new Result(instances, withoutTotal / withTotal, ratios[rounds / 2],
					(double) withoutCpu / withCpu, extra[rounds / 2], (withCpu - withoutCpu) / 1_000.0 / instances,
					statementsWith - statementsWithout);
			System.out.printf(Locale.ROOT, "instances per engine: %d (%d rounds of %d after a warm-up round), %d principals"
					+ " round-robin%n", instances, rounds, perRound, principals);
			System.out.printf(Locale.ROOT, "with Keyflow: %.0f instances/s; without: %.0f instances/s%n",
					instances / (withTotal / 1e9), instances / (withoutTotal / 1e9));
			System.out.printf(Locale.ROOT, "throughput ratio: %.3f overall, %.3f median of rounds (min %.3f, max %.3f),"
					+ " %.3f by CPU time; target >= 0.97%n", result.ratio(), result.medianRoundRatio(), ratios[0],
					ratios[rounds - 1], result.cpuRatio());
			System.out.printf(Locale.ROOT, "Keyflow per task: %.1f µs median of rounds (min %.1f, max %.1f), %.1f µs by"
					+ " CPU time; target <= 15 µs%n", result.keyflowMicrosPerTask(), extra[0], extra[rounds - 1],
					result.keyflowCpuMicrosPerTask());
			System.out.printf(Locale.ROOT, "SQL statements per instance (a batch's rows counted one by one): %.2f with"
					+ " Keyflow, %.2f without, %.2f of Keyflow's own%n", statementsWith, statementsWithout,
					result.keyflowStatementsPerTask());
			return result;
		}
		finally {
			withKeyflow.close();
			without.close();
			withData.close();
			withoutData.close();
		}
	}

	/** @return wall and CPU nanoseconds of one round, after checking every task of it */
	private static long[] round(ProcessEngine engine, int instances, List<String> users, int[] next, boolean keyflow) {
		IdentityService identity = engine.getIdentityService();
		PerUserAction.reset();
		long cpu = THREADS.getCurrentThreadCpuTime();
		long start = System.nanoTime();
		for (int i = 0; i < instances; i++) {
			String user = users.get(next[0]++ % users.size());
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

	/** Identical engines (H2 in memory behind HikariCP); users only with Keyflow. */
	private static ProcessEngine engine(String name, DataSource dataSource, List<String> users) {
		KeyflowEngine keyflow = null;
		if (users != null) {
			keyflow = KeyflowEngine.builder(dataSource).encryptionKey(Harness.newKey()).build();
			keyflow.credentialService().importNew(users.stream()
				.map((user) -> CredentialDraft.builder(CredentialType.API_KEY)
					.principalId(user)
					.provider(PerUserAction.PROVIDER)
					.secret("apiKey", PerUserAction.apiKeyOf(user))
					.build())
				.toList());
		}
		return Harness.engine(name, dataSource, keyflow, "per-user.bpmn");
	}

}
