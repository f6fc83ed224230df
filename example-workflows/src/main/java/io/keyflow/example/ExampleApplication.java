package io.keyflow.example;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The example application: Camunda (engine, Cockpit, Tasklist, REST) with Keyflow and its actions, on an H2
 * file database under {@code ./data}.
 */
@SpringBootApplication
public class ExampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(ExampleApplication.class, args);
	}

}
