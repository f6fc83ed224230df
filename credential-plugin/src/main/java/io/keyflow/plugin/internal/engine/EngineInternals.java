package io.keyflow.plugin.internal.engine;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.Expression;
import org.camunda.bpm.engine.impl.cfg.TransactionContext;
import org.camunda.bpm.engine.impl.cfg.TransactionState;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.history.HistoryLevel;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.persistence.entity.JobEntity;
import org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity;
import org.camunda.bpm.engine.impl.persistence.entity.HistoricProcessInstanceEntity;
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
	 * @param execution a running execution
	 * @return the key of its process definition
	 */
	static String processDefinitionKey(DelegateExecution execution) {
		if (execution instanceof ExecutionEntity entity && entity.getProcessDefinition() != null) {
			return entity.getProcessDefinition().getKey();
		}
		String id = execution.getProcessDefinitionId();
		return (id != null && id.contains(":")) ? id.substring(0, id.indexOf(':')) : id;
	}

	/**
	 * @param execution an execution running or waiting in an activity
	 * @return the activity's name, or {@code null} when it has none (a waiting execution's current activity name is
	 * not set: read it from the model)
	 */
	static String activityName(DelegateExecution execution) {
		String name = execution.getCurrentActivityName();
		if (name == null && execution instanceof ExecutionEntity entity && entity.getActivity() != null) {
			name = entity.getActivity().getName();
		}
		return name;
	}

	/**
	 * @return the user the current command runs for, or {@code null} when none is authenticated
	 */
	static String authenticatedUserId() {
		CommandContext commandContext = Context.getCommandContext();
		return (commandContext != null) ? commandContext.getAuthenticatedUserId() : null;
	}

	/**
	 * @param execution the process instance a process-level start listener runs for
	 * @return whether the instance was created by an earlier command, i.e. its start listeners run in its start
	 * event's job ({@code camunda:asyncBefore} on the start event), not in the command of whoever started it
	 */
	static boolean createdByAnEarlierCommand(DelegateExecution execution) {
		if (execution instanceof ExecutionEntity entity) {
			// an instance created in this command is not in the database yet
			return !Context.getCommandContext().getDbEntityManager().getDbEntityCache().isTransient(entity);
		}
		return false;
	}

	/**
	 * @param processInstanceId a process instance
	 * @return the user the engine saw authenticated in the command that created the instance (its history's
	 * start user), or {@code null} when there was none or the engine keeps no such history
	 */
	static String startUserId(String processInstanceId) {
		HistoricProcessInstanceEntity instance = Context.getCommandContext()
			.getHistoricProcessInstanceManager()
			.findHistoricProcessInstance(processInstanceId);
		return (instance != null) ? instance.getStartUserId() : null;
	}

	/**
	 * @param execution the execution a process-level listener runs for
	 * @return whether it is a process instance that no other process called (a call activity's process is not)
	 */
	static boolean isRootProcessInstance(DelegateExecution execution) {
		if (execution instanceof ExecutionEntity entity) {
			return entity.isProcessInstanceExecution() && entity.getSuperExecutionId() == null;
		}
		return execution.getId().equals(execution.getProcessInstanceId());
	}

	/**
	 * @param execution any execution
	 * @return the root process instance's id: the instance itself, or the top of its call-activity chain
	 */
	static String rootProcessInstanceId(DelegateExecution execution) {
		if (execution instanceof ExecutionEntity entity) {
			String root = entity.getRootProcessInstanceId();
			return (root != null) ? root : rootProcessInstance(entity).getId();
		}
		return execution.getProcessInstanceId();
	}

	/**
	 * @param execution any execution
	 * @return the root process instance (loaded along the call-activity chain)
	 */
	static DelegateExecution rootProcessInstance(DelegateExecution execution) {
		if (!(execution instanceof ExecutionEntity entity)) {
			return execution.getProcessInstance();
		}
		ExecutionEntity instance = entity.getProcessInstance();
		while (instance.getSuperExecution() != null) {
			instance = instance.getSuperExecution().getProcessInstance();
		}
		return instance;
	}

	/**
	 * Runs work when the current command commits, after the engine flushed its own writes and before its
	 * transaction commits (within it, where the engine is Spring-managed on Keyflow's data source; a failure there
	 * fails the command), or other work when it rolls back.
	 * @param committing runs as the command commits
	 * @param rolledBack runs after the command rolled back
	 */
	static void atCommit(Runnable committing, Runnable rolledBack) {
		TransactionContext transaction = Context.getCommandContext().getTransactionContext();
		transaction.addTransactionListener(TransactionState.COMMITTING, (commandContext) -> committing.run());
		transaction.addTransactionListener(TransactionState.ROLLED_BACK, (commandContext) -> rolledBack.run());
	}

	/**
	 * @return whether the engine keeps no history (history level {@code none})
	 */
	static boolean historyOff() {
		return Context.getProcessEngineConfiguration().getHistoryLevel() == HistoryLevel.HISTORY_LEVEL_NONE;
	}

	/**
	 * @param execution the execution running an activity
	 * @return the id of the job this command executes for that execution's process instance (an asynchronous
	 * continuation run by the job executor or {@code ManagementService.executeJob}), or {@code null} when the
	 * activity runs in the command of whoever called the engine
	 */
	static String currentJobId(DelegateExecution execution) {
		CommandContext commandContext = Context.getCommandContext();
		JobEntity job = (commandContext != null) ? commandContext.getCurrentJob() : null;
		if (job == null || !execution.getProcessInstanceId().equals(job.getProcessInstanceId())) {
			return null;
		}
		return job.getId();
	}

	static Class<?> loadClass(String className) {
		return ReflectUtil.loadClass(className);
	}

	static Expression expression(String text) {
		return Context.getProcessEngineConfiguration().getExpressionManager().createExpression(text);
	}

}
