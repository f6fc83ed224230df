package io.keyflow.plugin.autoconfigure;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * Keyflow brings Liquibase onto the class path for its own tables, which would make Spring Boot run Liquibase for
 * the host application too and fail at start-up when the host has no changelog. Where the host has not configured
 * Liquibase ({@code spring.liquibase.enabled} and {@code .change-log} unset) and has no changelog at Boot's default
 * location, this turns Boot's run off, as a default the host can override. A host that uses Liquibase is left
 * alone. Keyflow's own changelogs run regardless (see {@code KeyflowSchema}).
 */
class HostLiquibaseDefaults implements EnvironmentPostProcessor {

	static final String DEFAULT_CHANGELOG = "classpath:/db/changelog/db.changelog-master.yaml";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (environment.containsProperty("spring.liquibase.enabled")
				|| environment.containsProperty("spring.liquibase.change-log")) {
			return;
		}
		ClassLoader classLoader = (application != null) ? application.getClassLoader() : null;
		if (new DefaultResourceLoader(classLoader).getResource(DEFAULT_CHANGELOG).exists()) {
			return;
		}
		environment.getPropertySources()
			.addLast(new MapPropertySource("keyflowHostLiquibaseDefaults", Map.of("spring.liquibase.enabled", "false")));
	}

}
