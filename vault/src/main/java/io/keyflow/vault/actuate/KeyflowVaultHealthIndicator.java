package io.keyflow.vault.actuate;

import java.util.Objects;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.vault.core.VaultOperations;
import org.springframework.vault.support.VaultHealth;
import org.springframework.vault.support.VaultResponse;

import io.keyflow.api.CredentialException;
import io.keyflow.vault.TransitKeyringSource;

/**
 * Health of Keyflow's Vault connection, in three steps, each reported as a detail: reachable
 * ({@code sys/health}: initialized and unsealed), authenticated ({@code auth/token/lookup-self} with Keyflow's
 * token) and, with envelope encryption, the transit key usable (the primary data key rewraps). Details carry
 * Vault's version, state and the token's remaining TTL and policies, never the token or its accessor.
 */
public class KeyflowVaultHealthIndicator extends AbstractHealthIndicator {

	private final VaultOperations vault;

	private final TransitKeyringSource transit;

	/**
	 * @param vault Keyflow's Vault client
	 * @param transit the envelope keyring source, or {@code null} when transit is off
	 */
	public KeyflowVaultHealthIndicator(VaultOperations vault, TransitKeyringSource transit) {
		super("Vault health check failed");
		this.vault = Objects.requireNonNull(vault, "vault cannot be null");
		this.transit = transit;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		VaultHealth health;
		try {
			health = this.vault.opsForSys().health();
		}
		catch (RuntimeException ex) {
			builder.down().withDetail("reachable", false).withDetail("error", "Vault is unreachable");
			return;
		}
		builder.withDetail("reachable", true)
			.withDetail("initialized", health.isInitialized())
			.withDetail("sealed", health.isSealed())
			.withDetail("standby", health.isStandby())
			.withDetail("version", String.valueOf(health.getVersion()));
		if (!health.isInitialized() || health.isSealed()) {
			builder.down();
			return;
		}
		try {
			VaultResponse self = this.vault.read("auth/token/lookup-self");
			builder.withDetail("authenticated", true);
			if (self != null && self.getData() != null) {
				builder.withDetail("tokenTtl", String.valueOf(self.getData().get("ttl")))
					.withDetail("tokenRenewable", String.valueOf(self.getData().get("renewable")))
					.withDetail("tokenPolicies", String.valueOf(self.getData().get("policies")));
			}
		}
		catch (RuntimeException ex) {
			builder.down().withDetail("authenticated", false).withDetail("error", "Keyflow's token was refused");
			return;
		}
		if (this.transit != null) {
			try {
				this.transit.verifyTransitKey();
				builder.withDetail("transitKey", this.transit.transitKey() + " usable");
			}
			catch (CredentialException ex) {
				builder.down().withDetail("transitKey", this.transit.transitKey() + " not usable: " + ex.getMessage());
				return;
			}
		}
		builder.up();
	}

}
