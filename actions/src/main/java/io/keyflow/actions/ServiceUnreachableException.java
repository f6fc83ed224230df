package io.keyflow.actions;

/**
 * No answer: the connection failed, or the service did not answer within the timeout. Usually temporary;
 * with {@code camunda:asyncBefore="true"} the engine retries the job.
 * <p>
 * The I/O exception is not kept as the cause: Camunda stores the whole stack trace of a failed job, and a
 * low-level message might quote the request URL with an API key in its query. The message names the
 * failure's type and its scrubbed message instead.
 */
public class ServiceUnreachableException extends ActionException {

	private static final long serialVersionUID = 1L;

	/**
	 * @param message a secret-free message naming the request and the failure
	 */
	public ServiceUnreachableException(String message) {
		super(message);
	}

}
