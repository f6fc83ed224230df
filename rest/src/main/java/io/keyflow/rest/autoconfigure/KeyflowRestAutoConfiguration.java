package io.keyflow.rest.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;
import org.springframework.web.servlet.DispatcherServlet;

import io.keyflow.plugin.KeyflowEngine;
import io.keyflow.plugin.autoconfigure.KeyflowAutoConfiguration;
import io.keyflow.rest.internal.KeyflowRestConfiguration;

/**
 * Serves Keyflow's REST API under {@code /api/credentials} in servlet web applications
 * ({@code keyflow.rest.enabled}, on by default). API-key authentication is Keyflow's own servlet filter: the API
 * brings no Spring Security configuration into the host application, and Camunda's {@code /engine-rest} is left
 * as it is. The credential web page ({@code /keyflow/}, static files under {@code META-INF/resources/keyflow/})
 * gets its address and security headers here; it calls only the API.
 */
@AutoConfiguration(after = KeyflowAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@ConditionalOnProperty(prefix = "keyflow.rest", name = "enabled", havingValue = "true", matchIfMissing = true)
@ConditionalOnBean(KeyflowEngine.class)
@EnableConfigurationProperties(KeyflowRestProperties.class)
@Import(KeyflowRestConfiguration.class)
public class KeyflowRestAutoConfiguration {

}
