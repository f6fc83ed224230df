package io.keyflow.api;

/**
 * Input that cannot be stored: a missing field, a malformed key, an unknown type, a value that is too
 * large. Nothing was written.
 */
public class InvalidCredentialException extends CredentialException {

	private static final long serialVersionUID = 1L;

	private final String field;

	/**
	 * @param field the name of the offending field, e.g. {@code key}
	 * @param message what is wrong and how to fix it; never the offending secret value
	 */
	public InvalidCredentialException(String field, String message) {
		super(message);
		this.field = field;
	}

	/**
	 * @return the name of the offending field
	 */
	public String getField() {
		return this.field;
	}

}
