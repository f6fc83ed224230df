package io.keyflow.vault.autoconfigure;

import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.keyflow.api.CredentialStore;
import io.keyflow.vault.VaultContractServer;
import io.keyflow.vault.VaultKvCredentialStore;
import io.keyflow.vault.autoconfigure.KeyflowVaultProperties.Method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code keyflow.vault.requests} meter against the Vault contract server: each request Keyflow's client sends is
 * counted once under its outcome, and the tag values name no path, key or tenant.
 */
class KeyflowVaultMetricsContractTests {

	private final VaultContractServer vault = VaultContractServer.start();

	private KeyflowVaultClient client;

	@AfterEach
	void tearDown() {
		if (this.client != null) {
			this.client.destroy();
		}
		this.vault.close();
	}

	@Test
	void requestsWhenFoundMissingSealedAndUnreachableThenCountedByOutcome() {
		this.vault.token("hvs.metrics-token").kv("secret", "keyflow/default/FOUND", Map.of("apiKey", "k-1"));
		KeyflowVaultProperties properties = new KeyflowVaultProperties();
		properties.setAddress(this.vault.address());
		properties.getAuthentication().setMethod(Method.TOKEN);
		properties.getAuthentication().setToken("hvs.metrics-token");
		this.client = new KeyflowVaultClient(properties);
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		new KeyflowVaultAutoConfiguration.MetricsConfiguration().keyflowVaultMeterBinder(this.client).bindTo(registry);
		// no cache: every lookup is a request
		CredentialStore store = VaultKvCredentialStore.builder(this.client.operations())
			.cacheTtl(java.time.Duration.ZERO)
			.staleIfError(java.time.Duration.ZERO)
			.build();

		assertThat(store.findByKey(null, "FOUND")).isPresent();
		assertThat(store.findByKey(null, "MISSING")).isEmpty();
		// every request so far was answered 2xx (the token's lookup-self, the read) but the one for MISSING
		int answered = this.vault.requests().size() - 1;
		this.vault.failWith(503);
		assertThatThrownBy(() -> store.findByKey(null, "FOUND")).isNotNull();
		this.vault.refuseConnections();
		assertThatThrownBy(() -> store.findByKey(null, "FOUND")).isNotNull();

		assertThat(count(registry, "success")).as(this.vault.lines().toString()).isEqualTo(answered);
		assertThat(count(registry, "not_found")).isEqualTo(1);
		assertThat(count(registry, "server_error")).isEqualTo(1);
		assertThat(count(registry, "unreachable")).isEqualTo(1);
		assertThat(count(registry, "denied")).isZero();
		assertThat(registry.get("keyflow.vault.requests").meters()).hasSize(6)
			.allSatisfy((meter) -> assertThat(meter.getId().getTags().toString()).doesNotContain("FOUND")
				.doesNotContain("default"));
	}

	private static double count(SimpleMeterRegistry registry, String outcome) {
		return registry.get("keyflow.vault.requests").tag("outcome", outcome).functionCounter().count();
	}

}
