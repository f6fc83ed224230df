package io.keyflow.plugin;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The Spring Boot application the engine tests run: the Camunda starter, an H2 database and Keyflow's
 * auto-configuration, plus the recording actions.
 */
@SpringBootApplication
public class KeyflowTestApplication {

	@Bean
	RecordingActions.Recorder recorder() {
		return new RecordingActions.Recorder();
	}

	@Bean
	RecordingActions.ServiceBAction serviceBAction() {
		return new RecordingActions.ServiceBAction();
	}

}
