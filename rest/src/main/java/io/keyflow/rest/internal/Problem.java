package io.keyflow.rest.internal;

import java.net.URI;
import java.util.Locale;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import io.keyflow.api.CredentialChangedException;
import io.keyflow.api.CredentialConflictException;
import io.keyflow.api.CredentialMissingException;
import io.keyflow.api.CredentialNotFoundException;
import io.keyflow.api.ExternalTaskLockNotOwnedException;
import io.keyflow.api.ExternalTaskNotFoundException;
import io.keyflow.api.ExternalTaskNotLockedException;
import io.keyflow.api.SealedCredentialException;
import io.keyflow.api.InvalidCredentialException;
import io.keyflow.api.KeyflowConfigurationException;
import io.keyflow.api.OAuthStateException;
import io.keyflow.api.ProviderUnknownException;
import io.keyflow.api.ReadOnlyStoreException;
import io.keyflow.api.ReauthorizationRequiredException;
import io.keyflow.api.TokenEndpointException;

/**
 * One REST error: status, stable code, the offending field if any, and a message for the caller. Built from
 * Keyflow's exceptions (whose messages are secret-free by contract) and from Spring MVC's; the messages of
 * parser and framework exceptions are never passed on, since they may quote the request.
 *
 * @param status the HTTP status
 * @param code the stable code
 * @param field the offending field, or {@code null}
 * @param detail what went wrong and how to fix it
 */
record Problem(HttpStatusCode status, ErrorCode code, String field, String detail) {

	static final String TYPE_PREFIX = "urn:keyflow:problem:";

	static final String REDIRECT_URI_PROPERTY = "keyflow.oauth2.redirect-uri";

	static Problem of(ErrorCode code, String detail) {
		return new Problem(code.status(), code, null, detail);
	}

