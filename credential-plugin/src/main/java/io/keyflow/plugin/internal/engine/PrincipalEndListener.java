package io.keyflow.plugin.internal.engine;

import java.util.Objects;

import io.keyflow.plugin.internal.principal.Principals;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;

/**
 * Forgets a root process instance's principal when it ends and the engine keeps no history: nothing is left to
 * attribute it to. With history, the record stays as long as the instance's history does (removed by
 * {@code ProcessPrincipalService#removeOrphans}).
 */
final class PrincipalEndListener implements ExecutionListener {

	private final Principals principals;

	PrincipalEndListener(Principals principals) {
		this.principals = Objects.requireNonNull(principals, "principals cannot be null");
	}

	@Override
	public void notify(DelegateExecution execution) {
		if (EngineInternals.isRootProcessInstance(execution) && EngineInternals.historyOff()) {
			this.principals.forget(execution.getProcessInstanceId());
		}
	}

}
