package io.keyflow.plugin;

import java.time.Instant;
import java.util.Objects;

/**
 * The identity a process instance's tasks resolve per-user credentials for, as Keyflow recorded it: once, when
 * the root process instance started, in Keyflow's own table. Called processes and subprocesses share their
 * root's principal. No process variable, task completion, message or modification changes it; only
 * {@link ProcessPrincipalService#reassign} does.
 *
 * @param rootProcessInstanceId the root process instance the principal belongs to
 * @param principalId the principal, or {@code null} when the process has none (tasks then use tenant defaults)
 * @param source how the principal was determined
 * @param recordedAt when it was recorded or last reassigned
 * @param changedBy who reassigned it, or {@code null} when it was recorded at start
 */
public record ProcessPrincipal(String rootProcessInstanceId, String principalId, Source source, Instant recordedAt,
		String changedBy) {

	public ProcessPrincipal {
		Objects.requireNonNull(rootProcessInstanceId, "rootProcessInstanceId cannot be null");
		Objects.requireNonNull(source, "source cannot be null");
		Objects.requireNonNull(recordedAt, "recordedAt cannot be null");
	}

	/**
	 * How a principal was determined.
	 */
	public enum Source {

		/** The user authenticated with the engine when the root instance started. */
		AUTHENTICATED_USER,

		/** No user was authenticated: the principal variable as trusted code passed it at start. */
		START_VARIABLE,

		/** No user was authenticated and no principal was given (or they are not taken from variables). */
		NONE,

		/**
		 * The instance started before Keyflow recorded principals: its principal variable, taken once, at its
		 * first credential-declaring task after the upgrade.
		 */
		ADOPTED,

		/** Set by an administrator with {@link ProcessPrincipalService#reassign}. */
		REASSIGNED

	}

}
