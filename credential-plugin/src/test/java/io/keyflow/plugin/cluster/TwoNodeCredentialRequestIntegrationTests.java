package io.keyflow.plugin.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.keyflow.api.CredentialType;
import io.keyflow.plugin.CredentialDraft;
import io.keyflow.plugin.CredentialRequest;
import io.keyflow.plugin.CredentialRequestService;
import io.keyflow.plugin.KeyflowTestApplication;
import io.keyflow.plugin.internal.store.SettableClock;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two engine nodes on one real PostgreSQL: jobs of one missing credential failing at the same moment on both nodes
 * open exactly one credential request (the unique index on the open request decides; the loser joins under a
 * savepoint), every job is linked to it, and fulfilling it on one node resumes them all on both, once the other
 * node's cached "not found" has expired (the resumed jobs are due after the resolution cache's TTL).
 */
class TwoNodeCredentialRequestIntegrationTests {

	static final SettableClock CLOCK = new SettableClock(Instant.now());

	@Test
	void jobsFailingOnTwoNodesAtOnceThenOneRequestLinkingEveryJobAndFulfilmentResumesThemAll() throws Exception {
		try (EmbeddedPostgresFixture postgres = EmbeddedPostgresFixture.start();
				ConfigurableApplicationContext nodeA = node("node-a", postgres);
				ConfigurableApplicationContext nodeB = node("node-b", postgres)) {
			nodeA.getBean(org.camunda.bpm.engine.RepositoryService.class)
				.createDeployment()
				.addClasspathResource("bpmn/request-required.bpmn")
				.deploy();
			String key = "CLUSTER_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase();
			RuntimeService runtime = nodeA.getBean(RuntimeService.class);
			for (int i = 0; i < 20; i++) {
				runtime.startProcessInstanceByKey("request-required", Map.of("wantedKey", key));
			}
			List<Job> jobs = nodeA.getBean(ManagementService.class).createJobQuery().list();
			assertThat(jobs).hasSize(20);

			ExecutorService pool = Executors.newFixedThreadPool(20);
			CountDownLatch go = new CountDownLatch(1);
			List<Future<Boolean>> failures = new ArrayList<>();
			for (int i = 0; i < jobs.size(); i++) {
				ManagementService management = ((i % 2 == 0) ? nodeA : nodeB).getBean(ManagementService.class);
				String jobId = jobs.get(i).getId();
				failures.add(pool.submit(() -> {
					go.await();
					try {
						management.executeJob(jobId);
						return false;
					}
					catch (RuntimeException ex) {
						return ex.getMessage().contains("Keyflow credential request ");
					}
				}));
			}
			go.countDown();
			try {
				for (Future<Boolean> failure : failures) {
					assertThat(failure.get()).isTrue();
				}
			}
			finally {
				pool.shutdownNow();
			}

			CredentialRequestService requests = nodeB.getBean(CredentialRequestService.class);
			List<CredentialRequest> opened = requests.list(null, null, null, null, 0, 100)
				.stream()
				.filter((request) -> key.equals(request.key()))
				.toList();
			System.out.println("KEYFLOW-TEST two nodes, 20 jobs failing at once: credential requests = " + opened.size()
					+ ", linked jobs = " + opened.stream().mapToInt((request) -> request.jobIds().size()).sum());
			assertThat(opened).hasSize(1);
			assertThat(opened.get(0).jobIds()).containsExactlyInAnyOrderElementsOf(jobs.stream().map(Job::getId).toList());

			long fulfilledAt = System.currentTimeMillis();
			CredentialRequestService.Fulfilment fulfilment = requests.fulfil(opened.get(0).id(),
					CredentialDraft.builder(CredentialType.API_KEY).key(key).secret("apiKey", "cluster-" + UUID.randomUUID())
						.build(), "tester");
			assertThat(fulfilment.resumedJobIds()).hasSize(20);
			// node A still caches "not found" for the key: the jobs are due only once that entry has expired
			assertThat(nodeA.getBean(ManagementService.class).createJobQuery().list())
				.allSatisfy((job) -> assertThat(job.getDuedate().getTime()).isGreaterThanOrEqualTo(fulfilledAt + 4_000));
			CLOCK.advance(Duration.ofSeconds(5));
			for (int i = 0; i < jobs.size(); i++) {
				((i % 2 == 0) ? nodeB : nodeA).getBean(ManagementService.class).executeJob(jobs.get(i).getId());
			}
			assertThat(runtime.createProcessInstanceQuery().processDefinitionKey("request-required").count()).isZero();
			assertThat(runtime.createIncidentQuery().count()).isZero();
		}
	}

	private static ConfigurableApplicationContext node(String name, EmbeddedPostgresFixture postgres) {
		return new SpringApplicationBuilder(KeyflowTestApplication.class, NodeConfiguration.class).run(
				"--spring.datasource.url=" + postgres.jdbcUrl(), "--spring.datasource.username=" + postgres.username(),
				"--spring.datasource.password=", "--spring.datasource.hikari.maximum-pool-size=40",
				"--camunda.bpm.generate-unique-process-engine-name=false",
				"--camunda.bpm.process-engine-name=" + name.replace('-', '_'));
	}

	@Configuration(proxyBeanMethods = false)
	static class NodeConfiguration {

		@Bean
		SettableClock keyflowClock() {
			return CLOCK;
		}

	}

}
