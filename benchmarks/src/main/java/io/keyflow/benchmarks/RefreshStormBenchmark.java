package io.keyflow.benchmarks;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import io.keyflow.api.OAuth2Provider;
import io.keyflow.api.TokenEndpointAuthMethod;
import io.keyflow.devserver.DevAuthorizationServer;
import io.keyflow.plugin.AuthorizationStart;
import io.keyflow.plugin.BrowserLogin;
import io.keyflow.plugin.KeyflowEngine;
import io.keyflow.plugin.OAuth2ConnectionRequest;
import io.keyflow.plugin.OAuth2ConnectionService;
import io.keyflow.plugin.cluster.EmbeddedPostgresFixture;
import io.keyflow.plugin.internal.store.SettableClock;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.Job;

import com.zaxxer.hikari.HikariDataSource;

/**
 * A refresh storm: U users each connected an OAuth2 account at the dev server (a real Spring Authorization Server
 * that rotates refresh tokens), all access tokens expire at the same moment, and 2 x U asynchronous tasks (two per
 * user) run at once on two engine nodes sharing one embedded PostgreSQL. Keyflow must refresh each credential
 * exactly once across both nodes: a second refresh with a spent refresh token would get {@code invalid_grant} and
 * kill the credential.
 * <p>
 * Verified: exactly U refresh requests at the server, no {@code invalid_grant}, every task succeeded with its own
 * user's credential and a token the resource server accepts, and both tasks of a user carried the same token.
 * <pre>
 * mvn -q -o -pl benchmarks -am test-compile exec:java -Dexec.mainClass=io.keyflow.benchmarks.RefreshStormBenchmark \
 *     -Dexec.args="1000 16"   # users, job threads per node
 * </pre>
 */
public final class RefreshStormBenchmark {

	static final String REDIRECT_URI = "http://127.0.0.1:8080/keyflow/oauth2/callback";

	private static final int TASKS_PER_USER = 2;

	private RefreshStormBenchmark() {
	}

	/** What one storm measured. */
	record Result(int users, int tasks, int refreshRequests, int invalidGrants, double wallSeconds,
			Harness.Percentiles taskLatency) {
	}

	public static void main(String[] args) {
		Harness.main("refresh storm", () -> run(Harness.intArg(args, 0, 1_000), Harness.intArg(args, 1, 16)));
	}

	private record Node(ProcessEngine engine, KeyflowEngine keyflow, HikariDataSource dataSource) implements AutoCloseable {

		@Override
		public void close() {
			this.engine.close();
			this.dataSource.close();
		}

	}

	static Result run(int users, int threadsPerNode) throws Exception {
		StormAction.SEEN.clear();
		try (EmbeddedPostgresFixture postgres = EmbeddedPostgresFixture.start();
				DevAuthorizationServer dev = DevAuthorizationServer
					.start(DevAuthorizationServer.Options.defaults().client("keyflow", "storm-secret", REDIRECT_URI))) {
			StormAction.resource = dev.resourceEndpoint();
			SettableClock clock = new SettableClock(Instant.now());
			String key = Harness.newKey();
			try (Node nodeA = node("node_a", postgres, dev, clock, key, threadsPerNode);
					Node nodeB = node("node_b", postgres, dev, clock, key, threadsPerNode)) {
				connect(nodeA.keyflow().oauth2Connections(), users);
				nodeA.engine().getRepositoryService().createDeployment().addClasspathResource("storm.bpmn").deploy();
				IdentityService identity = nodeA.engine().getIdentityService();
				for (int round = 0; round < TASKS_PER_USER; round++) {
					for (int i = 0; i < users; i++) {
						identity.setAuthenticatedUserId("user-" + i);
						try {
							nodeA.engine().getRuntimeService().startProcessInstanceByKey("storm", "user-" + i);
						}
						finally {
							identity.clearAuthentication();
						}
					}
				}
				List<Job> jobs = nodeA.engine().getManagementService().createJobQuery().list();
				Harness.check(jobs.size() == users * TASKS_PER_USER, "expected " + users * TASKS_PER_USER + " jobs, found "
						+ jobs.size());
				// every access token (5 minutes at the dev server) is now past Keyflow's refresh margin
				clock.advance(Duration.ofMinutes(10));
				int refreshesBefore = dev.tokenRequests("refresh_token");
				int errorsBefore = dev.tokenErrors("refresh_token");

				long[] latencies = new long[jobs.size()];
				AtomicLong failures = new AtomicLong();
				ExecutorService pool = Executors.newFixedThreadPool(2 * threadsPerNode);
				CountDownLatch go = new CountDownLatch(1);
				List<Future<?>> executions = new ArrayList<>();
				for (int i = 0; i < jobs.size(); i++) {
					ManagementService management = ((i % 2 == 0) ? nodeA : nodeB).engine().getManagementService();
					String jobId = jobs.get(i).getId();
					int index = i;
					executions.add(pool.submit(() -> {
						go.await();
						long began = System.nanoTime();
						try {
							management.executeJob(jobId);
						}
						catch (RuntimeException ex) {
							failures.incrementAndGet();
						}
						latencies[index] = System.nanoTime() - began;
						return null;
					}));
				}
				long start = System.nanoTime();
				go.countDown();
				try {
					for (Future<?> execution : executions) {
						execution.get();
					}
				}
				finally {
					pool.shutdownNow();
				}
				double wall = (System.nanoTime() - start) / 1e9;
				int refreshes = dev.tokenRequests("refresh_token") - refreshesBefore;
				int invalidGrants = dev.tokenErrors("refresh_token", "invalid_grant");
				Result result = new Result(users, jobs.size(), refreshes, invalidGrants, wall,
						new Harness.Percentiles(latencies));
				System.out.printf(Locale.ROOT, "%d users, %d async tasks on 2 nodes (%d job threads each), one embedded"
						+ " PostgreSQL%n", users, jobs.size(), threadsPerNode);
				System.out.printf(Locale.ROOT, "refresh_token requests at the server: %d (expected %d), invalid_grant: %d,"
						+ " other refresh errors: %d, failed tasks: %d%n", refreshes, users, invalidGrants,
						dev.tokenErrors("refresh_token") - errorsBefore - invalidGrants, failures.get());
				System.out.printf(Locale.ROOT, "wall time %.2f s (%.0f tasks/s); task latency (executeJob) p50 %.1f ms,"
						+ " p99 %.1f ms, max %.1f ms%n", wall, jobs.size() / wall, result.taskLatency().micros(50) / 1_000,
						result.taskLatency().micros(99) / 1_000, result.taskLatency().micros(100) / 1_000);
				Harness.check(failures.get() == 0, failures.get() + " of " + jobs.size() + " tasks failed");
				Harness.check(invalidGrants == 0 && dev.tokenErrors("refresh_token") == errorsBefore,
						"the server refused " + (dev.tokenErrors("refresh_token") - errorsBefore) + " refreshes");
				Harness.check(refreshes == users, refreshes + " refresh requests for " + users + " expired credentials");
				verifyEveryTaskGotItsOwn(users, nodeA.engine());
				return result;
			}
		}
	}

