package io.keyflow.plugin.internal.resolve;

import java.util.Objects;

import io.keyflow.api.Credential;
import io.keyflow.api.ReauthorizationRequiredException;
import io.keyflow.plugin.AuditRecord;
import io.keyflow.plugin.KeyflowAudit;
import io.keyflow.plugin.internal.metrics.KeyflowMetrics;
import io.keyflow.plugin.internal.store.CompositeCredentialStore;
import io.keyflow.plugin.internal.usage.UsageTracker;

/**
 * Meters every resolution, counts each use in memory (written later by {@link UsageTracker#flush()}) and, with
 * {@code keyflow.audit.record-use}, records a {@code credential.use} event in the task's transaction.
 */
public final class ObservedResolutions implements ResolutionObserver {

	private static final String NO_STORE = "none";

	private final KeyflowMetrics metrics;

	private final UsageTracker usage;

	private final KeyflowAudit audit;

	public ObservedResolutions(KeyflowMetrics metrics, UsageTracker usage, KeyflowAudit audit) {
		this.metrics = Objects.requireNonNull(metrics, "metrics cannot be null");
		this.usage = Objects.requireNonNull(usage, "usage cannot be null");
		this.audit = Objects.requireNonNull(audit, "audit cannot be null");
	}

	@Override
	public void resolved(Credential credential, String store, String principalId, String processDefinitionKey,
			long nanos) {
		this.metrics.resolution(KeyflowMetrics.RESOLVED, (store != null) ? store : NO_STORE, nanos);
		this.usage.used(credential.id(), credential.tenantId(), processDefinitionKey);
		if (this.audit.recordsUse()) {
			this.audit.record(AuditRecord.of("credential.use", AuditRecord.ENGINE)
				.tenantId(credential.tenantId())
				.credential(credential.id(), credential.key())
				.subject("process " + processDefinitionKey)
				.onBehalfOf(principalId));
		}
	}

	@Override
	public void missing(boolean required, long nanos) {
		this.metrics.resolution(required ? KeyflowMetrics.MISSING : KeyflowMetrics.MISSING_OPTIONAL, NO_STORE, nanos);
	}

	@Override
	public void failed(RuntimeException failure, long nanos) {
		String store = CompositeCredentialStore.lastAnswered();
		this.metrics.resolution((failure instanceof ReauthorizationRequiredException)
				? KeyflowMetrics.REAUTHORIZATION_REQUIRED : KeyflowMetrics.ERROR, (store != null) ? store : NO_STORE,
				nanos);
	}

}
