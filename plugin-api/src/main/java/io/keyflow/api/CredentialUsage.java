package io.keyflow.api;

import java.time.Instant;

/**
 * How tasks have used a credential: counted by each engine node in memory and written every
 * {@code keyflow.usage.flush-interval}, so the figures lag by at most that interval. Never a secret.
 *
 * @param useCount how many times a task was given the credential
 * @param lastUsedAt when a task was last given it; {@code null} if never
 * @param lastProcessDefinitionKey the key of the process definition of the task that last used it; {@code null} if
 * never
 */
public record CredentialUsage(long useCount, Instant lastUsedAt, String lastProcessDefinitionKey) {

	/** Never used (or not since usage is recorded). */
	public static final CredentialUsage NEVER = new CredentialUsage(0, null, null);

	public CredentialUsage {
		if (useCount < 0) {
			throw new IllegalArgumentException("useCount cannot be negative");
		}
	}

}
