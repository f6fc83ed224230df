package io.keyflow.plugin.internal.metrics;

import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The metrics Keyflow's components hold from the start; the host's meter registry is bound later (Spring Boot binds
 * meter binders once every bean exists). Measures nothing until then.
 */
public final class DelegatingKeyflowMetrics implements KeyflowMetrics {

	private volatile KeyflowMetrics delegate = NONE;

	/**
	 * @param delegate the metrics to use from now on
	 */
	public void use(KeyflowMetrics delegate) {
		this.delegate = Objects.requireNonNull(delegate, "delegate cannot be null");
	}

	@Override
	public void resolution(String outcome, String store, long nanos) {
		this.delegate.resolution(outcome, store, nanos);
	}

	@Override
	public void cacheLookup(boolean hit) {
		this.delegate.cacheLookup(hit);
	}

	@Override
	public void refresh(String outcome) {
		this.delegate.refresh(outcome);
	}

	@Override
	public void tokenRequest(String grant, String outcome, long nanos) {
		this.delegate.tokenRequest(grant, outcome, nanos);
	}

	@Override
	public void credentialCounts(Supplier<Map<String, Long>> countsByStatus) {
		this.delegate.credentialCounts(countsByStatus);
	}

}
