package io.keyflow.api;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;


/**
 * The AES-256 keys of the local store, parsed from {@code KEYFLOW_ENCRYPTION_KEY}: comma-separated base64 keys,
 * the first one the primary (new writes), the others decrypt only. Rotation: put the new key first, keep the
 * old ones after it until every row has been re-encrypted, then drop them.
 * <p>
 * Each key has an id: 8 lowercase hex characters, the first 4 bytes of
 * {@code HMAC-SHA256(key, "keyflow key id v1")}. Ciphertexts carry it, and it doubles as a key check value: a
 * wrong key has a different id, which is how a start-up check spots it without decrypting anything.
 * <p>
 * Security: messages and {@link #toString()} show key ids and entry positions, never key material.
 */
public final class Keyring {

	/** Length of an AES-256 key. */
	public static final int KEY_LENGTH = 32;

	/** Length of a key id in a ciphertext (raw bytes; 8 hex characters as text). */
	public static final int KEY_ID_LENGTH = 4;

	private static final byte[] KEY_ID_LABEL = "keyflow key id v1".getBytes(StandardCharsets.US_ASCII);

	private static final String HOW_TO_MAKE_A_KEY = "make one with `openssl rand -base64 32` or "
			+ "`java -cp keyflow-credential-plugin-<version>.jar io.keyflow.plugin.GenerateKey`";

	private static final String WHERE = "KEYFLOW_ENCRYPTION_KEY (or keyflow.encryption.key)";

	private final Map<String, SecretKey> keys;

	private final String primaryKeyId;

	private Keyring(Map<String, SecretKey> keys) {
		this.keys = Collections.unmodifiableMap(keys);
		this.primaryKeyId = keys.keySet().iterator().next();
	}

	/**
	 * @param spec the value of {@code KEYFLOW_ENCRYPTION_KEY}: one or more base64 (standard or url-safe,
	 * padding optional) 32-byte keys separated by commas, the primary first; whitespace around entries is
	 * ignored
	 * @return the keyring
	 * @throws KeyConfigurationException if the spec is missing or blank, an entry is empty, not base64 or not
	 * 32 bytes, or a key is listed twice; the message names the entry by position, never its content
	 */
	public static Keyring parse(String spec) {
		if (spec == null || spec.isBlank()) {
			throw new KeyConfigurationException("no encryption key configured: set " + WHERE
					+ " to a base64-encoded 32-byte AES key; " + HOW_TO_MAKE_A_KEY);
		}
		String[] entries = spec.split(",", -1);
		Map<String, SecretKey> keys = new LinkedHashMap<>();
		Map<String, Integer> positions = new LinkedHashMap<>();
		for (int i = 0; i < entries.length; i++) {
			int position = i + 1;
			byte[] material = decode(entries[i].trim(), position);
			String keyId = keyIdOf(material);
			SecretKey key = new SecretKeySpec(material, "AES");
			Arrays.fill(material, (byte) 0);
			Integer first = positions.putIfAbsent(keyId, position);
			if (first != null) {
				throw new KeyConfigurationException(WHERE + " entry " + position + " is the same key as entry "
						+ first + " (key id " + keyId + "); list each key once");
			}
			keys.put(keyId, key);
		}
		return new Keyring(keys);
	}

	private static byte[] decode(String entry, int position) {
		if (entry.isEmpty()) {
			throw new KeyConfigurationException(WHERE + " entry " + position
					+ " is empty; separate keys with single commas and leave no trailing comma");
		}
		if (entry.chars().anyMatch(Character::isISOControl)) {
			// typically ESC[0m: Maven's console appends a colour reset to captured output, $(mvn -q ...)
			throw new KeyConfigurationException(WHERE + " entry " + position
					+ " contains a control character, e.g. a terminal colour code captured with the key; "
					+ HOW_TO_MAKE_A_KEY);
		}
		byte[] material;
		try {
			// one alphabet per entry: a mix of '+' and '-' is a typo, not a key
			boolean urlSafe = entry.indexOf('-') >= 0 || entry.indexOf('_') >= 0;
			material = (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(entry);
		}
		catch (IllegalArgumentException ex) {
			// the JDK's message quotes the offending character: not passed on
			throw new KeyConfigurationException(WHERE + " entry " + position
					+ " is not valid base64; expected a base64-encoded 32-byte AES key; " + HOW_TO_MAKE_A_KEY);
		}
		if (material.length != KEY_LENGTH) {
			int length = material.length;
			Arrays.fill(material, (byte) 0);
			throw new KeyConfigurationException(WHERE + " entry " + position + " decodes to " + length
					+ " bytes; AES-256 needs exactly " + KEY_LENGTH + "; " + HOW_TO_MAKE_A_KEY);
		}
		return material;
	}

	private static String keyIdOf(byte[] material) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(material, "HmacSHA256"));
			byte[] digest = mac.doFinal(KEY_ID_LABEL);
			return HexFormat.of().formatHex(digest, 0, KEY_ID_LENGTH);
		}
		catch (GeneralSecurityException ex) {
			// HmacSHA256 is mandatory in every JDK
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}

	/**
	 * @return the id of the key that encrypts new writes
	 */
	public String primaryKeyId() {
		return this.primaryKeyId;
	}

	/**
	 * @return the primary key
	 */
	public SecretKey primaryKey() {
		return this.keys.get(this.primaryKeyId);
	}

	/**
	 * @param keyId a key id (8 lowercase hex characters)
	 * @return the key with that id, if it is in the keyring
	 */
	public Optional<SecretKey> key(String keyId) {
		return Optional.ofNullable(this.keys.get(keyId));
	}

	/**
	 * @return every key id, the primary first, then in configuration order
	 */
	public List<String> keyIds() {
		return List.copyOf(this.keys.keySet());
	}

	/**
	 * @param decryptOnly older keys, e.g. {@code KEYFLOW_ENCRYPTION_KEY} while moving to Vault transit data keys
	 * @return a keyring with this keyring's keys (and primary) followed by those of {@code decryptOnly} that it
	 * lacks, which then only decrypt
	 */
	public Keyring withDecryptOnly(Keyring decryptOnly) {
		Map<String, SecretKey> combined = new LinkedHashMap<>(this.keys);
		decryptOnly.keys.forEach(combined::putIfAbsent);
		return new Keyring(combined);
	}

	/**
	 * @return the key ids only
	 */
	@Override
	public String toString() {
		return "Keyring[primary=" + this.primaryKeyId + ", keyIds=" + this.keys.keySet() + "]";
	}

}
