package io.keyflow.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;

import javax.sql.DataSource;

import io.keyflow.plugin.KeyflowEngine;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cfg.ProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.StandaloneProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.persistence.StrongUuidGenerator;

import com.zaxxer.hikari.HikariDataSource;

/**
 * What every harness shares: the machine line printed with every figure, percentiles, a fresh encryption key,
 * a pooled data source, and the verification that makes a harness fail loudly (exit status 1) when a task did
 * not get exactly its own credential.
 */
final class Harness {

	private Harness() {
	}

	/** A harness's own check failed: its figures are not worth printing. */
	static final class VerificationFailed extends RuntimeException {

		VerificationFailed(String message) {
			super(message);
		}

	}

	/**
	 * Runs a harness from {@code main}: prints the machine first, exits with status 1 on a failed verification
	 * or any other exception.
	 */
	static void main(String name, Callable<?> harness) {
		System.out.println(name + " on " + machine());
		try {
			harness.call();
			System.out.println("verification: passed");
		}
		catch (VerificationFailed ex) {
			System.err.println("VERIFICATION FAILED: " + ex.getMessage());
			System.exit(1);
		}
		catch (Exception ex) {
			ex.printStackTrace();
			System.exit(1);
		}
		// the engines' and pools' threads must not keep the JVM of exec:java alive
		System.exit(0);
	}

	static void check(boolean condition, String message) {
		if (!condition) {
			throw new VerificationFailed(message);
		}
	}

	/** @return cores, load averages and JVM, to print beside every figure */
	static String machine() {
		String load;
		try {
			String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
			load = parts[0] + " " + parts[1] + " " + parts[2];
		}
		catch (IOException | RuntimeException ex) {
			load = String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
		}
		return String.format(Locale.ROOT, "%d cores, load average %s, %s %s (%s)",
				Runtime.getRuntime().availableProcessors(), load, System.getProperty("java.vm.name"),
				System.getProperty("java.runtime.version"), System.getProperty("java.vm.vendor"));
	}

	static int intArg(String[] args, int index, int fallback) {
		return (args.length > index) ? Integer.parseInt(args[index].replace("_", "")) : fallback;
	}

	static String newKey() {
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		return Base64.getEncoder().encodeToString(key);
	}

	static HikariDataSource h2(String name, int poolSize) {
		return pool("jdbc:h2:mem:" + name + "-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", poolSize);
	}

	static HikariDataSource pool(String url, String user, int poolSize) {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(url);
		dataSource.setUsername(user);
		dataSource.setMaximumPoolSize(poolSize);
		return dataSource;
	}

	/**
	 * An engine as every harness runs it: history level full, no job executor, the schema created when missing.
	 * @param keyflow the Keyflow to plug in, {@code null} for an engine without it
	 * @param bpmn a class path resource to deploy, {@code null} for none
	 */
	static ProcessEngine engine(String name, DataSource dataSource, KeyflowEngine keyflow, String bpmn) {
		return engine(name, dataSource, keyflow, bpmn, false);
	}

	/**
	 * @param clusterNode whether other engines share the database: then ids are UUIDs, as Camunda's Spring Boot
	 * starter makes them, since the default id blocks collide between nodes (OptimisticLockingException)
	 */
	static ProcessEngine engine(String name, DataSource dataSource, KeyflowEngine keyflow, String bpmn,
			boolean clusterNode) {
		ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) new StandaloneProcessEngineConfiguration()
			.setDataSource(dataSource)
			.setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE)
			.setHistory(ProcessEngineConfiguration.HISTORY_FULL)
			.setJobExecutorActivate(false)
			.setProcessEngineName(name);
		if (clusterNode) {
			configuration.setIdGenerator(new StrongUuidGenerator());
		}
		if (keyflow != null) {
			configuration.setProcessEnginePlugins(List.<ProcessEnginePlugin>of(keyflow.processEnginePlugin()));
		}
		ProcessEngine engine = configuration.buildProcessEngine();
		if (bpmn != null) {
			engine.getRepositoryService().createDeployment().addClasspathResource(bpmn).deploy();
		}
		return engine;
	}

	/** Durations in nanoseconds, sorted once. */
	static final class Percentiles {

		private final long[] sorted;

		Percentiles(long[] nanos) {
			this.sorted = nanos.clone();
			Arrays.sort(this.sorted);
		}

		/** @return the value at the given percentile (nearest rank), in microseconds */
		double micros(double percentile) {
			int rank = (int) Math.ceil(percentile / 100.0 * this.sorted.length);
			return this.sorted[Math.max(0, Math.min(this.sorted.length - 1, rank - 1))] / 1_000.0;
		}

		@Override
		public String toString() {
			return String.format(Locale.ROOT, "p50 %.1f µs, p99 %.1f µs, p99.9 %.1f µs, max %.1f µs (%d samples)",
					micros(50), micros(99), micros(99.9), micros(100), this.sorted.length);
		}

	}

}
