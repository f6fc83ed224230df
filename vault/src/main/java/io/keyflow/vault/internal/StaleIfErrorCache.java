package io.keyflow.vault.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import io.keyflow.vault.VaultUnavailableException;

/**
 * A read-through cache of Vault answers by path. An entry is fresh for {@code ttl}; after that the next
 * caller reloads it (one caller per path at a time, the others wait for its answer). When the reload fails
 * with {@link VaultUnavailableException}, the old value is served until it is {@code ttl + staleIfError}
 * old, then the failure goes through. Other failures (e.g. permission denied) are never masked: a revoked
 * policy takes effect at once. Answers that Vault did not give (failures) are never cached.
 *
 * @param <T> the cached value; "not found" is a value too, so an absent credential costs no request per task
 */
public final class StaleIfErrorCache<T> {

	private final ConcurrentHashMap<String, Slot<T>> slots = new ConcurrentHashMap<>();

	private final Duration ttl;

	private final Duration staleIfError;

	private final Clock clock;

	/**
	 * @param ttl how long an answer is used without asking Vault again
	 * @param staleIfError how long past {@code ttl} an answer may stand in while Vault is unavailable
	 * @param clock the time source
	 */
	public StaleIfErrorCache(Duration ttl, Duration staleIfError, Clock clock) {
		this.ttl = requireNotNegative(ttl, "ttl");
		this.staleIfError = requireNotNegative(staleIfError, "staleIfError");
		this.clock = Objects.requireNonNull(clock, "clock cannot be null");
	}

	private static Duration requireNotNegative(Duration duration, String name) {
		Objects.requireNonNull(duration, name + " cannot be null");
		if (duration.isNegative()) {
			throw new IllegalArgumentException(name + " cannot be negative");
		}
		return duration;
	}

	/**
	 * @param path the Vault path, the cache key
	 * @param loader asks Vault; throws {@link VaultUnavailableException} when Vault is unavailable
	 * @return the fresh value, a freshly loaded one, or while Vault is unavailable a stale one
	 * @throws VaultUnavailableException if Vault is unavailable and no value young enough is cached
	 */
	public T get(String path, Supplier<T> loader) {
		Slot<T> slot = this.slots.computeIfAbsent(path, (key) -> new Slot<>());
		Entry<T> entry = slot.entry;
		if (entry != null && isFresh(entry, this.clock.instant())) {
			return entry.value();
		}
		slot.lock.lock();
		try {
			entry = slot.entry;
			Instant now = this.clock.instant();
			if (entry != null && isFresh(entry, now)) {
				return entry.value();
			}
			T value;
			try {
				value = loader.get();
			}
			catch (VaultUnavailableException ex) {
				if (entry != null && now.isBefore(entry.loadedAt().plus(this.ttl).plus(this.staleIfError))) {
					VaultLog.servingStale(path, Duration.between(entry.loadedAt(), now));
					return entry.value();
				}
				if (entry != null) {
					throw new VaultUnavailableException(ex.getMessage() + "; the cached copy is "
							+ Duration.between(entry.loadedAt(), now).toSeconds() + "s old, past cache-ttl ("
							+ this.ttl.toSeconds() + "s) + stale-if-error (" + this.staleIfError.toSeconds() + "s)",
							ex.getPath(), ex.getStatus(), ex.getCause());
				}
				throw ex;
			}
			slot.entry = new Entry<>(value, now);
			return value;
		}
		finally {
			slot.lock.unlock();
		}
	}

	/**
	 * Forgets every cached answer.
	 */
	public void clear() {
		this.slots.clear();
	}

	private boolean isFresh(Entry<T> entry, Instant now) {
		return now.isBefore(entry.loadedAt().plus(this.ttl));
	}

	private static final class Slot<T> {

		private final ReentrantLock lock = new ReentrantLock();

		private volatile Entry<T> entry;

	}

	private record Entry<T>(T value, Instant loadedAt) {

		@Override
		public String toString() {
			// the value may be a credential; its own toString redacts, but keep the cache out of it altogether
			return "Entry[loadedAt=" + this.loadedAt + "]";
		}

	}

	@Override
	public String toString() {
		return "StaleIfErrorCache[ttl=" + this.ttl + ", staleIfError=" + this.staleIfError + ", paths="
				+ this.slots.size() + "]";
	}

}
