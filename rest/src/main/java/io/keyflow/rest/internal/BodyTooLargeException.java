package io.keyflow.rest.internal;

import java.io.IOException;

/**
 * A request body grew past {@code keyflow.rest.max-body-size} while it was read.
 */
final class BodyTooLargeException extends IOException {

	private static final long serialVersionUID = 1L;

	BodyTooLargeException(long limit) {
		super("the request body is larger than " + limit + " bytes (keyflow.rest.max-body-size)");
	}

}
