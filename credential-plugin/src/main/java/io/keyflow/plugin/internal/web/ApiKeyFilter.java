package io.keyflow.plugin.internal.web;

import java.io.IOException;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UrlPathHelper;

/**
 * The gate of {@code /api/credentials}: authenticates the API key of every request (401 when missing or invalid,
 * before anything else runs), refuses bodies larger than {@code keyflow.rest.max-body-size}, and makes every error
 * below it answer {@code application/problem+json}. Roles are checked per endpoint by {@link RoleInterceptor}.
 * <p>
 * Only the OAuth2 callback (the browser arrives from the provider, protected by the one-time state), its result
 * page and the OpenAPI document are reachable without a key.
 */
final class ApiKeyFilter extends OncePerRequestFilter {

	static final String BASE_PATH = "/api/credentials";

	/** Endpoints without an API key, as "METHOD path". */
	static final Set<String> PUBLIC = Set.of("GET " + BASE_PATH + "/oauth2/callback",
			"GET " + BASE_PATH + "/oauth2/result", "GET " + BASE_PATH + "/openapi.json");

	private static final Logger log = LoggerFactory.getLogger("io.keyflow.rest");

	private static final String BEARER = "Bearer ";

	private final ApiKeyAuthenticator authenticator;

	private final long maxBodySize;

	private final boolean demoOpen;

	private final ProblemWriter problems = new ProblemWriter();

	private final UrlPathHelper paths = new UrlPathHelper();

	ApiKeyFilter(ApiKeyAuthenticator authenticator, long maxBodySize, boolean demoOpen) {
		this.authenticator = authenticator;
		this.maxBodySize = maxBodySize;
		this.demoOpen = demoOpen;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = this.paths.getPathWithinApplication(request);
		return !(path.equals(BASE_PATH) || path.startsWith(BASE_PATH + "/"));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
		response.setHeader("X-Content-Type-Options", "nosniff");
		String path = this.paths.getPathWithinApplication(request);
		boolean open = PUBLIC.contains(request.getMethod() + " " + path);
		Caller caller;
		try {
			caller = caller(request, open);
		}
		catch (RestException ex) {
			log.warn("KEYFLOW-R001 Refused {} {}: {}", request.getMethod(), path, ex.getMessage());
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"keyflow\"");
			this.problems.write(request, response, Problem.of(ex));
			return;
		}
		if (caller != null) {
			request.setAttribute(Caller.ATTRIBUTE, caller);
		}
		if (request.getContentLengthLong() > this.maxBodySize) {
			this.problems.write(request, response, Problem.forStatus(413));
			return;
		}
		chain.doFilter(new LimitedBodyRequest(request, this.maxBodySize),
				new ProblemResponse(request, response, this.problems));
	}

	private Caller caller(HttpServletRequest request, boolean open) {
		String header = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (header == null) {
			if (this.demoOpen) {
				return Caller.DEMO_OPEN;
			}
			if (open) {
				return null;
			}
			throw RestException.unauthorized("this endpoint needs an API key: send Authorization: Bearer <key>");
		}
		if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			throw RestException.unauthorized("the Authorization header must be: Bearer <key>");
		}
		return this.authenticator.authenticate(header.substring(BEARER.length()).trim())
			.orElseThrow(() -> RestException.unauthorized("the API key is unknown or revoked"));
	}

}
