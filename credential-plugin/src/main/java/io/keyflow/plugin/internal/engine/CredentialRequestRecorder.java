package io.keyflow.plugin.internal.engine;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import org.springframework.dao.DataAccessException;

import io.keyflow.api.CredentialInfo;
import io.keyflow.api.CredentialQuery;
import io.keyflow.api.CredentialStatus;
import io.keyflow.api.CredentialRequirement;
import io.keyflow.plugin.CredentialRequest;
import io.keyflow.plugin.internal.KeyflowLog;
import io.keyflow.plugin.internal.request.CredentialRequestTable;

import org.camunda.bpm.engine.delegate.DelegateExecution;

/**
 * Turns a task's failure to get its credential into a credential request, linked to the failing job, and says
 * where to fulfil it. The request is written in a transaction of its own, so it survives the rollback of the
 * task's transaction; the engine then fails the job (retries, and finally an incident) as before.
 */
public final class CredentialRequestRecorder {

	/** What a task tells when no request could be recorded (or recording is off). */
	static final String NO_REQUEST = "Store or connect the credential in Keyflow, then retry the job.";

	private final CredentialRequestTable table;

	private final String publicUrl;

	private final Function<CredentialQuery, List<CredentialInfo>> credentials;

	/**
	 * @param table the request table
	 * @param publicUrl {@code keyflow.public-url}, or {@code null}
	 * @param credentials lists the clear part of local credentials
	 */
	public CredentialRequestRecorder(CredentialRequestTable table, String publicUrl,
			Function<CredentialQuery, List<CredentialInfo>> credentials) {
		this.table = Objects.requireNonNull(table, "table cannot be null");
		this.publicUrl = (publicUrl != null && publicUrl.endsWith("/"))
				? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
		this.credentials = Objects.requireNonNull(credentials, "credentials cannot be null");
	}

	/**
	 * Records what a task wanted: the credential it looked up (by its key, else by provider and principal). When
	 * that credential exists but needs re-authorisation, the request asks for that.
	 * @return the last sentence of the task's failure message: the request id and the link to fulfil it
	 */
	String recordMissing(DelegateExecution execution, TaskCredentialBinding binding, CredentialRequirement requirement,
			String tenantId, String principalId, String key) {
		String provider = (key != null) ? null : requirement.provider();
		Optional<CredentialInfo> stale = this.credentials
			.apply(new CredentialQuery(tenantId, (key != null) ? null : principalId, provider, null, key, 0, 1))
			.stream()
			.filter((info) -> info.status() == CredentialStatus.NEEDS_REAUTHORIZATION)
			.findFirst();
		return record(execution, binding, new CredentialRequestTable.Wanted(tenantId,
				stale.isPresent() ? CredentialRequest.Kind.REAUTHORIZE : CredentialRequest.Kind.MISSING, key, provider,
				principalId, stale.map(CredentialInfo::id).orElse(null), requirement.acceptedTypes(),
				requirement.scopes(), EngineInternals.processDefinitionKey(execution), binding.activityId(),
				binding.description(), binding.obtain()));
	}

	private String record(DelegateExecution execution, TaskCredentialBinding binding,
			CredentialRequestTable.Wanted wanted) {
		String jobId = EngineInternals.currentJobId(execution);
		String id;
		try {
			id = this.table.open(wanted, jobId, execution.getProcessInstanceId());
		}
		catch (DataAccessException ex) {
			// the task fails anyway; a request that could not be written must not hide why
			KeyflowLog.credentialRequestNotRecorded(binding.activityId(), ex.getClass().getName());
			return NO_REQUEST;
		}
		KeyflowLog.credentialRequestRecorded(id, binding.activityId(), jobId);
		StringBuilder text = new StringBuilder("Keyflow credential request ").append(id);
		if (this.publicUrl != null) {
			text.append(": fulfil it at ").append(this.publicUrl).append("/keyflow/#requests/").append(id);
		}
		text.append(" (the job resumes by itself once it is fulfilled).");
		return text.toString();
	}

}
