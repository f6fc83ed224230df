package io.keyflow.vault;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The Spring Boot application of the engine tests: the Camunda starter, H2, Keyflow and its Vault
 * auto-configuration (pointed at a {@link VaultContractServer} by the test), and a recorder for tasks.
 */
@SpringBootApplication
public class VaultTestApplication {

	@Bean
	Recorder recorder() {
		return new Recorder();
	}

	/** Records the secret each task received; a bean named {@code recorder}. */
	public static class Recorder {

		final List<String> seen = new CopyOnWriteArrayList<>();

		public void record(DelegateExecution execution, String value) {
			this.seen.add(String.valueOf(value));
		}

	}

}
