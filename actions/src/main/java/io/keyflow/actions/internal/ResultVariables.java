package io.keyflow.actions.internal;

import java.util.regex.Pattern;

import io.keyflow.actions.ActionInputException;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.variable.Variables;

/**
 * Writes an answer to process variables named after a prefix. Stored variables are plain types that any
 * Camunda engine can persist without Spin or Java serialisation:
 * <ul>
 * <li>{@code <prefix>Status}: Integer, the HTTP status</li>
 * <li>{@code <prefix>Body}: String, the body as text</li>
 * <li>{@code <prefix>Headers}: String, a JSON object of the response headers (lower-case names)</li>
 * </ul>
 * and one transient variable, never stored, for output mappings and expressions of the same task:
 * {@code <prefix>Json}, the parsed JSON body as maps and lists (e.g. {@code ${responseJson.id}}).
 */
public final class ResultVariables {

	/** The input variable that names the prefix. */
	public static final String INPUT = "resultVariable";

	private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

	private ResultVariables() {
	}

	/**
	 * @param inputs the task's inputs
	 * @param defaultPrefix the action's default prefix
	 * @return the {@value #INPUT} input, or the default
	 */
	public static String prefix(Inputs inputs, String defaultPrefix) {
		String prefix = inputs.string(INPUT);
		if (prefix == null) {
			return defaultPrefix;
		}
		if (!NAME.matcher(prefix).matches()) {
			throw new ActionInputException(INPUT, INPUT + " must be a variable name such as response");
		}
		return prefix;
	}

	/**
	 * @param execution the task's execution
	 * @param prefix the variable name prefix
	 * @param response the scrubbed answer
	 */
	public static void write(DelegateExecution execution, String prefix, HttpExchange.Response response) {
		execution.setVariable(prefix + "Status", response.status());
		execution.setVariable(prefix + "Body", response.body());
		execution.setVariable(prefix + "Headers", Json.write(response.headers()));
		if (response.json() != null) {
			// transient and local: usable by this task's output mappings, never written to the database
			execution.setVariableLocal(prefix + "Json", Variables.objectValue(response.json(), true).create());
		}
	}

}
