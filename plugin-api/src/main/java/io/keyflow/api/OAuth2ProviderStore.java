package io.keyflow.api;

import java.util.List;
import java.util.Optional;

/**
 * Where OAuth2 providers registered at run time are kept, so that every engine node knows them and they survive
 * a restart. Keyflow's own implementation is a table in the engine's database. Implementations must be
 * thread-safe.
 */
public interface OAuth2ProviderStore {

	/** Keeps nothing: run-time registrations live in this JVM only. */
	OAuth2ProviderStore NONE = new OAuth2ProviderStore() {

		@Override
		public void save(OAuth2Provider provider) {
		}

		@Override
		public Optional<OAuth2Provider> find(String id) {
			return Optional.empty();
		}

		@Override
		public List<OAuth2Provider> findAll() {
			return List.of();
		}

	};

	/**
	 * @param provider a provider registered at run time; replaces one with the same id
	 */
	void save(OAuth2Provider provider);

	/**
	 * @param id a provider id
	 * @return the provider registered at run time with that id, possibly on another node
	 */
	Optional<OAuth2Provider> find(String id);

	/**
	 * @return every provider registered at run time, on any node
	 */
	List<OAuth2Provider> findAll();

}
