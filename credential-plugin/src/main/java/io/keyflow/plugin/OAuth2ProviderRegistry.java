package io.keyflow.plugin;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.keyflow.api.InvalidCredentialException;
import io.keyflow.api.OAuth2Provider;

/**
 * The OAuth2 providers Keyflow knows: the built-in catalogue, those registered by {@link io.keyflow.api.KeyflowPlugin}s
 * at start-up, and those added at run time. Thread-safe.
 */
public final class OAuth2ProviderRegistry {

	/** Where a registration came from; decides what may replace what. */
	public enum Origin {

		BUILT_IN, PLUGIN, RUNTIME

	}

	private record Entry(OAuth2Provider provider, Origin origin) {
	}

	private final Map<String, Entry> providers = new ConcurrentHashMap<>();

	/**
	 * @param builtIns the built-in catalogue
	 */
	public OAuth2ProviderRegistry(Collection<OAuth2Provider> builtIns) {
		builtIns.forEach((provider) -> this.providers.put(provider.id(), new Entry(provider, Origin.BUILT_IN)));
	}

	/**
	 * Registers a provider. A plugin may replace a built-in provider but not another plugin's; a run-time
	 * registration may replace a run-time one but neither a built-in nor a plugin's.
	 * @param provider the provider
	 * @param origin who registers it
	 * @throws InvalidCredentialException naming the id when the registration would replace one it may not
	 */
	public void register(OAuth2Provider provider, Origin origin) {
		Objects.requireNonNull(provider, "provider cannot be null");
		Objects.requireNonNull(origin, "origin cannot be null");
		this.providers.compute(provider.id(), (id, existing) -> {
			if (existing != null && !mayReplace(origin, existing.origin())) {
				throw new InvalidCredentialException("id", "OAuth2 provider '" + id + "' is already registered ("
						+ existing.origin().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ")");
			}
			return new Entry(provider, origin);
		});
	}

	private static boolean mayReplace(Origin incoming, Origin existing) {
		return switch (incoming) {
			case BUILT_IN -> false;
			case PLUGIN -> existing == Origin.BUILT_IN;
			case RUNTIME -> existing == Origin.RUNTIME;
		};
	}

	/**
	 * @param id a provider id
	 * @return the provider, if registered
	 */
	public Optional<OAuth2Provider> find(String id) {
		Entry entry = (id != null) ? this.providers.get(id) : null;
		return Optional.ofNullable(entry).map(Entry::provider);
	}

	/**
	 * @param id a provider id
	 * @return whether it is registered
	 */
	public boolean contains(String id) {
		return id != null && this.providers.containsKey(id);
	}

	/**
	 * @return every provider, ordered by id
	 */
	public List<OAuth2Provider> providers() {
		return this.providers.values()
			.stream()
			.map(Entry::provider)
			.sorted(Comparator.comparing(OAuth2Provider::id))
			.toList();
	}

}
