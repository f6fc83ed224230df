package io.keyflow.plugin.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicBoolean;

import io.keyflow.api.CredentialStore;
import io.keyflow.api.KeyflowPlugin;
import io.keyflow.api.OAuth2Provider;
import io.keyflow.api.PluginContext;
import io.keyflow.plugin.OAuth2ProviderRegistry;
import io.keyflow.plugin.internal.store.CompositeCredentialStore;

/**
 * Runs every {@link KeyflowPlugin}'s init hook once: plugins given explicitly (Spring beans) and those found
 * through {@link ServiceLoader}, each class once.
 */
public final class PluginInitializer {

	private final List<KeyflowPlugin> plugins;

	private final OAuth2ProviderRegistry providers;

	private final CompositeCredentialStore stores;

	private final AtomicBoolean done = new AtomicBoolean();

	/**
	 * @param plugins plugins known to the caller, e.g. Spring beans
	 * @param providers where plugins register providers
	 * @param stores where plugins register stores
	 */
	public PluginInitializer(List<KeyflowPlugin> plugins, OAuth2ProviderRegistry providers,
			CompositeCredentialStore stores) {
		Map<Class<?>, KeyflowPlugin> byClass = new LinkedHashMap<>();
		plugins.forEach((plugin) -> byClass.putIfAbsent(plugin.getClass(), plugin));
		ServiceLoader.load(KeyflowPlugin.class).forEach((plugin) -> byClass.putIfAbsent(plugin.getClass(), plugin));
		this.plugins = List.copyOf(byClass.values());
		this.providers = providers;
		this.stores = stores;
	}

	/**
	 * Runs the init hooks; later calls do nothing.
	 */
	public void initOnce() {
		if (!this.done.compareAndSet(false, true)) {
			return;
		}
		PluginContext context = new PluginContext() {

			@Override
			public void registerOAuth2Provider(OAuth2Provider provider) {
				PluginInitializer.this.providers.register(provider, OAuth2ProviderRegistry.Origin.PLUGIN);
			}

			@Override
			public void registerCredentialStore(CredentialStore store) {
				PluginInitializer.this.stores.add(store);
			}

		};
		for (KeyflowPlugin plugin : this.plugins) {
			plugin.init(context);
			KeyflowLog.pluginRegistered(plugin.getClass().getName());
		}
	}

	/**
	 * @return the plugins, in the order their hooks run
	 */
	public List<KeyflowPlugin> plugins() {
		return this.plugins;
	}

}
