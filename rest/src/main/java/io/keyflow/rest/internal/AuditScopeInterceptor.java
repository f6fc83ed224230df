package io.keyflow.rest.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.AsyncHandlerInterceptor;

import io.keyflow.plugin.KeyflowAudit;

/**
 * The REST API records each request's changes itself, with its caller as actor and the outcome's error code: while
 * one of its handlers runs, the core does not record the same change a second time as a Java API call.
 */
final class AuditScopeInterceptor implements AsyncHandlerInterceptor {

	private static final String SCOPE = AuditScopeInterceptor.class.getName() + ".scope";

	private final KeyflowAudit audit;

	AuditScopeInterceptor(KeyflowAudit audit) {
		this.audit = audit;
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		if (handler instanceof HandlerMethod method
				&& method.getBeanType().getPackageName().equals(AuditScopeInterceptor.class.getPackageName())) {
			request.setAttribute(SCOPE, this.audit.callerRecordsChanges());
		}
		return true;
	}

	@Override
	public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
			Exception ex) {
		close(request);
	}

	// a streamed answer (the audit export) goes on on another thread: the scope ends with this one
	@Override
	public void afterConcurrentHandlingStarted(HttpServletRequest request, HttpServletResponse response,
			Object handler) {
		close(request);
	}

	private static void close(HttpServletRequest request) {
		if (request.getAttribute(SCOPE) instanceof KeyflowAudit.Scope scope) {
			request.removeAttribute(SCOPE);
			scope.close();
		}
	}

}
