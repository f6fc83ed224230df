package io.keyflow.benchmarks;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.keyflow.plugin.KeyflowEngine;
import io.keyflow.vault.VaultContractServer;
import io.keyflow.vault.VaultKvCredentialStore;
import io.keyflow.vault.autoconfigure.KeyflowVaultClient;
import io.keyflow.vault.autoconfigure.KeyflowVaultProperties;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;

import com.zaxxer.hikari.HikariDataSource;

/**
 * Per-user credentials kept in HashiCorp Vault KV v2 (played by the vault module's contract server, which answers
 * as Vault's HTTP API documents and counts every request): N tasks started round-robin by U users, first with an
 * empty cache (cold: Keyflow's lookup cache and the store's Vault cache both empty), then again at once (warm).
 * Prints the time per task and the KV requests per 1,000 tasks of each pass; every task checks it got its own
 * user's credential. Layout {@code users} (the default) keeps each user's secret at
 * {@code keyflow/default/users/<user>/<provider>}; {@code scan} keeps them in the tenant folder with a
 * {@code principalId} field and turns on {@code principal-scan} (the layout before 0.3), for comparison.
 * <pre>
 * mvn -q -o -pl benchmarks -am test-compile exec:java -Dexec.mainClass=io.keyflow.benchmarks.VaultKvBenchmark \
 *     -Dexec.args="5000 1000 users"   # tasks per pass, users, layout (users or scan)
 * </pre>
 */
public final class VaultKvBenchmark {

	private static final String TOKEN = "hvs.benchmark-token";

	private VaultKvBenchmark() {
	}

	/** What one pass measured. */
	record Pass(String name, int tasks, int kvRequests, double microsPerTask, double firstTaskMillis) {

		double kvRequestsPer1000Tasks() {
			return this.kvRequests * 1000.0 / this.tasks;
		}

	}

	public static void main(String[] args) {
		boolean scan = args.length > 2 && args[2].equals("scan");
		Harness.main("Vault KV", () -> run(Harness.intArg(args, 0, 5_000), Harness.intArg(args, 1, 1_000), scan));
	}

	static List<Pass> run(int tasks, int users, boolean scan) {
		PerUserAction.reset();
		try (VaultContractServer vault = VaultContractServer.start().token(TOKEN)) {
			for (int i = 0; i < users; i++) {
				String user = "user-" + i;
				if (scan) {
					vault.kv("secret", "keyflow/default/USER_" + i, Map.of("type", "api_key", "provider",
							PerUserAction.PROVIDER, "principalId", user, "apiKey", PerUserAction.apiKeyOf(user)));
				}
				else {
					vault.kv("secret", "keyflow/default/users/" + user + "/" + PerUserAction.PROVIDER,
							Map.of("type", "api_key", "apiKey", PerUserAction.apiKeyOf(user)));
				}
			}
			KeyflowVaultProperties properties = new KeyflowVaultProperties();
			properties.setAddress(vault.address());
			properties.getAuthentication().setToken(TOKEN);
			KeyflowVaultClient client = new KeyflowVaultClient(properties);
			HikariDataSource dataSource = Harness.h2("vault-kv", 4);
			ProcessEngine engine = null;
			try {
				VaultKvCredentialStore store = VaultKvCredentialStore.builder(client.operations()).principalScan(scan).build();
				KeyflowEngine keyflow = KeyflowEngine.builder(dataSource)
					.encryptionKey(Harness.newKey())
					.stores(List.of(store))
					.build();
				engine = Harness.engine("vault-kv", dataSource, keyflow, "per-user.bpmn");
				Pass cold = pass("cold", engine, vault, tasks, users);
				Pass warm = pass("warm", engine, vault, tasks, users);
				System.out.printf(Locale.ROOT, "%d users' credentials in Vault KV v2 (contract server, layout %s), %d tasks"
						+ " per pass round-robin%n", users, scan ? "scan" : "users/<user>/<provider>", tasks);
				for (Pass pass : List.of(cold, warm)) {
					System.out.printf(Locale.ROOT, "%s cache: %.0f µs per task (first task %.1f ms), %d KV requests ="
							+ " %.1f per 1,000 tasks%n", pass.name(), pass.microsPerTask(), pass.firstTaskMillis(),
							pass.kvRequests(), pass.kvRequestsPer1000Tasks());
				}
				return List.of(cold, warm);
			}
			finally {
				if (engine != null) {
					engine.close();
				}
				dataSource.close();
				client.destroy();
			}
		}
	}

	private static Pass pass(String name, ProcessEngine engine, VaultContractServer vault, int tasks, int users) {
		PerUserAction.reset();
		vault.clearRequests();
		IdentityService identity = engine.getIdentityService();
		long first = 0;
		long start = System.nanoTime();
		for (int i = 0; i < tasks; i++) {
			String user = "user-" + (i % users);
			identity.setAuthenticatedUserId(user);
			try {
				engine.getRuntimeService().startProcessInstanceByKey("per-user", user);
			}
			finally {
				identity.clearAuthentication();
			}
			if (i == 0) {
				first = System.nanoTime() - start;
			}
		}
		long spent = System.nanoTime() - start;
		Harness.check(PerUserAction.OWN.get() == tasks && PerUserAction.WRONG.get() == 0 && PerUserAction.NONE.get() == 0,
				String.format(Locale.ROOT, "%s pass: of %d tasks, %d got their own credential, %d another's, %d none", name,
						tasks, PerUserAction.OWN.get(), PerUserAction.WRONG.get(), PerUserAction.NONE.get()));
		return new Pass(name, tasks, vault.requests("/v1/secret/").size(), spent / 1_000.0 / tasks, first / 1e6);
	}

}
