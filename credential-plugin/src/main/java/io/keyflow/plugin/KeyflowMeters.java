package io.keyflow.plugin;

import java.util.Objects;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Keyflow's meters (names and tags in docs/operations.md) for a Micrometer registry. Spring Boot binds it as a bean
 * when the application has Micrometer; a host that builds {@link KeyflowEngine} itself calls
 * {@code new KeyflowMeters(keyflow).bindTo(registry)} once. A host without Micrometer never loads this class.
 */
public final class KeyflowMeters implements MeterBinder {

	private final KeyflowEngine keyflow;

	/**
	 * @param keyflow the assembled Keyflow
	 */
	public KeyflowMeters(KeyflowEngine keyflow) {
		this.keyflow = Objects.requireNonNull(keyflow, "keyflow cannot be null");
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.keyflow.bindMetrics(registry);
	}

}
