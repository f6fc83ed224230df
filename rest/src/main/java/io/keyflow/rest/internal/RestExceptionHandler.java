package io.keyflow.rest.internal;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Answers every exception of the REST API's controllers with {@code application/problem+json} (RFC 9457) and a
 * stable {@code code}. Applies to this package's controllers only, not to the host application's.
 */
@RestControllerAdvice(basePackageClasses = RestExceptionHandler.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class RestExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger("io.keyflow.rest");

	@ExceptionHandler(Exception.class)
	ResponseEntity<ProblemDetail> handle(Exception ex, HttpServletRequest request) {
		Problem problem = Problem.of(ex);
		if (problem.status().is5xxServerError()) {
			// Keyflow's messages are secret-free; a framework exception's message is not logged, only its type
			log.error("KEYFLOW-R002 {} {} failed: {}", request.getMethod(), ProblemWriter.instance(request),
					(ex instanceof io.keyflow.api.CredentialException) ? ex.getMessage() : ex.getClass().getName());
		}
		else {
			log.debug("KEYFLOW-R003 {} {} refused: {} {}", request.getMethod(), ProblemWriter.instance(request),
					problem.status().value(), problem.code());
		}
		return ResponseEntity.status(problem.status())
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(problem.toProblemDetail(ProblemWriter.instance(request)));
	}

}
