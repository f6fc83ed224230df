package io.keyflow.rest.internal;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

import io.keyflow.plugin.KeyflowEngine;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.util.ClassUtils;
import org.springframework.web.context.WebApplicationContext;

/**
 * At start-up, looks at how Camunda's REST API ({@code /engine-rest}) is protected in this servlet container and
 * says what would otherwise fail silently:
 * <ul>
 * <li>{@code KEYFLOW-R200}: tasks that use the starter's own credential are deployed, and {@code /engine-rest}
 * has no authentication filter: a process started there has no authenticated user, so those tasks find no
 * credential (or, with {@code keyflow.principal.without-authentication=start-variable}, run as whoever the caller
 * names);</li>
 * <li>{@code KEYFLOW-R201}: {@code /engine-rest} requires Camunda's authentication, and the engine has no user:
 * every call is answered 401.</li>
 * </ul>
 * Camunda's REST API is found as the Jersey servlet (or filter) registered in the servlet context; its
 * authentication as a filter registration covering its mapping whose class is Camunda's
 * {@code ProcessEngineAuthenticationFilter} (or a subclass), or Spring Security's {@code springSecurityFilterChain}
 * (whose rules cannot be read from here: it counts as authentication).
 */
final class EngineRestExposureCheck implements ApplicationListener<ApplicationReadyEvent> {

	private static final Logger log = LoggerFactory.getLogger("io.keyflow.rest");

	static final String JERSEY_CONTAINER = "org.glassfish.jersey.servlet.ServletContainer";

	static final String CAMUNDA_REST = "org.camunda.bpm.engine.rest.impl.CamundaRestResources";

	static final String CAMUNDA_AUTHENTICATION_FILTER = "org.camunda.bpm.engine.rest.security.auth.ProcessEngineAuthenticationFilter";

	static final String SPRING_SECURITY_FILTER = "springSecurityFilterChain";

	private static final int SHOWN_TASKS = 3;

	private final ProcessEngine engine;

	private final KeyflowEngine keyflow;

	private final String principalVariable;

	EngineRestExposureCheck(ProcessEngine engine, KeyflowEngine keyflow, String principalVariable) {
		this.engine = Objects.requireNonNull(engine, "engine cannot be null");
		this.keyflow = Objects.requireNonNull(keyflow, "keyflow cannot be null");
		this.principalVariable = Objects.requireNonNull(principalVariable, "principalVariable cannot be null");
	}

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		if (!(event.getApplicationContext() instanceof WebApplicationContext web) || web.getServletContext() == null
				|| !ClassUtils.isPresent(CAMUNDA_REST, event.getApplicationContext().getClassLoader())) {
			return;
		}
		check(web.getServletContext(), event.getApplicationContext().getClassLoader());
	}

	void check(ServletContext servletContext, ClassLoader classLoader) {
		List<String> restMappings = restMappings(servletContext);
		if (restMappings.isEmpty()) {
			return;
		}
		Authentication authentication = authentication(servletContext, restMappings, classLoader);
		if (authentication == Authentication.NONE) {
			Set<String> perUser = perUserTasks();
			if (!perUser.isEmpty()) {
				log.warn("KEYFLOW-R200 Camunda's REST API ({}) accepts unauthenticated calls, and {} deployed task(s) use "
						+ "the credential of the user who started their process ({}{}): a process started there has no "
						+ "authenticated user, so those tasks find no user's credential, and (unless "
						+ "keyflow.principal.without-authentication=none) a caller may name any principal in the '{}' variable. Register Camunda's ProcessEngineAuthenticationFilter for {} "
						+ "(README, 'Authenticate /engine-rest').", String.join(", ", restMappings), perUser.size(),
						String.join(", ", perUser.stream().sorted().limit(SHOWN_TASKS).toList()),
						(perUser.size() > SHOWN_TASKS) ? ", ..." : "", this.principalVariable, String.join(", ", restMappings));
			}
		}
		else if (authentication == Authentication.CAMUNDA && this.engine.getIdentityService().createUserQuery().count() == 0) {
			log.warn("KEYFLOW-R201 Camunda's REST API ({}) requires a Camunda user, and process engine '{}' has none: "
					+ "every call is answered 401. Create a user in Camunda Admin, or set camunda.bpm.admin-user.id and "
					+ "camunda.bpm.admin-user.password.", String.join(", ", restMappings), this.engine.getName());
		}
	}

	/** Parses the latest version of every definition, so that a restart sees what earlier runs deployed. */
	private Set<String> perUserTasks() {
		RepositoryService repository = this.engine.getRepositoryService();
		for (ProcessDefinition definition : repository.createProcessDefinitionQuery().latestVersion().list()) {
			repository.getProcessDefinition(definition.getId());
		}
		return this.keyflow.perUserTasks();
	}

	private static List<String> restMappings(ServletContext servletContext) {
		Stream<String> servlets = servletContext.getServletRegistrations().values().stream()
			.filter((registration) -> JERSEY_CONTAINER.equals(registration.getClassName()))
			.flatMap((registration) -> registration.getMappings().stream());
		Stream<String> filters = servletContext.getFilterRegistrations().values().stream()
			.filter((registration) -> JERSEY_CONTAINER.equals(registration.getClassName()))
			.flatMap((registration) -> registration.getUrlPatternMappings().stream());
		return Stream.concat(servlets, filters).distinct().sorted().toList();
	}

	private static Authentication authentication(ServletContext servletContext, List<String> restMappings,
			ClassLoader classLoader) {
		Authentication found = Authentication.NONE;
		for (var entry : servletContext.getFilterRegistrations().entrySet()) {
			FilterRegistration registration = entry.getValue();
			if (SPRING_SECURITY_FILTER.equals(entry.getKey())) {
				found = (found == Authentication.NONE) ? Authentication.OTHER : found;
			}
			else if (isCamundaAuthentication(registration.getClassName(), classLoader)
					&& covers(registration.getUrlPatternMappings(), restMappings)) {
				found = Authentication.CAMUNDA;
			}
		}
		return found;
	}

	private static boolean isCamundaAuthentication(String className, ClassLoader classLoader) {
		if (className == null || !ClassUtils.isPresent(CAMUNDA_AUTHENTICATION_FILTER, classLoader)) {
			return false;
		}
		try {
			return ClassUtils.forName(CAMUNDA_AUTHENTICATION_FILTER, classLoader)
				.isAssignableFrom(ClassUtils.forName(className, classLoader));
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return false;
		}
	}

	/** Whether every REST mapping ({@code /engine-rest/*}) lies under one of the filter's URL patterns. */
	static boolean covers(Collection<String> patterns, List<String> restMappings) {
		return restMappings.stream().allMatch((mapping) -> patterns.stream().anyMatch((pattern) -> pattern.equals(mapping)
				|| pattern.equals("/*") || (pattern.endsWith("/*") && mapping.startsWith(pattern.substring(0, pattern.length() - 1)))));
	}

	private enum Authentication {

		NONE, CAMUNDA, OTHER

	}

}
