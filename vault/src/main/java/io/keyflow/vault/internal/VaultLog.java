package io.keyflow.vault.internal;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Vault module's log messages, each with a stable code ({@code KEYFLOW-Vnnn}). They carry Vault paths,
 * key ids and statuses, never a token, a wrapped or unwrapped key or a secret value.
 */
public final class VaultLog {

	private static final Logger LOG = LoggerFactory.getLogger("io.keyflow.vault");

	private VaultLog() {
	}

	public static void servingStale(String path, Duration age) {
		LOG.warn("KEYFLOW-V001 Vault is unavailable; serving the cached copy of {} ({}s old)", path, age.toSeconds());
	}

	public static void skippedEntry(String path, String reason) {
		LOG.warn("KEYFLOW-V002 Vault secret {} is not a usable Keyflow credential and is skipped: {}", path, reason);
	}

	public static void dataKeyCreated(String keyId, String status, String transitKey) {
		LOG.info("KEYFLOW-V003 New data key {} ({}) generated and wrapped by transit key {}", keyId, status,
				transitKey);
	}

	public static void dataKeysUnwrapped(int count, String primaryKeyId) {
		LOG.info("KEYFLOW-V004 {} data key(s) unwrapped by Vault transit; primary {}", count, primaryKeyId);
	}

	public static void dataKeyRewrapped(String keyId, String version) {
		LOG.info("KEYFLOW-V005 Data key {} rewrapped under transit key version {}", keyId, version);
	}

	public static void dataKeyPromoted(String keyId) {
		LOG.info("KEYFLOW-V006 Data key {} is now the primary; reload the keyring on every node, then re-encrypt",
				keyId);
	}

	public static void connected(String address, String authentication, String namespace) {
		LOG.info("KEYFLOW-V007 Vault at {} ({} authentication{})", address, authentication,
				(namespace != null) ? ", namespace " + namespace : "");
	}

	public static void insecureHttp(String address) {
		LOG.warn("KEYFLOW-V008 ********************************************************************");
		LOG.warn("KEYFLOW-V008 keyflow.vault.allow-insecure-http=true: Keyflow talks to Vault at {} over PLAIN HTTP. "
				+ "Vault tokens, secrets and data keys cross the network unencrypted. Use an https:// address in "
				+ "production.", address);
		LOG.warn("KEYFLOW-V008 ********************************************************************");
	}

	public static void loopbackHttp(String address) {
		LOG.info("KEYFLOW-V009 Vault at {} is reached over plain http on the loopback interface (e.g. a Vault Agent "
				+ "on this host); any other http:// address is refused", address);
	}

	public static void customCa(String property, String location) {
		LOG.info("KEYFLOW-V010 Vault's https certificate is checked against the CA in {} ({})", location, property);
	}

}
