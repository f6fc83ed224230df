package io.keyflow.plugin.internal.engine;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.keyflow.api.CredentialRequirement;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.Expression;

/**
 * What one BPMN task declares, fixed at deployment. Where the action is only known at run time (a
 * {@code camunda:delegateExpression}, or a class that the deployment's class loader could not see at parse
 * time), the annotation is read on first execution and cached per class.
 */
final class TaskCredentialBinding {

	private final String activityId;

	private final RequirementProperties properties;

	/** The requirement fixed at parse time, when it does not depend on run-time information. */
	private final CredentialRequirement staticRequirement;

	private final String deferredClassName;

	private final Expression delegateExpression;

	private final Map<String, Expression> keyExpressions = new ConcurrentHashMap<>();

	private TaskCredentialBinding(String activityId, RequirementProperties properties,
			CredentialRequirement staticRequirement, String deferredClassName, Expression delegateExpression) {
		this.activityId = activityId;
		this.properties = properties;
		this.staticRequirement = staticRequirement;
		this.deferredClassName = deferredClassName;
		this.delegateExpression = delegateExpression;
	}

	static TaskCredentialBinding fixed(String activityId, CredentialRequirement requirement,
			RequirementProperties properties) {
		return new TaskCredentialBinding(activityId, properties, requirement, null, null);
	}

	static TaskCredentialBinding deferredClass(String activityId, RequirementProperties properties, String className) {
		return new TaskCredentialBinding(activityId, properties, null, className, null);
	}

	static TaskCredentialBinding deferredDelegate(String activityId, RequirementProperties properties,
			Expression delegateExpression) {
		return new TaskCredentialBinding(activityId, properties, null, null, delegateExpression);
	}

	String activityId() {
		return this.activityId;
	}

	/** @return the requirement fixed at parse time, or {@code null} when it is read at run time */
	CredentialRequirement staticRequirement() {
		return this.staticRequirement;
	}

	/** @return {@code credential.description}, or {@code null} */
	String description() {
		return (this.properties != null) ? this.properties.description() : null;
	}

	/** @return {@code credential.obtain}, or {@code null} */
	String obtain() {
		return (this.properties != null) ? this.properties.obtain() : null;
	}

	/**
	 * @param execution the execution about to run the task
	 * @return the effective requirement, or {@code null} when the task needs no credential
	 */
	CredentialRequirement requirement(DelegateExecution execution) {
		if (this.staticRequirement != null) {
			return this.staticRequirement;
		}
		CredentialRequirement annotated = null;
		if (this.deferredClassName != null) {
			annotated = ActionAnnotations.of(EngineInternals.loadClass(this.deferredClassName));
		}
		else if (this.delegateExpression != null) {
			// a second evaluation of the delegate expression; for bean references this is a bean lookup
			annotated = ActionAnnotations.ofInstance(this.delegateExpression.getValue(execution));
		}
		if (this.properties == null) {
			return annotated;
		}
		return this.properties.applyTo(annotated);
	}

	/**
	 * @param requirement the effective requirement
	 * @param execution the execution about to run the task
	 * @return the explicit key, with an expression such as {@code ${tenantKey}} evaluated, or {@code null}
	 */
	String explicitKey(CredentialRequirement requirement, DelegateExecution execution) {
		String key = requirement.key();
		if (key == null || !(key.contains("${") || key.contains("#{"))) {
			return key;
		}
		// created with this engine's expression manager, so bean references resolve in the right context
		Expression expression = this.keyExpressions.computeIfAbsent(key, EngineInternals::expression);
		Object value = expression.getValue(execution);
		return (value != null && !value.toString().isBlank()) ? value.toString().trim() : null;
	}

}
