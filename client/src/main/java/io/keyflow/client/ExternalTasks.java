package io.keyflow.client;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code /api/credentials/external-tasks}: the external-task exchange, for a worker key. The worker that fetched and
 * locked an external task over {@code /engine-rest} gets the credential the task declares, while it holds the lock.
 * Every exchange is audited. (For Camunda's Java external-task client, {@code keyflow-external-task-client} does the
 * same inside a handler.)
 */
public final class ExternalTasks {

	private final Transport http;

	ExternalTasks(Transport http) {
		this.http = http;
	}

	/**
	 * @param externalTaskId the locked task
	 * @param workerId the worker id the task was locked with
	 * @return the task's credential, with its secret parts
	 * @throws io.keyflow.api.ExternalTaskNotLockedException if nobody holds the task's lock (never fetched, expired,
	 * completed)
	 * @throws io.keyflow.api.ExternalTaskLockNotOwnedException if another worker id holds it
	 * @throws io.keyflow.api.ExternalTaskNotFoundException if there is no such task in a tenant the key serves
	 * @throws io.keyflow.api.CredentialMissingException if the task declares none, or none is usable
	 * @throws io.keyflow.api.SealedCredentialException if the credential is sealed (it never leaves Keyflow)
	 */
	public ExternalTaskCredential exchange(String externalTaskId, String workerId) {
		if (externalTaskId == null || externalTaskId.isBlank() || workerId == null || workerId.isBlank()) {
			throw new IllegalArgumentException("name the external task and the worker id it was locked with");
		}
		JsonNode json = this.http.post("/api/credentials/external-tasks/" + Transport.segment(externalTaskId)
				+ "/credential", null, Map.of("workerId", workerId));
		return ExternalTaskCredential.of(externalTaskId, json);
	}

}
