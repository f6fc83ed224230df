package io.keyflow.rest.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Checks an endpoint's {@link RequiredRole} before its request body is read, so a key without the role learns
 * nothing about its request (403, not 400). Also requires a caller on every non-public endpoint, whatever the
 * filter decided about the path: an API key on the {@link RequiredRole} endpoints, a Camunda user on the
 * {@link SelfService} ones, and never the one on the other's.
 */
final class RoleInterceptor implements HandlerInterceptor {

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		if (!(handler instanceof HandlerMethod method)
				|| !method.getBeanType().getPackageName().equals(RoleInterceptor.class.getPackageName())) {
			return true;
		}
		if (method.hasMethodAnnotation(PublicEndpoint.class)) {
			return true;
		}
		Caller caller = (Caller) request.getAttribute(Caller.ATTRIBUTE);
		CamundaUser user = (CamundaUser) request.getAttribute(CamundaUser.ATTRIBUTE);
		if (method.hasMethodAnnotation(SelfService.class)) {
			if (user != null) {
				return true;
			}
			if (caller != null && caller != Caller.DEMO_OPEN) {
				throw new RestException(HttpStatus.FORBIDDEN, ErrorCode.FORBIDDEN, null, "the self-service endpoints "
						+ "are for a logged-in Camunda user acting for itself, not for API keys");
			}
			throw RestException.unauthorized("log in as a Camunda user (POST " + ApiKeyFilter.SELF_SERVICE_PATH
					+ "/login, the Camunda webapps, or HTTP Basic)");
		}
		if (caller == null) {
			if (user != null) {
				throw new RestException(HttpStatus.FORBIDDEN, ErrorCode.SELF_SERVICE_ONLY, null, "a Camunda user may use "
						+ "only the self-service endpoints under " + ApiKeyFilter.SELF_SERVICE_PATH + "; this endpoint needs "
						+ "an API key");
			}
			throw RestException.unauthorized("this endpoint needs an API key: send Authorization: Bearer <key>");
		}
		RequiredRole required = method.getMethodAnnotation(RequiredRole.class);
		if (required == null) {
			throw RestException.forbidden("this endpoint declares no role and is closed");
		}
		if (!caller.role().includes(required.value())) {
			throw RestException.forbidden("this endpoint needs the " + required.value().wireName() + " role; this "
					+ "API key has " + caller.role().wireName());
		}
		return true;
	}

}
