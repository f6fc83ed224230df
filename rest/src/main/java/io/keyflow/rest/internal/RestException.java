package io.keyflow.rest.internal;

import org.springframework.http.HttpStatus;

import io.keyflow.api.CredentialException;

/**
 * An error the REST layer itself raises (authentication, roles, request shape), with the status and code it
 * answers with. Messages are secret-free and never quote the request.
 */
final class RestException extends CredentialException {

	private static final long serialVersionUID = 1L;

	private final HttpStatus status;

	private final ErrorCode code;

	private final String field;

	RestException(HttpStatus status, ErrorCode code, String field, String message) {
		super(message);
		this.status = status;
		this.code = code;
		this.field = field;
	}

	static RestException badRequest(String field, String message) {
		return new RestException(HttpStatus.BAD_REQUEST, ErrorCode.BAD_REQUEST, field, message);
	}

	static RestException unauthorized(String message) {
		return new RestException(HttpStatus.UNAUTHORIZED, ErrorCode.UNAUTHORIZED, null, message);
	}

	static RestException forbidden(String message) {
		return new RestException(HttpStatus.FORBIDDEN, ErrorCode.FORBIDDEN, null, message);
	}

	static RestException notFound(String message) {
		return new RestException(HttpStatus.NOT_FOUND, ErrorCode.NOT_FOUND, null, message);
	}

	HttpStatus status() {
		return this.status;
	}

	ErrorCode code() {
		return this.code;
	}

	String field() {
		return this.field;
	}

}
