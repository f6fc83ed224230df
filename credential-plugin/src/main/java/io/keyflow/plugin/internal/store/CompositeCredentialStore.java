package io.keyflow.plugin.internal.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import io.keyflow.api.Credential;
import io.keyflow.api.CredentialInfo;
import io.keyflow.api.CredentialQuery;
import io.keyflow.api.CredentialStore;
import io.keyflow.api.ReadOnlyStoreException;
import io.keyflow.api.WritableCredentialStore;

/**
 * Asks several stores in order; the first that has a credential wins. Writes go to the first writable store; a
 * credential held by a read-only store is refused with the place where it is managed.
 */
public final class CompositeCredentialStore implements WritableCredentialStore {

	/** The name of the store that answered this thread's last lookup (a metrics tag), {@code null} for none. */
	private static final ThreadLocal<String> ANSWERED = new ThreadLocal<>();

	private final List<CredentialStore> stores = new CopyOnWriteArrayList<>();

	/**
	 * @param stores the stores in lookup order
	 */
	public CompositeCredentialStore(List<? extends CredentialStore> stores) {
		this.stores.addAll(stores);
	}

	/**
	 * @param store a store to ask after the present ones
	 */
	public void add(CredentialStore store) {
		this.stores.add(Objects.requireNonNull(store, "store cannot be null"));
	}

	/**
	 * @return the stores in lookup order
	 */
	public List<CredentialStore> stores() {
		return List.copyOf(this.stores);
	}

	@Override
	public String name() {
		return "composite";
	}

	@Override
	public boolean readOnly() {
		return this.stores.stream().allMatch(CredentialStore::readOnly);
	}

	@Override
	public String location(String tenantId, String key) {
		return this.stores.stream()
			.filter(CredentialStore::readOnly)
			.map((store) -> store.location(tenantId, key))
			.findFirst()
			.orElse("the external store that holds it");
	}

	@Override
	public boolean acceptsId(String id) {
		return this.stores.stream().anyMatch((store) -> store.acceptsId(id));
	}

	@Override
	public Optional<Credential> findById(String tenantId, String id) {
		return first((store) -> store.findById(tenantId, id));
	}

	@Override
	public Optional<Credential> findByKey(String tenantId, String key) {
		return first((store) -> store.findByKey(tenantId, key));
	}

	@Override
	public Optional<Credential> findByPrincipal(String tenantId, String principalId, String provider) {
		return first((store) -> store.findByPrincipal(tenantId, principalId, provider));
	}

	@Override
	public List<CredentialInfo> list(CredentialQuery query) {
		if (this.stores.size() == 1) {
			return this.stores.get(0).list(query);
		}
		List<CredentialInfo> all = new ArrayList<>();
		for (CredentialStore store : this.stores) {
			all.addAll(store.list(new CredentialQuery(query.tenantId(), query.principalId(), query.provider(),
					query.type(), query.key(), 0, Math.min(CredentialQuery.MAX_LIMIT, query.offset() + query.limit()))));
		}
		return all.stream().skip(query.offset()).limit(query.limit()).toList();
	}

	@Override
	public Credential save(Credential credential) {
		refuseIfHeldByReadOnlyStore(credential.tenantId(), credential.id());
		return writable().save(credential);
	}

	@Override
	public boolean delete(String tenantId, String id) {
		refuseIfHeldByReadOnlyStore(tenantId, id);
		return writable().delete(tenantId, id);
	}

	private void refuseIfHeldByReadOnlyStore(String tenantId, String id) {
		if (id == null) {
			return;
		}
		for (CredentialStore store : this.stores) {
			if (store.readOnly()) {
				Optional<Credential> held = store.findById(tenantId, id);
				if (held.isPresent()) {
					throw new ReadOnlyStoreException(store.name(), store.location(held.get().info()));
				}
			}
		}
	}

	private WritableCredentialStore writable() {
		return this.stores.stream()
			.filter(WritableCredentialStore.class::isInstance)
			.map(WritableCredentialStore.class::cast)
			.findFirst()
			.orElseThrow(() -> new ReadOnlyStoreException(name(), location(null, "<KEY>")));
	}

	private Optional<Credential> first(Function<CredentialStore, Optional<Credential>> lookup) {
		for (CredentialStore store : this.stores) {
			Optional<Credential> found = lookup.apply(store);
			if (found.isPresent()) {
				ANSWERED.set(store.name());
				return found;
			}
		}
		ANSWERED.remove();
		return Optional.empty();
	}

	/**
	 * @return the name of the store that answered the last lookup on this thread (through this store or the lookup
	 * cache in front of it), {@code null} when it found nothing
	 */
	public static String lastAnswered() {
		return ANSWERED.get();
	}

	static void answered(String store) {
		if (store != null) {
			ANSWERED.set(store);
		}
		else {
			ANSWERED.remove();
		}
	}

}
