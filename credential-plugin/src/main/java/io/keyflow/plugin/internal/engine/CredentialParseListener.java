package io.keyflow.plugin.internal.engine;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.keyflow.api.CredentialException;
import io.keyflow.api.CredentialRequirement;
import io.keyflow.api.CredentialType;
import io.keyflow.api.ProviderUnknownException;
import io.keyflow.plugin.internal.KeyflowLog;
import io.keyflow.plugin.internal.principal.Principals;
import io.keyflow.plugin.internal.resolve.CredentialResolver;

import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParse;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParseUtil;
import org.camunda.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.pvm.process.ScopeImpl;
import org.camunda.bpm.engine.impl.util.xml.Element;

/**
 * Reads each task's credential requirement at deployment and adds Keyflow's built-in start and end
 * listeners to the tasks that have one. Built-in listeners, unlike a {@code DelegateInterceptor}, run for
 * {@code camunda:class}, {@code camunda:delegateExpression} and {@code camunda:expression} tasks alike. An external
 * task's requirement is validated the same way but gets no listener: it is bound to the activity for the worker's
 * exchange ({@link ExternalTaskExchange}).
 */
public final class CredentialParseListener extends AbstractBpmnParseListener {

	private static final Pattern BEAN_REFERENCE = Pattern.compile("^\\s*[$#]\\{\\s*([A-Za-z_$][\\w$]*)\\s*}\\s*$");

	private final TaskResolution tasks;

	private final Predicate<String> oauth2ProviderExists;

	private final Function<String, Class<?>> beanTypes;

	private final PrincipalStartListener principalStart;

	private final PrincipalEndListener principalEnd;

	private final Set<String> perUserTasks = ConcurrentHashMap.newKeySet();

	private final CredentialRequestRecorder requests;

	/**
	 * @param resolver resolves requirements at run time
	 * @param principalVariable the process variable holding the principal
	 * @param oauth2ProviderExists whether an OAuth2 provider id is registered, for validation at deployment
	 * @param beanTypes the type of a bean by name, or {@code null} when unknown; lets a
	 * {@code delegateExpression="${bean}"} task be bound at deployment
	 * @param principals where each root process instance's principal is recorded at start and read by its tasks
	 * @param principalVariableWithoutAuthentication whether a process started without an authenticated user
	 * takes its principal from the principal variable given at start (else it has none)
	 * @param requests records a credential request when a required credential cannot be had
	 */
	public CredentialParseListener(CredentialResolver resolver, String principalVariable,
			Predicate<String> oauth2ProviderExists, Function<String, Class<?>> beanTypes, Principals principals,
			boolean principalVariableWithoutAuthentication, CredentialRequestRecorder requests) {
		this.requests = Objects.requireNonNull(requests, "requests cannot be null");
		this.tasks = new TaskResolution(Objects.requireNonNull(resolver, "resolver cannot be null"),
				Objects.requireNonNull(principals, "principals cannot be null"),
				Objects.requireNonNull(principalVariable, "principalVariable cannot be null"));
		this.oauth2ProviderExists = Objects.requireNonNull(oauth2ProviderExists, "oauth2ProviderExists cannot be null");
		this.beanTypes = Objects.requireNonNull(beanTypes, "beanTypes cannot be null");
		this.principalStart = new PrincipalStartListener(principals, principalVariable,
				principalVariableWithoutAuthentication);
		this.principalEnd = new PrincipalEndListener(principals);
	}

	@Override
	public void parseProcess(Element element, ProcessDefinitionEntity processDefinition) {
		// built-in listeners run before the model's own, and for every way an instance starts
		processDefinition.addBuiltInListener(ExecutionListener.EVENTNAME_START, this.principalStart);
		processDefinition.addBuiltInListener(ExecutionListener.EVENTNAME_END, this.principalEnd);
	}

	@Override
	public void parseServiceTask(Element element, ScopeImpl scope, ActivityImpl activity) {
		bind(element, activity);
	}

	@Override
	public void parseSendTask(Element element, ScopeImpl scope, ActivityImpl activity) {
		bind(element, activity);
	}

