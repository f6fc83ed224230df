package io.keyflow.plugin.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keyflow's log messages, each with a stable code ({@code KEYFLOW-Cnnn}) an operator can search for.
 * Messages carry ids, keys, providers and tenants, never a secret value.
 */
public final class KeyflowLog {

	private static final Logger ENGINE = LoggerFactory.getLogger("io.keyflow.engine");

	private static final Logger OAUTH2 = LoggerFactory.getLogger("io.keyflow.oauth2");

	private static final Logger STORE = LoggerFactory.getLogger("io.keyflow.store");

	private KeyflowLog() {
	}

	public static void pluginRegistered(String plugin) {
		ENGINE.info("KEYFLOW-E001 Keyflow plugin {} initialised", plugin);
	}

	public static void taskBound(String activityId, String requirement) {
		ENGINE.debug("KEYFLOW-E002 Task {} declares {}", activityId, requirement);
	}

	public static void credentialResolved(String activityId, String credentialId, String key, String tenantId) {
		ENGINE.debug("KEYFLOW-E003 Task {} gets credential {} (key {}, tenant {})", activityId, credentialId, key,
				tenantId);
	}

	public static void optionalCredentialMissing(String activityId, String reasons) {
		ENGINE.info("KEYFLOW-E004 Task {} runs without its optional credential: {}", activityId, reasons);
	}

	public static void requiredCredentialMissing(String message) {
		ENGINE.warn("KEYFLOW-E005 {}", message);
	}

	public static void credentialRequestRecorded(String requestId, String activityId, String jobId) {
		ENGINE.info("KEYFLOW-E020 Task {} waits on credential request {} (job {})", activityId, requestId, jobId);
	}

	public static void credentialRequestNotRecorded(String activityId, String failure) {
		ENGINE.warn("KEYFLOW-E021 Task {} failed and no credential request could be recorded: {}", activityId, failure);
	}

	public static void credentialRequestClosed(String requestId, String status, int resumedJobs) {
		ENGINE.info("KEYFLOW-E022 Credential request {} {}; {} waiting jobs resume", requestId, status, resumedJobs);
	}

	public static void externalTaskCredential(String activityId, String externalTaskId, String workerId,
			String credentialId, String key, String tenantId) {
		ENGINE.debug("KEYFLOW-E023 External task {} ({}) hands credential {} (key {}, tenant {}) to worker {}",
				activityId, externalTaskId, credentialId, key, tenantId, workerId);
	}

	public static void tokenRefreshed(String credentialId, String key, String provider, java.time.Instant expiresAt) {
		OAUTH2.info("KEYFLOW-O001 Refreshed OAuth2 credential {} (key {}, provider {}); new token expires at {}",
				credentialId, key, provider, expiresAt);
	}

	public static void reauthorizationRequired(String credentialId, String key, String provider, String tenantId) {
		OAUTH2.warn("KEYFLOW-O002 OAuth2 credential {} (key {}, provider {}, tenant {}) was refused by the provider "
				+ "(invalid_grant) and is marked NEEDS_REAUTHORIZATION; connect the account again", credentialId, key,
				provider, tenantId);
	}

	public static void connected(String credentialId, String key, String provider, String tenantId) {
		OAUTH2.info("KEYFLOW-O003 Connected OAuth2 credential {} (key {}, provider {}, tenant {})", credentialId, key,
				provider, tenantId);
	}

	public static void stateRejected(String reason) {
		OAUTH2.warn("KEYFLOW-O004 OAuth2 callback rejected: {}", reason);
	}

	public static void principalOverridden(String processDefinitionId, String variable, String authenticatedUserId) {
		ENGINE.warn("KEYFLOW-E007 A process of {} was started by '{}' with another value in '{}'; the authenticated "
				+ "user is the principal", processDefinitionId, authenticatedUserId, variable);
	}

	public static void principalVariableRejected(String processDefinitionId, String variable) {
		ENGINE.warn("KEYFLOW-E008 A process of {} was started without an authenticated user and with a value in '{}' "
				+ "that is not a principal id (a text of 1 to 255 characters without control characters); the "
				+ "process has no principal", processDefinitionId, variable);
	}

	public static void principalVariableIgnored(String processInstanceId, String activityId, String variable) {
		ENGINE.warn("KEYFLOW-E009 Process instance {} holds another value in '{}' than the principal Keyflow recorded "
				+ "at its start; task {} resolves for the recorded principal and the variable is ignored",
				processInstanceId, variable, activityId);
	}

	public static void principalOfAsynchronousStartUnknown(String processDefinitionId, String variable) {
		ENGINE.warn("KEYFLOW-E014 A process of {} has an asynchronous start event and no user authenticated at its "
				+ "start is known to the engine (started without one, or no history is kept); the process has no "
				+ "principal and '{}' is not read, as anybody may have written it before the start event's job ran",
				processDefinitionId, variable);
	}

	public static void principalAdopted(String rootProcessInstanceId, String variable, String principalId) {
		ENGINE.warn("KEYFLOW-E010 Process instance {} started before Keyflow recorded principals; its principal is "
				+ "taken once from '{}' ({}) and recorded", rootProcessInstanceId, variable,
				(principalId != null) ? "'" + principalId + "'" : "none");
	}

	public static void principalReassigned(String rootProcessInstanceId, String before, String after, String actor) {
		ENGINE.warn("KEYFLOW-E011 The principal of process instance {} was reassigned by '{}' from {} to {}",
				rootProcessInstanceId, actor, (before != null) ? "'" + before + "'" : "none",
				(after != null) ? "'" + after + "'" : "none");
	}

	public static void principalsRemoved(int count) {
		ENGINE.debug("KEYFLOW-E012 Removed {} principal records of process instances whose history is gone", count);
	}

	public static void schemaReady(String product) {
		STORE.info("KEYFLOW-S001 Keyflow tables ready on {}", product);
	}

	public static void keyringLoaded(String keyring) {
		STORE.info("KEYFLOW-S002 Encryption keyring loaded: {}", keyring);
	}

	public static void bindingsUpgraded(int count) {
		STORE.info("KEYFLOW-S004 Bound {} credentials written before 0.2 to every column that decides their use "
				+ "(0.1's allowedHosts metadata moved into their allowedOrigins)", count);
	}

	public static void reEncrypted(int count, String primaryKeyId) {
		STORE.info("KEYFLOW-S003 Re-encrypted {} credentials under key {}", count, primaryKeyId);
	}

	public static void keyOperationStarted(String kind, String node) {
		STORE.info("KEYFLOW-S005 Key operation {} started on {}", kind, node);
	}

	public static void keyOperationFinished(String kind, long processed) {
		STORE.info("KEYFLOW-S006 Key operation {} finished: {} moved", kind, processed);
	}

	public static void keyOperationFailed(String kind, String reason) {
		STORE.error("KEYFLOW-S007 Key operation {} failed: {}", kind, reason);
	}

	public static void keyOperationLost(String kind, String node) {
		STORE.warn("KEYFLOW-S008 Key operation {} on {} stopped: another node took it over after its lease ran out",
				kind, node);
	}

}
