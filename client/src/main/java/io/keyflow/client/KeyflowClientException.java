package io.keyflow.client;

import io.keyflow.api.CredentialException;

/**
 * An error answer of the Keyflow server (an RFC 9457 problem) or a failure to reach it. Answers with a code that
 * names a Keyflow exception are thrown as that exception ({@link io.keyflow.api.CredentialNotFoundException},
 * {@link io.keyflow.api.InvalidCredentialException}, ...) whose cause is this one, so the status and code stay
 * readable. Messages come from the server's {@code detail}, which never carries a secret.
 */
public class KeyflowClientException extends CredentialException {

	private static final long serialVersionUID = 1L;

	/** {@link #getStatus()} when the server could not be reached or did not answer over HTTP. */
	public static final int NO_ANSWER = 0;

	private final int status;

	private final String code;

	private final String field;

	/**
	 * @param status the HTTP status, or {@link #NO_ANSWER}
	 * @param code the problem's stable {@code code} (e.g. {@code UNAUTHORIZED}), or {@code null}
	 * @param field the offending request field, or {@code null}
	 * @param detail what went wrong and how to fix it
	 * @param cause the I/O failure, or {@code null}
	 */
	public KeyflowClientException(int status, String code, String field, String detail, Throwable cause) {
		super(detail, cause);
		this.status = status;
		this.code = code;
		this.field = field;
	}

	/** @return the HTTP status, or {@link #NO_ANSWER} when the server did not answer */
	public int getStatus() {
		return this.status;
	}

	/** @return the problem's stable code, or {@code null} when the answer was not a Keyflow problem */
	public String getCode() {
		return this.code;
	}

	/** @return the request field the server named, or {@code null} */
	public String getField() {
		return this.field;
	}

	/**
	 * @param ex an exception thrown by a client call
	 * @return the client exception it is or that it carries as its cause, or {@code null}
	 */
	public static KeyflowClientException of(Throwable ex) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (t instanceof KeyflowClientException client) {
				return client;
			}
		}
		return null;
	}

}
