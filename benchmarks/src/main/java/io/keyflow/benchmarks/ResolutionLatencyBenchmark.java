package io.keyflow.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import javax.sql.DataSource;

import io.keyflow.api.Credential;
import io.keyflow.api.CredentialStore;
import io.keyflow.api.CredentialType;
import io.keyflow.plugin.CredentialDraft;
import io.keyflow.plugin.KeyflowEngine;
import io.keyflow.plugin.cluster.EmbeddedPostgresFixture;
import org.springframework.jdbc.core.JdbcTemplate;

import com.zaxxer.hikari.HikariDataSource;

/**
 * How long resolving one credential takes when the lookup cache does not have it: the local store's query by
 * (tenant, principal, provider) plus the AES-GCM decryption, on H2 in memory and on a real PostgreSQL holding a
 * million per-user credentials. Also prints how long storing them took (batched inserts of rows encrypted by the
 * store, {@code CredentialService.importNew}) and the query plan of every resolution query.
 * <p>
 * Every resolution is checked: the credential of a random user must be that user's, with that user's secret.
 * <pre>
 * mvn -q -o -pl benchmarks -am test-compile exec:java -Dexec.mainClass=io.keyflow.benchmarks.ResolutionLatencyBenchmark \
 *     -Dexec.args="1000000 100000 20000"   # credentials in PostgreSQL, credentials in H2, resolutions measured
 * </pre>
 */
public final class ResolutionLatencyBenchmark {

	private static final String PROVIDER = PerUserAction.PROVIDER;

	/** Drafts per import call: bounds the memory the harness needs for a million. */
	private static final int IMPORT_CHUNK = 50_000;

	private ResolutionLatencyBenchmark() {
	}

	/** What one database measured. */
	record Result(String database, int credentials, double importSeconds, Harness.Percentiles latency) {
	}

	public static void main(String[] args) {
		Harness.main("resolution latency", () -> run(Harness.intArg(args, 0, 1_000_000), Harness.intArg(args, 1, 100_000),
				Harness.intArg(args, 2, 20_000)));
	}

	static List<Result> run(int postgresCredentials, int h2Credentials, int samples) throws Exception {
		List<Result> results = new ArrayList<>();
		HikariDataSource h2 = Harness.h2("latency", 2);
		try {
			results.add(measure("H2 (in memory)", h2, h2Credentials, samples, "explain "));
		}
		finally {
			h2.close();
		}
		try (EmbeddedPostgresFixture postgres = EmbeddedPostgresFixture.start()) {
			HikariDataSource pg = Harness.pool(postgres.jdbcUrl(), postgres.username(), 2);
			try {
				results.add(measure("PostgreSQL 14 (embedded)", pg, postgresCredentials, samples,
						"explain (analyze, costs off, timing off, summary off) "));
			}
			finally {
				pg.close();
			}
		}
		return results;
	}

	private static Result measure(String database, DataSource dataSource, int credentials, int samples,
			String explain) {
		KeyflowEngine keyflow = KeyflowEngine.builder(dataSource).encryptionKey(Harness.newKey()).build();
		long start = System.nanoTime();
		for (int from = 0; from < credentials; from += IMPORT_CHUNK) {
			List<CredentialDraft> drafts = new ArrayList<>();
			for (int i = from; i < Math.min(credentials, from + IMPORT_CHUNK); i++) {
				drafts.add(draft("user-" + i));
			}
			keyflow.credentialService().importNew(drafts);
		}
		// one tenant default, so that its query is explained on the same table
		keyflow.credentialService().importNew(List.of(draft(null)));
		double importSeconds = (System.nanoTime() - start) / 1e9;
		JdbcTemplate sql = new JdbcTemplate(dataSource);
		// what autovacuum would have done by now on a live database
		sql.execute(database.startsWith("PostgreSQL") ? "analyze KEYFLOW_CREDENTIAL" : "analyze");
		Harness.check(sql.queryForObject("select count(*) from KEYFLOW_CREDENTIAL", Long.class) == credentials + 1L,
				database + ": the table does not hold " + (credentials + 1) + " rows");

		// the local store itself: no lookup cache in front
		CredentialStore store = keyflow.localStore();
		SplittableRandom random = new SplittableRandom(42);
		for (int i = 0; i < Math.min(samples, 2_000); i++) {
			resolve(store, "user-" + random.nextInt(credentials), database);
		}
		long[] nanos = new long[samples];
		for (int i = 0; i < samples; i++) {
			String user = "user-" + random.nextInt(credentials);
			long began = System.nanoTime();
			Credential credential = store.findByPrincipal(null, user, PROVIDER).orElse(null);
			nanos[i] = System.nanoTime() - began;
			check(credential, user, database);
		}
		Credential fallback = store.findByPrincipal(null, null, PROVIDER).orElse(null);
		Harness.check(fallback != null && fallback.info().principalId() == null
				&& fallback.secrets().get("apiKey").equals(PerUserAction.apiKeyOf("tenant")),
				database + ": the tenant default did not resolve to itself");

		Result result = new Result(database, credentials, importSeconds, new Harness.Percentiles(nanos));
		System.out.printf(Locale.ROOT, "%n%s, %,d credentials stored in %.1f s (%,.0f rows/s)%n", database, credentials,
				importSeconds, credentials / importSeconds);
		System.out.printf(Locale.ROOT, "  resolve one credential by user (query + decrypt, no cache): %s; target p99 < 2 ms%n",
				result.latency());
		String select = "select * from KEYFLOW_CREDENTIAL where TENANT_ID_ = '' and ";
		printPlan(sql, explain, "by user", select + "PRINCIPAL_ID_ = 'user-1' and PROVIDER_ = '" + PROVIDER + "'");
		printPlan(sql, explain, "by key", select + "KEY_ = 'SOME_KEY'");
		printPlan(sql, explain, "by id", select + "ID_ = 'some-id'");
		printPlan(sql, explain, "tenant default", select + "PRINCIPAL_ID_ is null and PROVIDER_ = '" + PROVIDER
				+ "' order by CREATED_AT_, ID_");
		return result;
	}

	private static void resolve(CredentialStore store, String user, String database) {
		check(store.findByPrincipal(null, user, PROVIDER).orElse(null), user, database);
	}

	private static void check(Credential credential, String user, String database) {
		Harness.check(credential != null && user.equals(credential.info().principalId())
				&& PerUserAction.apiKeyOf(user).equals(credential.secrets().get("apiKey")),
				database + ": the credential of " + user + " did not resolve to that user's own");
	}

	private static void printPlan(JdbcTemplate sql, String explain, String query, String select) {
		System.out.println("  plan of the query " + query + ":");
		sql.queryForList(explain + select, String.class)
			.stream()
			.flatMap(String::lines)
			// H2 lists every selected column: the index it uses is what matters
			.filter((line) -> !line.trim().startsWith("\"PUBLIC\".\"KEYFLOW_CREDENTIAL\"."))
			.forEach((line) -> System.out.println("    " + line));
	}

	private static CredentialDraft draft(String user) {
		return CredentialDraft.builder(CredentialType.API_KEY)
			.key((user != null) ? null : "TENANT_DEFAULT")
			.principalId(user)
			.provider(PROVIDER)
			.secret("apiKey", PerUserAction.apiKeyOf((user != null) ? user : "tenant"))
			.build();
	}

}
