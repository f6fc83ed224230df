package io.keyflow.actions;

/**
 * The service answered, and the answer is an error: an HTTP status of 400 or more, or an error inside a
 * successful answer (Slack's {@code {"ok": false, "error": "..."}}). The message names the service, the
 * request (method and URL without query), the status and a short, scrubbed excerpt of the body.
 */
public class ActionFailedException extends ActionException {

	private static final long serialVersionUID = 1L;

	private final String service;

	private final int status;

	private final String errorCode;

	/**
	 * @param service the service's display name, e.g. {@code GitHub}
	 * @param status the HTTP status
	 * @param errorCode the service's own error code, e.g. Slack's {@code channel_not_found}; may be {@code null}
	 * @param message a secret-free message
	 */
	public ActionFailedException(String service, int status, String errorCode, String message) {
		super(message);
		this.service = service;
		this.status = status;
		this.errorCode = errorCode;
	}

	/**
	 * @return the service's display name, e.g. {@code GitHub}
	 */
	public String getService() {
		return this.service;
	}

	/**
	 * @return the HTTP status of the answer
	 */
	public int getStatus() {
		return this.status;
	}

	/**
	 * @return the service's own error code, or {@code null}
	 */
	public String getErrorCode() {
		return this.errorCode;
	}

}
