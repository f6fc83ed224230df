package io.keyflow.actions;

/**
 * A task input is missing or malformed, or the task's credential cannot be used the way the task asks
 * (for example {@code credentialPlacement=basic} with an API key). Nothing was sent.
 */
public class ActionInputException extends ActionException {

	private static final long serialVersionUID = 1L;

	private final String input;

	/**
	 * @param input the name of the offending input variable, e.g. {@code url}
	 * @param message what is wrong and how to fix it; never a secret value
	 */
	public ActionInputException(String input, String message) {
		super(message);
		this.input = input;
	}

	/**
	 * @return the name of the offending input variable
	 */
	public String getInput() {
		return this.input;
	}

}