	/**
	 * @param status a status another component answered with (e.g. {@code sendError(405)})
	 * @return the problem for it
	 */
	static Problem forStatus(int status) {
		return switch (status) {
			case 400 -> of(ErrorCode.BAD_REQUEST, "the request is malformed");
			case 401 -> of(ErrorCode.UNAUTHORIZED, "send an API key: Authorization: Bearer <key>");
			case 403 -> of(ErrorCode.FORBIDDEN, "this API key may not do that");
			case 404 -> of(ErrorCode.NOT_FOUND, "no such endpoint or resource under /api/credentials; see "
					+ "/api/credentials/openapi.json");
			case 405 -> new Problem(HttpStatus.METHOD_NOT_ALLOWED, ErrorCode.BAD_REQUEST, null,
					"this endpoint does not take this HTTP method; the Allow header lists those it takes");
			case 406 -> new Problem(HttpStatus.NOT_ACCEPTABLE, ErrorCode.BAD_REQUEST, null,
					"this endpoint answers application/json; accept it");
			case 413 -> new Problem(HttpStatus.PAYLOAD_TOO_LARGE, ErrorCode.BAD_REQUEST, "body",
					"the request body is too large (keyflow.rest.max-body-size)");
			case 415 -> new Problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, ErrorCode.BAD_REQUEST, "Content-Type",
					"send the body as application/json");
			default -> (status >= 500) ? of(ErrorCode.INTERNAL_ERROR, "an internal error occurred; see the server log")
					: new Problem(HttpStatusCode.valueOf(status), ErrorCode.BAD_REQUEST, null, "the request was refused");
		};
	}

	/**
	 * @param ex what a handler threw
	 * @return the problem to answer with; {@link ErrorCode#INTERNAL_ERROR} for anything unexpected
	 */
	static Problem of(Throwable ex) {
		if (ex instanceof RestException rest) {
			return new Problem(rest.status(), rest.code(), rest.field(), rest.getMessage());
		}
		if (causedByBodyTooLarge(ex)) {
			return forStatus(413);
		}
		if (ex instanceof InvalidCredentialException invalid) {
			return new Problem(HttpStatus.BAD_REQUEST, ErrorCode.BAD_REQUEST, invalid.getField(), invalid.getMessage());
		}
		if (ex instanceof CredentialChangedException) {
			return new Problem(HttpStatus.PRECONDITION_FAILED, ErrorCode.PRECONDITION_FAILED, "If-Match", ex.getMessage());
		}
		if (ex instanceof CredentialConflictException) {
			return of(ErrorCode.CONFLICT, ex.getMessage());
		}
		if (ex instanceof CredentialMissingException) {
			return of(ErrorCode.CREDENTIAL_MISSING, ex.getMessage());
		}
		if (ex instanceof ExternalTaskNotFoundException) {
			return of(ErrorCode.NOT_FOUND, ex.getMessage());
		}
		if (ex instanceof ExternalTaskNotLockedException) {
			return of(ErrorCode.TASK_NOT_LOCKED, ex.getMessage());
		}
		if (ex instanceof ExternalTaskLockNotOwnedException) {
			return of(ErrorCode.LOCK_NOT_OWNED, ex.getMessage());
		}
		if (ex instanceof SealedCredentialException) {
			return of(ErrorCode.CREDENTIAL_SEALED, ex.getMessage());
		}
		if (ex instanceof CredentialNotFoundException) {
			return of(ErrorCode.NOT_FOUND, ex.getMessage());
		}
		if (ex instanceof ReadOnlyStoreException) {
			return of(ErrorCode.READ_ONLY_STORE, ex.getMessage());
		}
		if (ex instanceof ProviderUnknownException) {
			return new Problem(HttpStatus.BAD_REQUEST, ErrorCode.PROVIDER_UNKNOWN, "service", ex.getMessage());
		}
		if (ex instanceof OAuthStateException) {
			return new Problem(HttpStatus.BAD_REQUEST, ErrorCode.OAUTH_STATE_INVALID, "state", ex.getMessage());
		}
		if (ex instanceof ReauthorizationRequiredException) {
			return new Problem(HttpStatus.CONFLICT, ErrorCode.REFRESH_FAILED, null, ex.getMessage());
		}
		if (ex instanceof TokenEndpointException) {
			return of(ErrorCode.REFRESH_FAILED, ex.getMessage());
		}
		if (ex instanceof KeyflowConfigurationException missing
				&& REDIRECT_URI_PROPERTY.equals(missing.getProperty())) {
			return new Problem(HttpStatus.SERVICE_UNAVAILABLE, ErrorCode.REDIRECT_URI_MISSING, REDIRECT_URI_PROPERTY,
					ex.getMessage());
		}
		if (ex instanceof KeyflowConfigurationException) {
			return of(ErrorCode.INTERNAL_ERROR, ex.getMessage());
		}
		if (ex instanceof HttpMessageNotReadableException) {
			return new Problem(HttpStatus.BAD_REQUEST, ErrorCode.BAD_REQUEST, "body",
					"the body must be one well-formed JSON object (application/json, UTF-8)");
		}
		if (ex instanceof MissingServletRequestParameterException missing) {
			return new Problem(HttpStatus.BAD_REQUEST, ErrorCode.BAD_REQUEST, missing.getParameterName(),
					"query parameter " + missing.getParameterName() + " is required");
		}
		if (ex instanceof MethodArgumentTypeMismatchException mismatch) {
			return new Problem(HttpStatus.BAD_REQUEST, ErrorCode.BAD_REQUEST, mismatch.getName(),
					"parameter " + mismatch.getName() + " has the wrong type");
		}
		if (ex instanceof HttpRequestMethodNotSupportedException) {
			return forStatus(405);
		}
		if (ex instanceof HttpMediaTypeNotSupportedException) {
			return forStatus(415);
		}
		if (ex instanceof HttpMediaTypeNotAcceptableException) {
			return forStatus(406);
		}
		if (ex instanceof NoResourceFoundException) {
			return forStatus(404);
		}
		return of(ErrorCode.INTERNAL_ERROR, "an internal error occurred; see the server log");
	}

	private static boolean causedByBodyTooLarge(Throwable ex) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (t instanceof BodyTooLargeException) {
				return true;
			}
		}
		return false;
	}

	/**
	 * @param instance the request path (never its query, which may carry a code or state)
	 * @return the RFC 9457 problem, with {@code code} and, if known, {@code field}
	 */
	ProblemDetail toProblemDetail(String instance) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(this.status, this.detail);
		problem.setType(URI.create(TYPE_PREFIX + this.code.name().toLowerCase(Locale.ROOT).replace('_', '-')));
		problem.setTitle(this.code.title());
		if (instance != null) {
			problem.setInstance(URI.create(instance));
		}
		problem.setProperty("code", this.code.name());
		if (this.field != null) {
			problem.setProperty("field", this.field);
		}
		return problem;
	}

}
