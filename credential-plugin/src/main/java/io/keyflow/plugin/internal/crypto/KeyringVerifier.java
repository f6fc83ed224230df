package io.keyflow.plugin.internal.crypto;

import io.keyflow.api.Keyring;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.keyflow.api.KeyConfigurationException;

/**
 * The start-up key check: every key id that stored rows use must be in the keyring. Reads key ids only,
 * never decrypts.
 */
public final class KeyringVerifier {

	private KeyringVerifier() {
	}

	/**
	 * @param keyring the configured keyring
	 * @param tables every table holding ciphertexts
	 * @throws KeyConfigurationException naming the missing key ids (never key material)
	 */
	public static void verify(Keyring keyring, List<? extends EncryptedTable> tables) {
		verify(keyring.keyIds(), tables);
	}

	/**
	 * @param keyIds the ids of the keys in the keyring
	 * @param tables every table holding ciphertexts
	 * @throws KeyConfigurationException naming the missing key ids (never key material)
	 */
	public static void verify(List<String> keyIds, List<? extends EncryptedTable> tables) {
		Set<String> missing = new TreeSet<>();
		tables.forEach((table) -> missing.addAll(table.storedKeyIds()));
		missing.removeAll(keyIds);
		if (!missing.isEmpty()) {
			throw new KeyConfigurationException("stored credentials are encrypted under key id(s) "
					+ String.join(", ", missing) + " not present in KEYFLOW_ENCRYPTION_KEY (configured key id(s): "
					+ String.join(", ", keyIds) + "); wrong key? During rotation keep the old keys after "
					+ "the new one until re-encryption has finished");
		}
	}

}
