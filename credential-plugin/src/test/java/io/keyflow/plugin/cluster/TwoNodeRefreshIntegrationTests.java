package io.keyflow.plugin.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.keyflow.api.CredentialInfo;
import io.keyflow.api.CredentialStatus;
import io.keyflow.api.KeyflowPlugin;
import io.keyflow.api.OAuth2Provider;
import io.keyflow.api.TokenEndpointAuthMethod;
import io.keyflow.devserver.DevAuthorizationServer;
import io.keyflow.plugin.AuthorizationStart;
import io.keyflow.plugin.CredentialService;
import io.keyflow.plugin.KeyflowTestApplication;
import io.keyflow.plugin.OAuth2ConnectionRequest;
import io.keyflow.plugin.OAuth2ConnectionService;
import io.keyflow.plugin.TestAccess;
import io.keyflow.plugin.internal.store.SettableClock;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two engine nodes (two Spring contexts, two process engines) on one real PostgreSQL share one OAuth2 credential
 * whose access token has expired; 100 task executions run at once, half on each node. The provider rotates refresh
 * tokens, so a second refresh with the old token would fail with invalid_grant and kill the credential.
 */
class TwoNodeRefreshIntegrationTests {

	static final String REDIRECT_URI = "http://127.0.0.1:8080/keyflow/oauth2/callback";

	static final SettableClock CLOCK = new SettableClock(Instant.now());

	static DevAuthorizationServer server;

	@Test
	void executeWhen100TasksOnTwoNodesAndTokenExpiredThenExactlyOneRefreshAndEveryTaskSucceeds() throws Exception {
		try (EmbeddedPostgresFixture postgres = EmbeddedPostgresFixture.start();
				DevAuthorizationServer dev = DevAuthorizationServer
					.start(DevAuthorizationServer.Options.defaults().client("keyflow", "cluster-secret", REDIRECT_URI))) {
			server = dev;
			TestAccess.resource(dev.resourceEndpoint());
			try (ConfigurableApplicationContext nodeA = node("node-a", postgres);
					ConfigurableApplicationContext nodeB = node("node-b", postgres)) {
				OAuth2ConnectionService connections = nodeA.getBean(OAuth2ConnectionService.class);
				AuthorizationStart start = connections
					.start(OAuth2ConnectionRequest.provider("devserver").principalId("paula").build());
				Map<String, String> redirect = TestAccess.login(start.authorizationUrl(), REDIRECT_URI);
				CredentialInfo info = connections.callback(redirect.get("code"), redirect.get("state"));
				nodeA.getBean(RepositoryService.class)
					.createDeployment()
					.addClasspathResource("bpmn/oauth2-resource-async.bpmn")
					.deploy();
				IdentityService identity = nodeA.getBean(IdentityService.class);
				RuntimeService runtime = nodeA.getBean(RuntimeService.class);
				identity.setAuthenticatedUserId("paula");
				List<String> instances = new ArrayList<>();
				for (int i = 0; i < 100; i++) {
					instances.add(runtime.startProcessInstanceByKey("oauth2-resource-async").getId());
				}
				identity.clearAuthentication();
				List<Job> jobs = nodeA.getBean(ManagementService.class).createJobQuery().list();
				assertThat(jobs).hasSize(100);
				CLOCK.advance(Duration.ofMinutes(10));
				int refreshes = dev.tokenRequests("refresh_token");

				ExecutorService pool = Executors.newFixedThreadPool(32);
				CountDownLatch go = new CountDownLatch(1);
				List<Future<?>> executions = new ArrayList<>();
				for (int i = 0; i < jobs.size(); i++) {
					ManagementService management = ((i % 2 == 0) ? nodeA : nodeB).getBean(ManagementService.class);
					String jobId = jobs.get(i).getId();
					executions.add(pool.submit(() -> {
						go.await();
						management.executeJob(jobId);
						return null;
					}));
				}
				go.countDown();
				try {
					for (Future<?> execution : executions) {
						execution.get();
					}
				}
				finally {
					pool.shutdownNow();
				}

				int measured = dev.tokenRequests("refresh_token") - refreshes;
				System.out.println("KEYFLOW-TEST two nodes, 100 tasks: refresh_token requests at the server = " + measured
						+ ", invalid_grant answers = " + dev.tokenErrors("refresh_token", "invalid_grant"));
				assertThat(measured).isEqualTo(1);
				assertThat(dev.tokenErrors("refresh_token")).isZero();
				assertThat(TestAccess.statuses(instances)).hasSize(100).containsOnly(200);
				assertThat(runtime.createProcessInstanceQuery().count()).isZero();
				assertThat(runtime.createIncidentQuery().count()).isZero();
				assertThat(nodeB.getBean(CredentialService.class).get(null, info.id()).orElseThrow().status())
					.isEqualTo(CredentialStatus.ACTIVE);
			}
		}
	}

	private static ConfigurableApplicationContext node(String name, EmbeddedPostgresFixture postgres) {
		return new SpringApplicationBuilder(KeyflowTestApplication.class, NodeConfiguration.class).run(
				"--spring.datasource.url=" + postgres.jdbcUrl(), "--spring.datasource.username=" + postgres.username(),
				"--spring.datasource.password=", "--spring.datasource.hikari.maximum-pool-size=40",
				"--camunda.bpm.generate-unique-process-engine-name=false",
				"--camunda.bpm.process-engine-name=" + name.replace('-', '_'),
				"--keyflow.oauth2.redirect-uri=" + REDIRECT_URI, "--keyflow.oauth2.refresh-margin=PT1M",
				"--keyflow.oauth2.clients.devserver.client-id=keyflow",
				"--keyflow.oauth2.clients.devserver.client-secret=cluster-secret");
	}

	@Configuration(proxyBeanMethods = false)
	static class NodeConfiguration {

		@Bean
		SettableClock keyflowClock() {
			return CLOCK;
		}

		@Bean
		KeyflowPlugin devServerProvider() {
			return (context) -> context.registerOAuth2Provider(OAuth2Provider.withId("devserver")
				.name("Dev server")
				.authorizationUrl(server.authorizationEndpoint().toString())
				.tokenUrl(server.tokenEndpoint().toString())
				.defaultScopes("read")
				.tokenEndpointAuthMethod(TokenEndpointAuthMethod.CLIENT_SECRET_BASIC)
				.build());
		}

	}

}
