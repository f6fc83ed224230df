package io.keyflow.plugin.internal.engine;

import java.util.Objects;

import io.keyflow.plugin.internal.principal.Principals;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;

/**
 * Tells the principals that a root process instance ended: one that ends in the command that started it never gets a
 * row; a row is deleted when the engine keeps no history (nothing is left to attribute the instance to). With
 * history, the record stays as long as the instance's history does (removed by
 * {@code ProcessPrincipalService#removeOrphans}).
 */
final class PrincipalEndListener implements ExecutionListener {

	private final Principals principals;

	PrincipalEndListener(Principals principals) {
		this.principals = Objects.requireNonNull(principals, "principals cannot be null");
	}

	@Override
	public void notify(DelegateExecution execution) {
		if (EngineInternals.isRootProcessInstance(execution)) {
			this.principals.ended(execution.getProcessInstanceId(), EngineInternals.historyOff());
		}
	}

}
