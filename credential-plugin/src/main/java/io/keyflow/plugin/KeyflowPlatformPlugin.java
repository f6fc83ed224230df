package io.keyflow.plugin;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.UnaryOperator;

import io.keyflow.api.KeyflowConfigurationException;
import io.keyflow.plugin.internal.engine.EngineDataSource;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;

/**
 * Keyflow for any host engine, configured by plain properties: declare it in {@code bpm-platform.xml} (a shared
 * engine on Tomcat or WildFly) or in a process application's {@code processes.xml}, as Camunda documents for its
 * own plugins:
 * <pre>
 * &lt;plugin&gt;
 *   &lt;class&gt;io.keyflow.plugin.KeyflowPlatformPlugin&lt;/class&gt;
 *   &lt;properties&gt;
 *     &lt;property name="principalVariable"&gt;initiator&lt;/property&gt;
 *   &lt;/properties&gt;
 * &lt;/plugin&gt;
 * </pre>
 * The encryption key comes from the {@code encryptionKey} property, else the {@code KEYFLOW_ENCRYPTION_KEY}
 * environment variable, else the {@code keyflow.encryption.key} system property; keep it out of the XML. Keyflow's
 * tables live in the engine's data source ({@code dataSourceJndiName} or {@code jdbcUrl}). Spring Boot
 * applications need none of this: the starter configures Keyflow from {@code keyflow.*} properties.
 */
public class KeyflowPlatformPlugin extends AbstractProcessEnginePlugin {

	/** The environment variable holding the encryption key. */
	public static final String ENCRYPTION_KEY_VARIABLE = "KEYFLOW_ENCRYPTION_KEY";

	/** The system property holding the encryption key when the environment has none. */
	public static final String ENCRYPTION_KEY_PROPERTY = "keyflow.encryption.key";

	private final UnaryOperator<String> environment;

	private String encryptionKey;

	private String principalVariable = "initiator";

	private String principalWithoutAuthentication = "start-variable";

	private boolean requireAllowedProcesses;

	private boolean sealedByDefault;

	private boolean schemaUpdate = true;

	private String resolutionCacheTtl = "PT5S";

	private int resolutionCacheMaxEntries = 50_000;

	private String redirectUri;

	private String refreshMargin = "PT5M";

	private volatile KeyflowEngine keyflow;

	/** Reads the key from the process's environment; the properties come from the XML through the setters. */
	public KeyflowPlatformPlugin() {
		this(System::getenv);
	}

	KeyflowPlatformPlugin(UnaryOperator<String> environment) {
		this.environment = Objects.requireNonNull(environment, "environment cannot be null");
	}

	@Override
	public void preInit(ProcessEngineConfigurationImpl configuration) {
		this.keyflow = KeyflowEngine.builder(EngineDataSource.of(configuration))
			.encryptionKey(encryptionKey())
			.principalVariable(this.principalVariable)
			.principalVariableWithoutAuthentication(withoutAuthentication())
			.requireAllowedProcesses(this.requireAllowedProcesses)
			.sealedByDefault(this.sealedByDefault)
			.schemaUpdate(this.schemaUpdate)
			.resolutionCacheTtl(duration("resolutionCacheTtl", this.resolutionCacheTtl))
			.resolutionCacheMaxEntries(this.resolutionCacheMaxEntries)
			.refreshMargin(duration("refreshMargin", this.refreshMargin))
			.redirectUri((this.redirectUri != null && !this.redirectUri.isBlank()) ? URI.create(this.redirectUri) : null)
			.build();
		this.keyflow.processEnginePlugin().preInit(configuration);
	}

	String encryptionKey() {
		if (this.encryptionKey != null && !this.encryptionKey.isBlank()) {
			return this.encryptionKey;
		}
		String fromEnvironment = this.environment.apply(ENCRYPTION_KEY_VARIABLE);
		return (fromEnvironment != null && !fromEnvironment.isBlank()) ? fromEnvironment
				: System.getProperty(ENCRYPTION_KEY_PROPERTY);
	}

