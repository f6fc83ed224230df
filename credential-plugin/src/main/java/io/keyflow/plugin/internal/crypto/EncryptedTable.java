package io.keyflow.plugin.internal.crypto;

import java.util.Map;
import java.util.Set;

/**
 * A table holding ciphertexts of the local keyring, with each row's key id in clear: what the start-up key
 * check and re-encryption after a key rotation work on.
 */
public interface EncryptedTable {

	/**
	 * @return the key ids that rows still in use were encrypted under
	 */
	Set<String> storedKeyIds();

	/**
	 * @return for each kind of row this table holds (e.g. {@code credentials}), how many rows in use each key id
	 * encrypts
	 */
	Map<String, Map<String, Integer>> rowsByKeyId();

	/**
	 * Moves up to {@code batchSize} rows not under the primary key to the primary key.
	 * @param batchSize at most how many rows to move
	 * @return how many rows were moved; {@code 0} when none is left
	 */
	int reEncrypt(int batchSize);

}
