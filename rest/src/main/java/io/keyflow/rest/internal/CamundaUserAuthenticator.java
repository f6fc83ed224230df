package io.keyflow.rest.internal;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.Tenant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the Camunda user of a request: HTTP Basic checked by Camunda's {@link IdentityService} (with Camunda's own
 * login-attempt lockout), Keyflow's login session, or the session of the Camunda webapps when they run in the same
 * application (read through their session attribute, without a compile-time dependency on them).
 */
class CamundaUserAuthenticator {

	/** The session attribute of Keyflow's own login ({@code POST /api/credentials/me/login}). */
	static final String SESSION_ATTRIBUTE = "io.keyflow.rest.sessionUser";

	/** Where the Camunda webapps keep their {@code Authentications} (see their {@code AuthenticationUtil}). */
	static final String WEBAPP_SESSION_ATTRIBUTE = "authenticatedUser";

	static final int MAX_PASSWORD_LENGTH = 1024;

	private static final Pattern USER_ID = Pattern.compile("[^\\p{Cntrl}]{1," + CamundaUser.MAX_ID_LENGTH + "}");

	private static final Logger log = LoggerFactory.getLogger("io.keyflow.rest");

	private final IdentityService identities;

	private final String engineName;

	/**
	 * @param identities Camunda's identity service
	 * @param engineName the process engine whose webapp authentication counts
	 */
	CamundaUserAuthenticator(IdentityService identities, String engineName) {
		this.identities = identities;
		this.engineName = engineName;
	}

	/**
	 * @return whether the user id could be a Camunda user id (no control characters, 1 to 64 characters)
	 */
	static boolean plausibleUserId(String userId) {
		return userId != null && USER_ID.matcher(userId).matches() && !userId.isBlank();
	}

	/**
	 * @return the user, if the password is right (and the user not locked out)
	 */
	Optional<String> checkPassword(String userId, String password) {
		if (!plausibleUserId(userId) || password == null || password.isEmpty()
				|| password.length() > MAX_PASSWORD_LENGTH) {
			return Optional.empty();
		}
		return this.identities.checkPassword(userId, password) ? Optional.of(userId) : Optional.empty();
	}

	/**
	 * @return the user of the request's session: Keyflow's login first, else the Camunda webapps'
	 */
	Optional<CamundaUser> fromSession(HttpServletRequest request) {
		HttpSession session = request.getSession(false);
		if (session == null) {
			return Optional.empty();
		}
		if (session.getAttribute(SESSION_ATTRIBUTE) instanceof String userId && plausibleUserId(userId)) {
			return Optional.of(new CamundaUser(userId, CamundaUser.Via.KEYFLOW_SESSION));
		}
		return webappUser(session.getAttribute(WEBAPP_SESSION_ATTRIBUTE), this.engineName)
			.map((userId) -> new CamundaUser(userId, CamundaUser.Via.CAMUNDA_WEBAPP_SESSION));
	}

	/**
	 * Reads the user of the Camunda webapps' {@code Authentications} for one engine, by reflection (the webapps are
	 * optional). Anything unexpected counts as no user.
	 * @param authentications the session attribute's value
	 * @param engineName the process engine
	 * @return the user id authenticated for that engine
	 */
	static Optional<String> webappUser(Object authentications, String engineName) {
		if (authentications == null || !authentications.getClass().getName()
			.equals("org.camunda.bpm.webapp.impl.security.auth.Authentications")) {
			return Optional.empty();
		}
		try {
			Method all = authentications.getClass().getMethod("getAuthentications");
			for (Object authentication : (List<?>) all.invoke(authentications)) {
				Object engine = authentication.getClass().getMethod("getProcessEngineName").invoke(authentication);
				Object userId = authentication.getClass().getMethod("getIdentityId").invoke(authentication);
				if (engineName.equals(engine) && userId instanceof String id && plausibleUserId(id)) {
					return Optional.of(id);
				}
			}
		}
		catch (ReflectiveOperationException | ClassCastException | SecurityException ex) {
			log.warn("KEYFLOW-R004 Could not read the Camunda webapps' session authentication ({}); the request counts "
					+ "as not logged in", ex.getClass().getName());
		}
		return Optional.empty();
	}

	/**
	 * @return whether the user is a member of the tenant, directly or through a group
	 */
	boolean isTenantMember(String userId, String tenantId) {
		return this.identities.createTenantQuery().userMember(userId).includingGroupsOfUser(true).tenantId(tenantId)
			.count() > 0;
	}

	/**
	 * @return the ids of the user's tenants
	 */
	List<String> tenants(String userId) {
		return this.identities.createTenantQuery()
			.userMember(userId)
			.includingGroupsOfUser(true)
			.list()
			.stream()
			.map(Tenant::getId)
			.toList();
	}

}
