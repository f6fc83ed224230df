package io.keyflow.plugin.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keyflow's log messages, each with a stable code ({@code KEYFLOW-Cnnn}) an operator can search for.
 * Messages carry ids, keys, providers and tenants, never a secret value.
 */
public final class KeyflowLog {

	private static final Logger ENGINE = LoggerFactory.getLogger("io.keyflow.engine");

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

	public static void externalTaskIgnored(String activityId) {
		ENGINE.warn("KEYFLOW-E006 Task {} is an external task; Keyflow cannot hand a credential to an external "
				+ "worker, its credential.* properties are ignored", activityId);
	}

	public static void schemaReady(String product) {
		STORE.info("KEYFLOW-S001 Keyflow tables ready on {}", product);
	}

	public static void keyringLoaded(String keyring) {
		STORE.info("KEYFLOW-S002 Encryption keyring loaded: {}", keyring);
	}

	public static void reEncrypted(int count, String primaryKeyId) {
		STORE.info("KEYFLOW-S003 Re-encrypted {} credentials under key {}", count, primaryKeyId);
	}

}
