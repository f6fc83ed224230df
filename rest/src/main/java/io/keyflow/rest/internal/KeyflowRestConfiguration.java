package io.keyflow.rest.internal;

import java.net.URI;
import java.time.Clock;

import javax.sql.DataSource;

import org.camunda.bpm.engine.ProcessEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import io.keyflow.api.KeyflowConfigurationException;
import io.keyflow.plugin.KeyflowEngine;
import io.keyflow.plugin.KeyflowSchema;
import io.keyflow.plugin.autoconfigure.KeyflowProperties;
import io.keyflow.rest.ApiKeyService;
import io.keyflow.rest.autoconfigure.KeyflowRestProperties;

/**
 * The REST API's beans: controllers, the API-key filter, the role interceptor, the audit trail and the API-key
 * service; and the web page's address and headers. Imported by {@code KeyflowRestAutoConfiguration}; not for direct use.
 */
@Configuration(proxyBeanMethods = false)
public class KeyflowRestConfiguration {

	/** The environment variable of the bootstrap admin key, read when keyflow.rest.admin-api-key is not set. */
	public static final String ADMIN_KEY_VARIABLE = "KEYFLOW_ADMIN_API_KEY";

	static final int MIN_BOOTSTRAP_KEY_LENGTH = 32;

	/** Where the credential web page is served. */
	static final String WEB_PAGE_PATH = "/keyflow";

	private static final Logger log = LoggerFactory.getLogger("io.keyflow.rest");

	@Bean
	ApiKeyService keyflowApiKeyService(DataSource dataSource, @Qualifier("keyflowClock") Clock clock,
			KeyflowProperties properties) {
		if (properties.getDatabase().isSchemaUpdate()) {
			// the API keys' table exists only where the REST API runs
			new KeyflowSchema(dataSource).update(ApiKeyService.CHANGELOG);
		}
		return new ApiKeyService(dataSource, clock);
	}

	@Bean
	AuditTrail keyflowAuditTrail(KeyflowEngine keyflow) {
		return new AuditTrail(keyflow.audit());
	}

	@Bean
	CamundaUserAuthenticator keyflowCamundaUserAuthenticator(ProcessEngine processEngine) {
		return new CamundaUserAuthenticator(processEngine.getIdentityService(), processEngine.getName());
	}

	@Bean
	EngineRestExposureCheck keyflowEngineRestExposureCheck(ProcessEngine processEngine, KeyflowEngine keyflow,
			KeyflowProperties properties) {
		return new EngineRestExposureCheck(processEngine, keyflow, properties.getPrincipalVariable());
	}

	@Bean
	BrowserBinding keyflowBrowserBinding(KeyflowProperties properties) {
		URI redirectUri = properties.getOauth2().getRedirectUri();
		String path = (redirectUri != null && redirectUri.getRawPath() != null && !redirectUri.getRawPath().isEmpty())
				? redirectUri.getRawPath() : ApiKeyFilter.BASE_PATH + "/oauth2/callback";
		return new BrowserBinding(path, properties.getOauth2().getFlowTtl());
	}

