package io.keyflow.api;

/**
 * The init hook: implement it to register OAuth2 providers and credential stores when the engine starts.
 * <p>
 * Keyflow finds plugins through {@link java.util.ServiceLoader} (a
 * {@code META-INF/services/io.keyflow.api.KeyflowPlugin} file) and, in a Spring application, as beans. Each
 * plugin's {@link #init} runs once, before the first process definition is parsed.
 */
@FunctionalInterface
public interface KeyflowPlugin {

	/**
	 * @param context where to register providers and stores
	 */
	void init(PluginContext context);

}
