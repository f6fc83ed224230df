package io.keyflow.benchmarks;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every harness at a tiny size, so that none can rot: each one's own verification (every task got exactly
 * its own credential) must pass. The figures at this size mean nothing and are not asserted.
 */
class HarnessSmokeTests {

	@Test
	void perUserOverheadWhenSmallThenEveryTaskGotItsOwnCredential() {
		PerUserOverheadBenchmark.Result result = PerUserOverheadBenchmark.run(200, 2, 50);

		assertThat(result.instances()).isEqualTo(400 + 100);
		// a returning user's task costs the database nothing; after a credential changed, one read of its row
		assertThat(result.steady().keyflowStatementsPerTask()).isLessThan(0.05);
		assertThat(result.afterChange().keyflowStatementsPerTask()).isBetween(0.95, 1.05);
	}

	@Test
	void resolutionLatencyWhenSmallThenEveryResolutionGotItsOwnCredentialOnH2AndPostgres() throws Exception {
		List<ResolutionLatencyBenchmark.Result> results = ResolutionLatencyBenchmark.run(1_000, 1_000, 500);

		assertThat(results).extracting(ResolutionLatencyBenchmark.Result::credentials).containsExactly(1_000, 1_000);
	}

	@Test
	void refreshStormWhenSmallThenOneRefreshPerCredentialAcrossTwoNodes() throws Exception {
		RefreshStormBenchmark.Result result = RefreshStormBenchmark.run(10, 4);

		assertThat(result.refreshRequests()).isEqualTo(10);
		assertThat(result.invalidGrants()).isZero();
	}

	@Test
	void vaultKvWhenSmallThenWarmCacheAsksVaultNothing() {
		List<VaultKvBenchmark.Pass> passes = VaultKvBenchmark.run(100, 20, false);

		// cold: one read per user's path, nothing listed; warm: nothing
		assertThat(passes).extracting(VaultKvBenchmark.Pass::kvRequests).containsExactly(20, 0);
	}

}
