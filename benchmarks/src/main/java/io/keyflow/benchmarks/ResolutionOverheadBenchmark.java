package io.keyflow.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import io.keyflow.api.CredentialType;
import io.keyflow.plugin.CredentialDraft;
import io.keyflow.plugin.KeyflowEngine;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cfg.ProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.StandaloneInMemProcessEngineConfiguration;
import com.zaxxer.hikari.HikariDataSource;

/**
 * Keyflow's cost on the engine's hot path: runs N instances of a one-service-task process on two engines in
 * one JVM, one with Keyflow resolving an API-key credential from the local encrypted store for every task,
 * one without the plugin, and prints both throughputs and their ratio (target: at least 0.95).
 * <p>
 * Both engines are identical otherwise (in-memory H2 behind a HikariCP pool, history level full, job executor
 * off). Rounds
 * alternate between the engines so drift (JIT, GC, the other core's load) hits both alike.
 * <pre>
 * mvn -q -pl benchmarks -am compile exec:java [-Dexec.args="10000 7"]   # instances per round, rounds
 * </pre>
 */
public final class ResolutionOverheadBenchmark {

	private ResolutionOverheadBenchmark() {
	}

	public static void main(String[] args) {
		int perRound = (args.length > 0) ? Integer.parseInt(args[0]) : 10_000;
		int rounds = (args.length > 1) ? Integer.parseInt(args[1]) : 7;

		ProcessEngine withKeyflow = engine("with-keyflow", true);
		ProcessEngine without = engine("without-keyflow", false);
		try {
			run(withKeyflow, perRound);
			run(without, perRound);
			// the warm-up runs interpreted code first on whichever engine goes first: not measured
			CPU.clear();
			long withNanos = 0;
			long withoutNanos = 0;
			double[] ratios = new double[rounds];
			for (int round = 0; round < rounds; round++) {
				// ABBA order: whatever slows the machine down during a round hits both engines alike
				boolean withFirst = (round % 2 == 0);
				long a = withFirst ? run(withKeyflow, perRound) : 0;
				long b = run(without, perRound);
				if (!withFirst) {
					a = run(withKeyflow, perRound);
				}
				withNanos += a;
				withoutNanos += b;
				ratios[round] = (double) b / a;
			}
			long instances = (long) perRound * rounds;
			double withRate = instances / (withNanos / 1e9);
			double withoutRate = instances / (withoutNanos / 1e9);
			Arrays.sort(ratios);
			System.out.printf(Locale.ROOT, "instances per engine: %d (%d rounds of %d, after one warm-up round)%n",
					instances, rounds, perRound);
			System.out.printf(Locale.ROOT, "with Keyflow (credential resolved per task): %.0f instances/s%n", withRate);
			System.out.printf(Locale.ROOT, "without the plugin:                          %.0f instances/s%n", withoutRate);
			System.out.printf(Locale.ROOT, "ratio: %.3f overall, %.3f median of rounds (min %.3f, max %.3f); target >= 0.95%n",
					withRate / withoutRate, ratios[rounds / 2], ratios[0], ratios[rounds - 1]);
			double cpuRatio = (double) CPU.get(without) / CPU.get(withKeyflow);
			System.out.printf(Locale.ROOT, "ratio by CPU time of the benchmark thread: %.3f%n", cpuRatio);
		}
		finally {
			withKeyflow.close();
			without.close();
		}
	}

	private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

	/** CPU time of this thread per engine, less disturbed by other processes than wall time. */
	private static final java.util.Map<ProcessEngine, Long> CPU = new java.util.HashMap<>();

	private static long run(ProcessEngine engine, int instances) {
		long cpu = THREADS.getCurrentThreadCpuTime();
		long start = System.nanoTime();
		for (int i = 0; i < instances; i++) {
			engine.getRuntimeService().startProcessInstanceByKey("benchmark");
		}
		long wall = System.nanoTime() - start;
		CPU.merge(engine, THREADS.getCurrentThreadCpuTime() - cpu, Long::sum);
		return wall;
	}

	private static ProcessEngine engine(String name, boolean keyflow) {
		// a connection pool, as every real deployment has
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl("jdbc:h2:mem:" + name + "-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		dataSource.setUsername("sa");
		dataSource.setMaximumPoolSize(4);
		ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) new StandaloneInMemProcessEngineConfiguration()
			.setDataSource(dataSource)
			.setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE)
			.setHistory(ProcessEngineConfiguration.HISTORY_FULL)
			.setJobExecutorActivate(false)
			.setProcessEngineName(name);
		if (keyflow) {
			KeyflowEngine plugin = KeyflowEngine.builder(dataSource).encryptionKey(newKey()).build();
			plugin.credentialService()
				.save(CredentialDraft.builder(CredentialType.API_KEY)
					.key("BENCHMARK_API")
					.provider("benchmark-api")
					.secret("apiKey", "benchmark-" + UUID.randomUUID())
					.build());
			configuration.setProcessEnginePlugins(List.<ProcessEnginePlugin>of(plugin.processEnginePlugin()));
		}
		ProcessEngine engine = configuration.buildProcessEngine();
		engine.getRepositoryService().createDeployment().addClasspathResource("benchmark.bpmn").deploy();
		return engine;
	}

	private static String newKey() {
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		return Base64.getEncoder().encodeToString(key);
	}

}
