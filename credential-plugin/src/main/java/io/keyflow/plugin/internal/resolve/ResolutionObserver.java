package io.keyflow.plugin.internal.resolve;

import io.keyflow.api.Credential;

/**
 * Told of every resolution of a task's credential: meters, usage counts, the use audit event. Must be cheap: it runs
 * on every task.
 */
public interface ResolutionObserver {

	/** Observes nothing. */
	ResolutionObserver NONE = new ResolutionObserver() {
	};

	/**
	 * @param credential the credential the task gets
	 * @param store the name of the store that held it ({@code null} when unknown)
	 * @param principalId the process's principal, or {@code null}
	 * @param processDefinitionKey the key of the task's process definition
	 * @param nanos how long the resolution took
	 */
	default void resolved(Credential credential, String store, String principalId, String processDefinitionKey,
			long nanos) {
	}

	/**
	 * @param required whether the task needed it (and fails)
	 * @param nanos how long the resolution took
	 */
	default void missing(boolean required, long nanos) {
	}

	/**
	 * @param failure why the resolution failed
	 * @param nanos how long it took
	 */
	default void failed(RuntimeException failure, long nanos) {
	}

}