	@Override
	public void parseBusinessRuleTask(Element element, ScopeImpl scope, ActivityImpl activity) {
		bind(element, activity);
	}

	@Override
	public void parseScriptTask(Element element, ScopeImpl scope, ActivityImpl activity) {
		bind(element, activity);
	}

	private void bind(Element element, ActivityImpl activity) {
		String activityId = activity.getId();
		TaskCredentialBinding binding;
		try {
			binding = binding(element, activityId);
		}
		catch (CredentialException ex) {
			throw new CredentialException("Task '" + activityId + "': " + ex.getMessage(), ex);
		}
		if (binding == null) {
			return;
		}
		if (binding.staticRequirement() != null && binding.staticRequirement().key() == null) {
			String process = (activity.getProcessDefinition() instanceof ProcessDefinitionEntity entity) ? entity.getKey()
					: activity.getProcessDefinition().getId();
			this.perUserTasks.add(process + "/" + activityId);
		}
		if (isExternal(element)) {
			// nothing in the engine consumes a credential: the worker exchanges the task for it while it holds the lock
			ExternalTaskExchange.bind(activity, binding);
			return;
		}
		activity.addBuiltInListener(ExecutionListener.EVENTNAME_START, new CredentialStartListener(binding, this.tasks, this.requests));
		activity.addBuiltInListener(ExecutionListener.EVENTNAME_END, CredentialEndListener.INSTANCE);
	}

	/**
	 * @return the tasks parsed so far whose credential is resolved by the process's principal (no explicit key),
	 * as {@code processDefinitionKey/activityId}
	 */
	public Set<String> perUserTasks() {
		return Set.copyOf(this.perUserTasks);
	}

	private TaskCredentialBinding binding(Element element, String activityId) {
		Map<String, String> extensionProperties = BpmnParseUtil.parseCamundaExtensionProperties(element);
		RequirementProperties properties = RequirementProperties
			.read((extensionProperties != null) ? extensionProperties : Map.of());
		if (isExternal(element)) {
			// an external task has no action class: its requirement is its properties, validated like any task's
			return (properties != null) ? fixed(activityId, null, properties) : null;
		}
		String className = camunda(element, "class");
		String delegateExpression = camunda(element, "delegateExpression");
		if (className != null) {
			Class<?> type;
			try {
				type = EngineInternals.loadClass(className);
			}
			catch (ProcessEngineException ex) {
				// the class may live in a process application's class loader that is only active at run time
				return TaskCredentialBinding.deferredClass(activityId, properties, className);
			}
			return fixed(activityId, ActionAnnotations.of(type), properties);
		}
		if (delegateExpression != null) {
			Class<?> type = beanType(delegateExpression);
			if (type != null) {
				return fixed(activityId, ActionAnnotations.of(type), properties);
			}
			return TaskCredentialBinding.deferredDelegate(activityId, properties,
					EngineInternals.expression(delegateExpression));
		}
		return (properties != null) ? fixed(activityId, null, properties) : null;
	}

	private TaskCredentialBinding fixed(String activityId, CredentialRequirement annotated,
			RequirementProperties properties) {
		CredentialRequirement requirement = (properties != null) ? properties.applyTo(annotated) : annotated;
		if (requirement == null) {
			return null;
		}
		if (requirement.provider() != null && requirement.acceptedTypes().equals(Set.of(CredentialType.OAUTH2))
				&& !this.oauth2ProviderExists.test(requirement.provider())) {
			throw new ProviderUnknownException(requirement.provider());
		}
		KeyflowLog.taskBound(activityId, String.valueOf(requirement));
		return TaskCredentialBinding.fixed(activityId, requirement, properties);
	}

	private Class<?> beanType(String delegateExpression) {
		Matcher matcher = BEAN_REFERENCE.matcher(delegateExpression);
		return matcher.matches() ? this.beanTypes.apply(matcher.group(1)) : null;
	}

	private static boolean isExternal(Element element) {
		return "external".equals(camunda(element, "type"));
	}

	private static String camunda(Element element, String attribute) {
		String value = element.attributeNS(BpmnParse.CAMUNDA_BPMN_EXTENSIONS_NS, attribute);
		return (value == null || value.isBlank()) ? null : value;
	}

}
