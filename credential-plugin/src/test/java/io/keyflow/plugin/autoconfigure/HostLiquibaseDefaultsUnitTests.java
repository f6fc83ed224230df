package io.keyflow.plugin.autoconfigure;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class HostLiquibaseDefaultsUnitTests {

	@Test
	void postProcessWhenTheHostHasNoLiquibaseSetUpThenBootsRunIsOffByDefault() {
		StandardEnvironment environment = new StandardEnvironment();

		new HostLiquibaseDefaults().postProcessEnvironment(environment, null);

		assertThat(environment.getProperty("spring.liquibase.enabled")).isEqualTo("false");
	}

	@Test
	void postProcessWhenTheHostConfiguresLiquibaseThenItIsLeftAlone() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("host", Map.of("spring.liquibase.change-log", "classpath:/host.xml")));

		new HostLiquibaseDefaults().postProcessEnvironment(environment, null);

		assertThat(environment.containsProperty("spring.liquibase.enabled")).isFalse();
	}

	@Test
	void postProcessWhenTheHostSetsEnabledThenItsValueWins() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("host", Map.of("spring.liquibase.enabled", "true")));

		new HostLiquibaseDefaults().postProcessEnvironment(environment, null);

		assertThat(environment.getProperty("spring.liquibase.enabled")).isEqualTo("true");
	}

}
