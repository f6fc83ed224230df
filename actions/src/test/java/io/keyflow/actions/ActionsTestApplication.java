package io.keyflow.actions;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Spring Boot application the engine tests run: the Camunda starter on H2, Keyflow's engine plugin, and
 * the actions' auto-configuration (every action as a bean).
 */
@SpringBootApplication
public class ActionsTestApplication {

}