	private static void verifyEveryTaskGotItsOwn(int users, ProcessEngine engine) {
		Harness.check(StormAction.SEEN.size() == users * TASKS_PER_USER,
				StormAction.SEEN.size() + " of " + users * TASKS_PER_USER + " tasks ran their action");
		Map<String, Set<String>> tokensByUser = new HashMap<>();
		for (StormAction.Seen seen : StormAction.SEEN.values()) {
			Harness.check(seen.user().equals(seen.principal()) && seen.status() == 200,
					"a task of " + seen.user() + " got " + seen);
			tokensByUser.computeIfAbsent(seen.user(), (user) -> new HashSet<>()).add(seen.accessToken());
		}
		Harness.check(tokensByUser.size() == users && tokensByUser.values().stream().allMatch((tokens) -> tokens.size() == 1),
				"the tasks of a user did not share one refreshed token");
		Harness.check(engine.getRuntimeService().createProcessInstanceQuery().count() == 0
				&& engine.getRuntimeService().createIncidentQuery().count() == 0, "instances or incidents are left");
	}

	/** Each user connects through the dev server's real authorization-code flow, a few browsers at a time. */
	private static void connect(OAuth2ConnectionService connections, int users) throws Exception {
		int browsers = 8;
		long start = System.nanoTime();
		ExecutorService pool = Executors.newFixedThreadPool(browsers);
		try {
			List<Future<?>> done = new ArrayList<>();
			for (int b = 0; b < browsers; b++) {
				int first = b;
				done.add(pool.submit(() -> {
					// one browser session per thread: it logs in once, then each flow is redirects and a token exchange
					BrowserLogin browser = new BrowserLogin();
					for (int i = first; i < users; i += browsers) {
						AuthorizationStart flow = connections
							.start(OAuth2ConnectionRequest.provider(StormAction.PROVIDER).principalId("user-" + i).build());
						Map<String, String> redirect = browser.authorize(flow.authorizationUrl(), REDIRECT_URI, "demo",
								"demo");
						connections.callback(redirect.get("code"), redirect.get("state"));
					}
					return null;
				}));
			}
			for (Future<?> connected : done) {
				connected.get();
			}
		}
		finally {
			pool.shutdownNow();
		}
		System.out.printf(Locale.ROOT, "connected %d OAuth2 accounts through the authorization-code flow in %.1f s%n",
				users, (System.nanoTime() - start) / 1e9);
	}

	private static Node node(String name, EmbeddedPostgresFixture postgres, DevAuthorizationServer dev, Clock clock,
			String key, int threads) {
		// the refresh takes a second connection while the task's holds one
		HikariDataSource dataSource = Harness.pool(postgres.jdbcUrl(), postgres.username(), 2 * threads + 4);
		KeyflowEngine keyflow = KeyflowEngine.builder(dataSource)
			.encryptionKey(key)
			.clock(clock)
			.redirectUri(URI.create(REDIRECT_URI))
			.refreshMargin(Duration.ofMinutes(1))
			.oauth2Clients(Map.of(StormAction.PROVIDER, Map.entry("keyflow", "storm-secret")))
			.plugins(List.of((context) -> context.registerOAuth2Provider(OAuth2Provider.withId(StormAction.PROVIDER)
				.name("Dev server")
				.authorizationUrl(dev.authorizationEndpoint().toString())
				.tokenUrl(dev.tokenEndpoint().toString())
				.defaultScopes("read")
				.tokenEndpointAuthMethod(TokenEndpointAuthMethod.CLIENT_SECRET_BASIC)
				.build())))
			.build();
		return new Node(Harness.engine(name, dataSource, keyflow, null, true), keyflow, dataSource);
	}

}
