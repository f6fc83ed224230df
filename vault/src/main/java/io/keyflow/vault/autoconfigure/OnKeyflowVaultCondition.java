package io.keyflow.vault.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * On when {@code keyflow.vault.enabled=true}, or when {@code keyflow.vault.address} is set and
 * {@code keyflow.vault.enabled} is not {@code false}: setting the address is the usual way to opt in, and an
 * explicit {@code false} always wins.
 */
class OnKeyflowVaultCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Environment environment = context.getEnvironment();
		String enabled = environment.getProperty("keyflow.vault.enabled");
		if (enabled != null && !enabled.isBlank()) {
			return Boolean.parseBoolean(enabled.trim()) ? ConditionOutcome.match("keyflow.vault.enabled is true")
					: ConditionOutcome.noMatch("keyflow.vault.enabled is false");
		}
		String address = environment.getProperty("keyflow.vault.address");
		return (address != null && !address.isBlank()) ? ConditionOutcome.match("keyflow.vault.address is set")
				: ConditionOutcome.noMatch("neither keyflow.vault.enabled nor keyflow.vault.address is set");
	}

}
