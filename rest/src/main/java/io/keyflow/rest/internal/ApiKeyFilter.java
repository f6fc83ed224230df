package io.keyflow.rest.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
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
 * The gate of {@code /api/credentials}: authenticates every request (401 when missing or invalid, before anything
 * else runs), refuses bodies larger than {@code keyflow.rest.max-body-size}, and makes every error below it answer
 * {@code application/problem+json}. Roles are checked per endpoint by {@link RoleInterceptor}.
 * <p>
 * Two kinds of callers: an API key ({@code Authorization: Bearer}, a {@link Caller}), and a Camunda user (HTTP Basic,
 * Keyflow's login session or the Camunda webapps' session, a {@link CamundaUser}) who may use the self-service
 * endpoints under {@value #SELF_SERVICE_PATH} only. A state-changing self-service request must carry
 * {@value #CSRF_HEADER} (a cross-site form cannot send it) and must not come from another site
 * ({@code Sec-Fetch-Site}). {@code keyflow.rest.demo-open} answers key-less requests from the loopback interface
 * only.
 * <p>
 * Only the OAuth2 callback (the browser arrives from the provider; the one-time state and the browser-binding
 * cookie are its proof), its result page, the OpenAPI document and the self-service login and logout are reachable
 * without authentication.
 */
final class ApiKeyFilter extends OncePerRequestFilter {

	static final String BASE_PATH = "/api/credentials";

	static final String SELF_SERVICE_PATH = BASE_PATH + "/me";

	/** The header every state-changing self-service request must carry. */
	static final String CSRF_HEADER = "X-Keyflow-Request";

	/** Endpoints without authentication, as "METHOD path". */
	static final Set<String> PUBLIC = Set.of("GET " + BASE_PATH + "/oauth2/callback",
			"GET " + BASE_PATH + "/oauth2/result", "GET " + BASE_PATH + "/openapi.json",
			"POST " + SELF_SERVICE_PATH + "/login", "POST " + SELF_SERVICE_PATH + "/logout");

	private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

	private static final Logger log = LoggerFactory.getLogger("io.keyflow.rest");

	private static final String BEARER = "Bearer ";

	private static final String BASIC = "Basic ";

	private final ApiKeyAuthenticator authenticator;

	private final CamundaUserAuthenticator users;

	private final long maxBodySize;

	private final boolean demoOpen;

	private final ProblemWriter problems = new ProblemWriter();

	private final UrlPathHelper paths = new UrlPathHelper();

	/**
	 * @param authenticator the API keys
	 * @param users the Camunda users; {@code null} where no process engine is available (then only API keys)
	 * @param maxBodySize the largest body accepted
	 * @param demoOpen whether key-less requests from the loopback interface act as an untenanted editor
	 */
	ApiKeyFilter(ApiKeyAuthenticator authenticator, CamundaUserAuthenticator users, long maxBodySize,
			boolean demoOpen) {
		this.authenticator = authenticator;
		this.users = users;
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
		try {
			authenticate(request, open);
		}
		catch (RestException ex) {
			log.warn("KEYFLOW-R001 Refused {} {}: {}", request.getMethod(), path, ex.getMessage());
			boolean basic = startsWith(request.getHeader(HttpHeaders.AUTHORIZATION), BASIC);
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, basic ? "Basic realm=\"keyflow\", charset=\"UTF-8\""
					: "Bearer realm=\"keyflow\"");
			this.problems.write(request, response, Problem.of(ex));
			return;
		}
		if (isSelfService(path) && !SAFE_METHODS.contains(request.getMethod())) {
			String refusal = crossSiteRefusal(request);
			if (refusal != null) {
				log.warn("KEYFLOW-R005 Refused {} {}: {}", request.getMethod(), path, refusal);
				this.problems.write(request, response, Problem.of(ErrorCode.CSRF_REJECTED, refusal));
				return;
			}
		}
		if (request.getContentLengthLong() > this.maxBodySize) {
			this.problems.write(request, response, Problem.forStatus(413));
			return;
		}
		chain.doFilter(new LimitedBodyRequest(request, this.maxBodySize),
				new ProblemResponse(request, response, this.problems));
	}

	static boolean isSelfService(String path) {
		return path.equals(SELF_SERVICE_PATH) || path.startsWith(SELF_SERVICE_PATH + "/");
	}

	/**
	 * @return why a state-changing self-service request looks cross-site, or {@code null} if it does not
	 */
	static String crossSiteRefusal(HttpServletRequest request) {
		String marker = request.getHeader(CSRF_HEADER);
		if (marker == null || marker.isBlank()) {
			return "a state-changing self-service request must send the header " + CSRF_HEADER + ": true";
		}
		String site = request.getHeader("Sec-Fetch-Site");
		if (site != null && !site.equals("same-origin") && !site.equals("none")) {
			return "a self-service request from another site is refused";
		}
		return null;
	}

	/** Sets the caller (API key, or demo-open) and/or the Camunda user of the request. */
	private void authenticate(HttpServletRequest request, boolean open) {
		String header = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (header != null) {
			if (startsWith(header, BEARER)) {
				request.setAttribute(Caller.ATTRIBUTE, this.authenticator.authenticate(header.substring(BEARER.length()).trim())
					.orElseThrow(() -> RestException.unauthorized("the API key is unknown or revoked")));
				return;
			}
			if (startsWith(header, BASIC) && this.users != null) {
				request.setAttribute(CamundaUser.ATTRIBUTE, basicUser(header.substring(BASIC.length()).trim()));
				return;
			}
			throw RestException.unauthorized("the Authorization header must be: Bearer <API key> (or Basic, for a "
					+ "Camunda user on " + SELF_SERVICE_PATH + ")");
		}
		CamundaUser user = (this.users != null) ? this.users.fromSession(request).orElse(null) : null;
		if (user != null) {
			request.setAttribute(CamundaUser.ATTRIBUTE, user);
		}
		if (this.demoOpen && isLoopback(request.getRemoteAddr())) {
			request.setAttribute(Caller.ATTRIBUTE, Caller.DEMO_OPEN);
		}
		else if (user == null && !open) {
			throw RestException.unauthorized("this endpoint needs an API key (Authorization: Bearer <key>), or a "
					+ "logged-in Camunda user on " + SELF_SERVICE_PATH);
		}
	}

	private CamundaUser basicUser(String encoded) {
		String decoded;
		try {
			decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			throw RestException.unauthorized("the Basic credentials are not base64");
		}
		int colon = decoded.indexOf(':');
		if (colon < 0) {
			throw RestException.unauthorized("the Basic credentials must be user:password");
		}
		return this.users.checkPassword(decoded.substring(0, colon), decoded.substring(colon + 1))
			.map((userId) -> new CamundaUser(userId, CamundaUser.Via.BASIC))
			.orElseThrow(() -> RestException.unauthorized("unknown Camunda user or wrong password"));
	}

	/**
	 * @param remoteAddress the client's address as the container reports it (an IP literal)
	 * @return whether it is a loopback address
	 */
	static boolean isLoopback(String remoteAddress) {
		if (remoteAddress == null || !remoteAddress.matches("[0-9A-Fa-f:.%]{2,64}")) {
			return false;
		}
		try {
			// an IP literal is parsed, never looked up
			return InetAddress.getByName(remoteAddress).isLoopbackAddress();
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

	private static boolean startsWith(String header, String scheme) {
		return header != null && header.regionMatches(true, 0, scheme, 0, scheme.length());
	}

}