	@Bean
	FilterRegistrationBean<ApiKeyFilter> keyflowApiKeyFilter(ApiKeyService keys, CamundaUserAuthenticator users,
			KeyflowRestProperties rest, Environment environment) {
		String bootstrapKey = bootstrapKey(rest, environment);
		if (rest.isDemoOpen()) {
			log.warn("KEYFLOW-R100 ********************************************************************");
			log.warn("KEYFLOW-R100 keyflow.rest.demo-open=true: requests WITHOUT an API key from the loopback interface "
					+ "act as an editor on /api/credentials (create, delete, connect). For demos only: never where real "
					+ "credentials live.");
			log.warn("KEYFLOW-R100 ********************************************************************");
		}
		if (bootstrapKey == null && !rest.isDemoOpen()) {
			log.info("KEYFLOW-R101 No bootstrap admin key ({} / keyflow.rest.admin-api-key): the REST API answers only "
					+ "keys created with ApiKeyService", ADMIN_KEY_VARIABLE);
		}
		FilterRegistrationBean<ApiKeyFilter> registration = new FilterRegistrationBean<>(new ApiKeyFilter(
				new ApiKeyAuthenticator(keys, bootstrapKey), users, rest.getMaxBodySize().toBytes(), rest.isDemoOpen()));
		registration.addUrlPatterns(ApiKeyFilter.BASE_PATH, ApiKeyFilter.BASE_PATH + "/*");
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 100);
		registration.setName("keyflowApiKeyFilter");
		return registration;
	}

	private static String bootstrapKey(KeyflowRestProperties rest, Environment environment) {
		String key = rest.getAdminApiKey();
		if (key == null || key.isBlank()) {
			key = environment.getProperty(ADMIN_KEY_VARIABLE);
		}
		if (key == null || key.isBlank()) {
			return null;
		}
		key = key.trim();
		if (key.length() < MIN_BOOTSTRAP_KEY_LENGTH || !key.matches("[A-Za-z0-9_\\-+/=.~]+")) {
			throw new KeyflowConfigurationException("keyflow.rest.admin-api-key", "the bootstrap admin API key (" + ADMIN_KEY_VARIABLE
					+ " / keyflow.rest.admin-api-key) must be at least " + MIN_BOOTSTRAP_KEY_LENGTH + " characters of "
					+ "A-Z, a-z, 0-9 and -_+/=.~, e.g. the output of: openssl rand -base64 32");
		}
		return key;
	}

	@Bean
	FilterRegistrationBean<WebPageHeaderFilter> keyflowWebPageHeaders() {
		FilterRegistrationBean<WebPageHeaderFilter> registration = new FilterRegistrationBean<>(new WebPageHeaderFilter());
		registration.addUrlPatterns(WEB_PAGE_PATH, WEB_PAGE_PATH + "/*");
		registration.setName("keyflowWebPageHeaders");
		return registration;
	}

	@Bean
	WebMvcConfigurer keyflowRoleInterceptor(KeyflowEngine keyflow) {
		return new WebMvcConfigurer() {

			@Override
			public void addInterceptors(InterceptorRegistry registry) {
				registry.addInterceptor(new RoleInterceptor()).addPathPatterns(ApiKeyFilter.BASE_PATH + "/**");
				registry.addInterceptor(new AuditScopeInterceptor(keyflow.audit()));
			}

			// the web page's files are static resources (META-INF/resources/keyflow/); Boot maps a directory's
			// index.html only at the root, so the page's address is mapped here
			@Override
			public void addViewControllers(ViewControllerRegistry registry) {
				registry.addRedirectViewController(WEB_PAGE_PATH, WEB_PAGE_PATH + "/");
				registry.addViewController(WEB_PAGE_PATH + "/").setViewName("forward:" + WEB_PAGE_PATH + "/index.html");
			}

		};
	}

	@Bean
	RestExceptionHandler keyflowRestExceptionHandler() {
		return new RestExceptionHandler();
	}

	@Bean
	CredentialController keyflowCredentialController(KeyflowEngine keyflow, AuditTrail audit,
			@Qualifier("keyflowClock") Clock clock) {
		return new CredentialController(keyflow, audit, new CredentialSources(keyflow, clock));
	}

	@Bean
	KeyController keyflowKeyController(KeyflowEngine keyflow, AuditTrail audit) {
		return new KeyController(keyflow.keyOperations(), audit);
	}

	@Bean
	OAuth2ConnectionController keyflowOAuth2ConnectionController(KeyflowEngine keyflow, AuditTrail audit,
			KeyflowRestProperties rest, BrowserBinding browsers, KeyflowProperties properties) {
		if (properties.getOauth2().getRedirectUri() == null) {
			log.warn("KEYFLOW-R102 keyflow.oauth2.redirect-uri is not set: the REST API is on, but connecting an OAuth2 "
					+ "account (POST {}/oauth2/start, My connections) answers 503 REDIRECT_URI_MISSING until it names "
					+ "the callback URL registered with the providers, e.g. https://<host>{}/oauth2/callback",
					ApiKeyFilter.BASE_PATH, ApiKeyFilter.BASE_PATH);
		}
		return new OAuth2ConnectionController(keyflow.oauth2Connections(), audit, rest.getOauth2ResultUrl(), browsers,
				keyflow.credentialRequests());
	}

	@Bean
	SelfServiceController keyflowSelfServiceController(KeyflowEngine keyflow, AuditTrail audit,
			KeyflowProperties properties, CamundaUserAuthenticator users, BrowserBinding browsers) {
		return new SelfServiceController(keyflow.credentialService(), keyflow.oauth2Connections(), keyflow.providers(),
				properties.getOauth2().getClients().keySet(), users, audit, browsers, keyflow.credentialRequests());
	}

	@Bean
	CredentialRequestController keyflowCredentialRequestController(KeyflowEngine keyflow, AuditTrail audit) {
		return new CredentialRequestController(keyflow.credentialRequests(), audit);
	}

	@Bean
	ProviderController keyflowProviderController(KeyflowEngine keyflow, AuditTrail audit) {
		return new ProviderController(keyflow.providers(), audit);
	}

	@Bean
	AdminController keyflowAdminController(AuditTrail audit, ApiKeyService keys) {
		return new AdminController(audit, keys);
	}

	@Bean
	ProcessPrincipalController keyflowProcessPrincipalController(KeyflowEngine keyflow, AuditTrail audit) {
		return new ProcessPrincipalController(keyflow.processPrincipals(), audit);
	}

	@Bean
	ExternalTaskController keyflowExternalTaskController(KeyflowEngine keyflow, AuditTrail audit) {
		return new ExternalTaskController(keyflow.externalTaskCredentials(), audit);
	}

	@Bean
	OpenApiController keyflowOpenApiController() {
		return new OpenApiController();
	}

}
