package io.keyflow.plugin.actuate;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

import io.keyflow.api.KeyConfigurationException;
import io.keyflow.plugin.KeyflowEngine;

/**
 * Health of Keyflow's local store ({@code /actuator/health/keyflow}): the store reachable (one query), the keyring
 * in use holding every key the stored data uses, and the credentials per key id, so that an operator sees when a
 * re-encryption is still due after a rotation ({@code notUnderPrimaryKey} above 0). Down when the store cannot be
 * read or a stored key is missing; credentials under an older key that the keyring still holds are no failure. Details
 * carry key ids and counts, never key material.
 */
public class KeyflowHealthIndicator extends AbstractHealthIndicator {

	private final KeyflowEngine keyflow;

	/**
	 * @param keyflow the assembled Keyflow
	 */
	public KeyflowHealthIndicator(KeyflowEngine keyflow) {
		super("Keyflow health check failed");
		this.keyflow = Objects.requireNonNull(keyflow, "keyflow cannot be null");
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Map<String, Long> byKey;
		try {
			byKey = this.keyflow.credentialsByKeyId();
		}
		catch (RuntimeException ex) {
			builder.down().withDetail("storeReachable", false).withDetail("error",
					"Keyflow's tables cannot be read: " + ex.getClass().getSimpleName());
			return;
		}
		String primary = this.keyflow.primaryKeyId();
		List<String> keyIds = this.keyflow.keyIds();
		long notUnderPrimary = byKey.entrySet()
			.stream()
			.filter((entry) -> !entry.getKey().equals(primary))
			.mapToLong(Map.Entry::getValue)
			.sum();
		builder.withDetail("storeReachable", true)
			.withDetail("primaryKeyId", primary)
			.withDetail("keyIds", keyIds)
			.withDetail("credentialsByKeyId", byKey)
			.withDetail("notUnderPrimaryKey", notUnderPrimary);
		try {
			this.keyflow.verifyKeyring();
			builder.up().withDetail("keyringMatches", true);
		}
		catch (KeyConfigurationException ex) {
			// the message names key ids only
			builder.down().withDetail("keyringMatches", false).withDetail("error", ex.getMessage());
		}
	}

}
