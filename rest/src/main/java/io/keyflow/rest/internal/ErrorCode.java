package io.keyflow.rest.internal;

import org.springframework.http.HttpStatus;

/**
 * The stable {@code code} of every REST error (the problem's {@code code} member), with its usual status and title.
 */
enum ErrorCode {

	BAD_REQUEST(HttpStatus.BAD_REQUEST, "Bad request"),

	UNAUTHORIZED(HttpStatus.UNAUTHORIZED, "Not authenticated"),

	FORBIDDEN(HttpStatus.FORBIDDEN, "Not allowed for this API key"),

	PRINCIPAL_NOT_ALLOWED(HttpStatus.FORBIDDEN, "Naming a principal needs an admin key"),

	CSRF_REJECTED(HttpStatus.FORBIDDEN, "Cross-site request refused"),

	SELF_SERVICE_ONLY(HttpStatus.FORBIDDEN, "Camunda users may use the self-service endpoints only"),

	NOT_FOUND(HttpStatus.NOT_FOUND, "Not found"),

	CONFLICT(HttpStatus.CONFLICT, "Conflict"),

	REQUEST_NOT_OPEN(HttpStatus.CONFLICT, "Credential request is no longer open"),

	READ_ONLY_STORE(HttpStatus.CONFLICT, "Credential store is read-only"),

	PRECONDITION_FAILED(HttpStatus.PRECONDITION_FAILED, "Credential changed since it was read"),

	REDIRECT_URI_MISSING(HttpStatus.SERVICE_UNAVAILABLE, "OAuth2 redirect URI not configured"),

	PROVIDER_UNKNOWN(HttpStatus.BAD_REQUEST, "Unknown OAuth2 provider"),

	OAUTH_STATE_INVALID(HttpStatus.BAD_REQUEST, "OAuth2 state invalid"),

	CREDENTIAL_SEALED(HttpStatus.FORBIDDEN, "Credential is sealed"),

	TASK_NOT_LOCKED(HttpStatus.CONFLICT, "External task is not locked"),

	LOCK_NOT_OWNED(HttpStatus.FORBIDDEN, "External task is locked by another worker"),

	CREDENTIAL_MISSING(HttpStatus.UNPROCESSABLE_ENTITY, "No usable credential for the task"),

	REFRESH_FAILED(HttpStatus.BAD_GATEWAY, "OAuth2 token request failed"),

	INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error");

	private final HttpStatus status;

	private final String title;

	ErrorCode(HttpStatus status, String title) {
		this.status = status;
		this.title = title;
	}

	HttpStatus status() {
		return this.status;
	}

	String title() {
		return this.title;
	}

}
