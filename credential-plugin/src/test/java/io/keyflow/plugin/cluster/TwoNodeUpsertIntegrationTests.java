package io.keyflow.plugin.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

import io.keyflow.api.CredentialInfo;
import io.keyflow.api.CredentialQuery;
import io.keyflow.api.CredentialType;
import io.keyflow.plugin.CredentialDraft;
import io.keyflow.plugin.KeyflowEngine;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 48 upserts of one credential at once, half through each of two Keyflow nodes on one real PostgreSQL: each node
 * serializes its own, and a race lost to the other node is retried, so every upsert succeeds (last writer wins) and one
 * credential is stored.
 */
class TwoNodeUpsertIntegrationTests {

	static final String KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

	static final int WRITERS = 48;

	@Test
	void saveWhen48UpsertsOfOneKeyOnTwoNodesThenAllSucceedAndOneCredentialIsStored() throws Exception {
		try (EmbeddedPostgresFixture postgres = EmbeddedPostgresFixture.start();
				HikariDataSource poolA = pool(postgres);
				HikariDataSource poolB = pool(postgres)) {
			KeyflowEngine nodeA = KeyflowEngine.builder(poolA).encryptionKey(KEY).build();
			KeyflowEngine nodeB = KeyflowEngine.builder(poolB).encryptionKey(KEY).schemaUpdate(false).build();
			ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
			List<Future<CredentialInfo>> saves = new ArrayList<>();
			CountDownLatch go = new CountDownLatch(1);
			try {
				for (int i = 0; i < WRITERS; i++) {
					KeyflowEngine node = (i % 2 == 0) ? nodeA : nodeB;
					String secret = "two-node-secret-" + i;
					saves.add(pool.submit(() -> {
						go.await();
						return node.credentialService().save(CredentialDraft.builder(CredentialType.API_KEY)
							.key("TWO_NODE")
							.secrets(Map.of("apiKey", secret))
							.build());
					}));
				}
				go.countDown();
				for (Future<CredentialInfo> save : saves) {
					assertThat(save.get().key()).isEqualTo("TWO_NODE");
				}
			}
			finally {
				pool.shutdownNow();
			}

			List<CredentialInfo> stored = nodeA.credentialService()
				.list(new CredentialQuery(null, null, null, null, "TWO_NODE", 0, 10));
			assertThat(stored).hasSize(1);
			assertThat(nodeB.store().findByKey(null, "TWO_NODE").orElseThrow().apiKey()).startsWith("two-node-secret-");
		}
	}

	private static HikariDataSource pool(EmbeddedPostgresFixture postgres) {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(postgres.jdbcUrl());
		dataSource.setUsername(postgres.username());
		dataSource.setMaximumPoolSize(30);
		return dataSource;
	}

}
