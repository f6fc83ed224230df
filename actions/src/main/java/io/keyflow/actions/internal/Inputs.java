package io.keyflow.actions.internal;

import java.io.IOException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import io.keyflow.actions.ActionInputException;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.VariableScope;
import org.camunda.bpm.model.bpmn.instance.ExtensionElements;
import org.camunda.bpm.model.bpmn.instance.FlowElement;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaInputOutput;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaInputParameter;

/**
 * Reads an action's inputs: only what the task's model maps with a {@code camunda:inputParameter}, read from the
 * task's local variables. Both conditions matter: a task without input mappings runs in its parent's execution,
 * whose local variables are the process variables a starter sets, so a starter could otherwise hand
 * {@code url} or {@code body} to a task whose model did not map them. Blank strings count as absent.
 */
public final class Inputs {

	private final VariableScope execution;

	private final Set<String> mapped;

	private Inputs(VariableScope execution, Set<String> mapped) {
		this.execution = execution;
		this.mapped = mapped;
	}

	/**
	 * @param execution the task's execution
	 * @return its inputs: the names its model maps, read from its local variables
	 */
	public static Inputs of(DelegateExecution execution) {
		return new Inputs(execution, mappedInputs(execution.getBpmnModelElementInstance()));
	}

	private static Set<String> mappedInputs(FlowElement element) {
		Set<String> names = new HashSet<>();
		ExtensionElements extensions = (element != null) ? element.getExtensionElements() : null;
		if (extensions != null) {
			for (CamundaInputOutput inputOutput : extensions.getElementsQuery().filterByType(CamundaInputOutput.class).list()) {
				for (CamundaInputParameter parameter : inputOutput.getCamundaInputParameters()) {
					names.add(parameter.getCamundaName());
				}
			}
		}
		return Set.copyOf(names);
	}

	/**
	 * @param name the input's name
	 * @return the raw value, {@code null} when the task does not map it, or it is absent or a blank string
	 */
	public Object raw(String name) {
		if (!this.mapped.contains(name)) {
			return null;
		}
		Object value = this.execution.getVariableLocal(name);
		return (value instanceof String text && text.isBlank()) ? null : value;
	}

	/**
	 * @param name the input's name
	 * @return the value as trimmed text (numbers and booleans are converted), or {@code null}
	 */
	public String string(String name) {
		Object value = raw(name);
		if (value == null) {
			return null;
		}
		if (value instanceof String || value instanceof Number || value instanceof Boolean) {
			return value.toString().trim();
		}
		throw new ActionInputException(name, "input '" + name + "' must be text, not " + value.getClass().getSimpleName());
	}

	/**
	 * @param name the input's name
	 * @return the value as text, verbatim (not trimmed), or {@code null}
	 */
	public String text(String name) {
		Object value = raw(name);
		if (value == null) {
			return null;
		}
		if (value instanceof String || value instanceof Number || value instanceof Boolean) {
			return value.toString();
		}
		throw new ActionInputException(name, "input '" + name + "' must be text, not " + value.getClass().getSimpleName());
	}

	/**
	 * @param name the input's name
	 * @return the value as trimmed text
	 * @throws ActionInputException when absent
	 */
	public String requiredString(String name) {
		String value = string(name);
		if (value == null) {
			throw new ActionInputException(name, "input '" + name + "' is required; map it with a camunda:inputParameter");
		}
		return value;
	}

	/**
	 * @param name the input's name
	 * @param defaultValue the value when absent
	 * @return {@code true}/{@code false} (Boolean or the text {@code true}/{@code false})
	 */
	public boolean bool(String name, boolean defaultValue) {
		String value = string(name);
		if (value == null) {
			return defaultValue;
		}
		return switch (value.toLowerCase(java.util.Locale.ROOT)) {
			case "true" -> true;
			case "false" -> false;
			default -> throw new ActionInputException(name, "input '" + name + "' must be true or false");
		};
	}

	/**
	 * @param name the input's name
	 * @return the value as an integer, or {@code null}
	 */
	public Integer integer(String name) {
		String value = string(name);
		if (value == null) {
			return null;
		}
		try {
			return Integer.valueOf(value);
		}
		catch (NumberFormatException ex) {
			throw new ActionInputException(name, "input '" + name + "' must be a whole number");
		}
	}

	/**
	 * @param name the input's name
	 * @return an ISO-8601 duration such as {@code PT10S}, or milliseconds as a number; {@code null} when absent
	 */
	public Duration duration(String name) {
		String value = string(name);
		if (value == null) {
			return null;
		}
		Duration duration;
		try {
			duration = value.chars().allMatch(Character::isDigit) ? Duration.ofMillis(Long.parseLong(value))
					: Duration.parse(value);
		}
		catch (DateTimeParseException | NumberFormatException ex) {
			throw new ActionInputException(name,
					"input '" + name + "' must be an ISO-8601 duration such as PT30S or a number of milliseconds");
		}
		if (duration.isZero() || duration.isNegative()) {
			throw new ActionInputException(name, "input '" + name + "' must be positive");
		}
		return duration;
	}

	/**
	 * @param name the input's name
	 * @return a map of text values: a {@link Map} variable or a JSON object as text; empty when absent
	 */
	public Map<String, String> stringMap(String name) {
		Object value = raw(name);
		if (value == null) {
			return Map.of();
		}
		Map<?, ?> map;
		if (value instanceof Map<?, ?> given) {
			map = given;
		}
		else if (value instanceof String text) {
			try {
				map = Json.readObject(text);
			}
			catch (IOException ex) {
				throw new ActionInputException(name, "input '" + name + "' must be a map or a JSON object");
			}
		}
		else {
			throw new ActionInputException(name, "input '" + name + "' must be a map or a JSON object");
		}
		Map<String, String> result = new LinkedHashMap<>();
		map.forEach((key, entry) -> {
			if (entry != null) {
				result.put(String.valueOf(key), String.valueOf(entry));
			}
		});
		return result;
	}

	/**
	 * @param name the input's name
	 * @return a list: a {@link Collection} variable, a JSON array as text, or else comma-separated text; empty
	 * when absent
	 */
	public List<Object> list(String name) {
		Object value = raw(name);
		if (value == null) {
			return List.of();
		}
		if (value instanceof Collection<?> collection) {
			return new ArrayList<>(collection);
		}
		if (value instanceof Object[] array) {
			return Arrays.asList(array);
		}
		String text = string(name);
		if (text.startsWith("[")) {
			try {
				return Json.readArray(text);
			}
			catch (IOException ex) {
				throw new ActionInputException(name, "input '" + name + "' is not a valid JSON array");
			}
		}
		return new ArrayList<>(Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
	}

	/**
	 * @param name the input's name
	 * @return the list's items as text
	 */
	public List<String> stringList(String name) {
		return list(name).stream().map(String::valueOf).toList();
	}

}
