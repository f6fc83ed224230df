package io.keyflow.plugin;

import java.util.Objects;

import io.keyflow.api.Credential;

/**
 * An external task's credential as handed to the worker that holds the task: the credential (with its secret
 * parts, so the worker can send it) and where it was resolved. {@code toString()} shows ids only.
 *
 * @param externalTaskId the task
 * @param workerId the worker holding the task's lock
 * @param processInstanceId the task's process instance
 * @param activityId the task's activity
 * @param tenantId the tenant of the task's process definition, {@code null} for none
 * @param credential the resolved credential (refreshed if it was about to expire)
 */
public record ExternalTaskCredential(String externalTaskId, String workerId, String processInstanceId,
		String activityId, String tenantId, Credential credential) {

	public ExternalTaskCredential {
		Objects.requireNonNull(externalTaskId, "externalTaskId cannot be null");
		Objects.requireNonNull(workerId, "workerId cannot be null");
		Objects.requireNonNull(credential, "credential cannot be null");
	}

	@Override
	public String toString() {
		return "ExternalTaskCredential[externalTaskId=" + this.externalTaskId + ", workerId=" + this.workerId
				+ ", processInstanceId=" + this.processInstanceId + ", activityId=" + this.activityId + ", tenantId="
				+ this.tenantId + ", credential=" + this.credential + "]";
	}

}
