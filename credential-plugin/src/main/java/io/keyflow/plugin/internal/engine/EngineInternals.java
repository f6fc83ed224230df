package io.keyflow.plugin.internal.engine;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.Expression;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity;
import org.camunda.bpm.engine.impl.util.ReflectUtil;

/**
 * Every use of Camunda's {@code impl} packages outside the parse listener, in one place, so an engine
 * upgrade has one class to check.
 */
final class EngineInternals {

	private EngineInternals() {
	}

	/**
	 * @param execution a running execution
	 * @return the tenant of the process definition (not of the instance: a shared definition's instance may
	 * carry any tenant its starter chose)
	 */
	static String definitionTenantId(DelegateExecution execution) {
		if (execution instanceof ExecutionEntity entity && entity.getProcessDefinition() != null) {
			return entity.getProcessDefinition().getTenantId();
		}
		return execution.getTenantId();
	}

	/**
	 * @return the user the current command runs for, or {@code null} when none is authenticated
	 */
	static String authenticatedUserId() {
		CommandContext commandContext = Context.getCommandContext();
		return (commandContext != null) ? commandContext.getAuthenticatedUserId() : null;
	}

	static Class<?> loadClass(String className) {
		return ReflectUtil.loadClass(className);
	}

	static Expression expression(String text) {
		return Context.getProcessEngineConfiguration().getExpressionManager().createExpression(text);
	}

}