	private boolean withoutAuthentication() {
		return switch (this.principalWithoutAuthentication.trim().toLowerCase(Locale.ROOT)) {
			case "start-variable" -> true;
			case "none" -> false;
			default -> throw new KeyflowConfigurationException("principalWithoutAuthentication",
					"Keyflow plugin property principalWithoutAuthentication is '" + this.principalWithoutAuthentication
							+ "'; use start-variable or none");
		};
	}

	private static Duration duration(String property, String value) {
		try {
			return Duration.parse(value.trim());
		}
		catch (RuntimeException ex) {
			throw new KeyflowConfigurationException(property, "Keyflow plugin property " + property + " is '" + value
					+ "'; use an ISO-8601 duration such as PT5S or PT5M");
		}
	}

	/**
	 * @return Keyflow as built for this engine: its credential service, OAuth2 connections, principals
	 * @throws IllegalStateException before the engine has been built
	 */
	public KeyflowEngine keyflow() {
		KeyflowEngine built = this.keyflow;
		if (built == null) {
			throw new IllegalStateException("Keyflow is built when the process engine is; this engine has not been");
		}
		return built;
	}

	/**
	 * @param engine a process engine configured with this plugin
	 * @return Keyflow as built for that engine
	 * @throws IllegalArgumentException if the engine has no {@code KeyflowPlatformPlugin}
	 */
	public static KeyflowEngine keyflowOf(ProcessEngine engine) {
		ProcessEngineConfiguration configuration = engine.getProcessEngineConfiguration();
		if (configuration instanceof ProcessEngineConfigurationImpl impl) {
			for (Object plugin : impl.getProcessEnginePlugins()) {
				if (plugin instanceof KeyflowPlatformPlugin keyflowPlugin) {
					return keyflowPlugin.keyflow();
				}
			}
		}
		throw new IllegalArgumentException("process engine '" + engine.getName() + "' has no KeyflowPlatformPlugin");
	}

	/** @param encryptionKey base64 AES-256 keys, comma-separated, the primary first; prefer the environment */
	public void setEncryptionKey(String encryptionKey) {
		this.encryptionKey = encryptionKey;
	}

	/** @param principalVariable the variable trusted code may name a principal with at start (default initiator) */
	public void setPrincipalVariable(String principalVariable) {
		this.principalVariable = principalVariable;
	}

	/** @param principalWithoutAuthentication {@code start-variable} (default) or {@code none} */
	public void setPrincipalWithoutAuthentication(String principalWithoutAuthentication) {
		this.principalWithoutAuthentication = principalWithoutAuthentication;
	}

	/** @param requireAllowedProcesses whether keyed and tenant-default credentials must name their processes */
	public void setRequireAllowedProcesses(boolean requireAllowedProcesses) {
		this.requireAllowedProcesses = requireAllowedProcesses;
	}

	/** @param sealedByDefault whether a new credential is sealed unless its request says otherwise */
	public void setSealedByDefault(boolean sealedByDefault) {
		this.sealedByDefault = sealedByDefault;
	}

	/** @param schemaUpdate whether Keyflow brings its tables up to date at start-up (default true) */
	public void setSchemaUpdate(boolean schemaUpdate) {
		this.schemaUpdate = schemaUpdate;
	}

	/** @param resolutionCacheTtl an ISO-8601 duration (default PT5S; PT0S turns the cache off) */
	public void setResolutionCacheTtl(String resolutionCacheTtl) {
		this.resolutionCacheTtl = resolutionCacheTtl;
	}

	/** @param resolutionCacheMaxEntries how many credential lookups the cache keeps at most (default 50000) */
	public void setResolutionCacheMaxEntries(int resolutionCacheMaxEntries) {
		this.resolutionCacheMaxEntries = resolutionCacheMaxEntries;
	}

	/** @param redirectUri the OAuth2 redirect URI registered with every provider */
	public void setRedirectUri(String redirectUri) {
		this.redirectUri = redirectUri;
	}

	/** @param refreshMargin an ISO-8601 duration (default PT5M) */
	public void setRefreshMargin(String refreshMargin) {
		this.refreshMargin = refreshMargin;
	}

	@Override
	public String toString() {
		return "KeyflowPlatformPlugin";
	}

}
