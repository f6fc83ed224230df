package io.keyflow.plugin.internal.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

import io.keyflow.api.DecryptionException;

/**
 * How every encrypted column of Keyflow's tables is written and read: base64 of an AES-256-GCM ciphertext made by
 * the local store's cipher, bound to its row by associated data, with the key id in its own column. Plaintext
 * byte arrays are zeroed after use; every failure to decrypt is one {@link DecryptionException} naming the row,
 * never the content.
 */
public final class EncryptedColumn {

	private final AesGcmSecretCipher cipher;

	/**
	 * @param cipher the local store's cipher
	 */
	public EncryptedColumn(AesGcmSecretCipher cipher) {
		this.cipher = Objects.requireNonNull(cipher, "cipher cannot be null");
	}

	/**
	 * A value as it is stored.
	 *
	 * @param base64 the column value
	 * @param keyId the id of the key that made it, for the {@code KEY_ID_} column
	 */
	public record Sealed(String base64, String keyId) {

		@Override
		public String toString() {
			return "Sealed[keyId=" + this.keyId + "]";
		}

	}

	/**
	 * Encrypts bytes and zeroes them.
	 * @param plaintext the bytes; zeroed when this returns
	 * @param associatedData what binds the value to its row
	 * @return the column value and its key id
	 */
	public Sealed seal(byte[] plaintext, byte[] associatedData) {
		try {
			byte[] ciphertext = this.cipher.encrypt(plaintext, associatedData);
			return new Sealed(Base64.getEncoder().encodeToString(ciphertext), AesGcmSecretCipher.keyIdOf(ciphertext));
		}
		finally {
			Arrays.fill(plaintext, (byte) 0);
		}
	}

	/**
	 * @param text a UTF-8 text
	 * @param associatedData what binds the value to its row
	 * @return the column value and its key id
	 */
	public Sealed seal(String text, byte[] associatedData) {
		return seal(text.getBytes(StandardCharsets.UTF_8), associatedData);
	}

	/**
	 * @param base64 a column value made by {@link #seal}
	 * @param associatedData the same associated data as at encryption
	 * @param row what the row is, for the message, e.g. {@code credential 42}
	 * @return the plaintext; the caller zeroes it after use
	 * @throws DecryptionException naming the row, whatever the cause
	 */
	public byte[] open(String base64, byte[] associatedData, String row) {
		try {
			if (base64 == null) {
				throw new DecryptionException(row);
			}
			return this.cipher.decrypt(Base64.getDecoder().decode(base64), associatedData);
		}
		catch (DecryptionException | IllegalArgumentException ex) {
			// the same message for every cause, naming the row
			throw new DecryptionException(row);
		}
	}

	/**
	 * @param base64 a column value made by {@link #seal(String, byte[])}
	 * @param associatedData the same associated data as at encryption
	 * @param row what the row is, for the message
	 * @return the text
	 * @throws DecryptionException naming the row, whatever the cause
	 */
	public String openText(String base64, byte[] associatedData, String row) {
		byte[] plaintext = open(base64, associatedData, row);
		try {
			return new String(plaintext, StandardCharsets.UTF_8);
		}
		finally {
			Arrays.fill(plaintext, (byte) 0);
		}
	}

	/**
	 * Re-encrypts a column value under the primary key (key rotation).
	 * @param base64 the current column value
	 * @param associatedData its associated data (unchanged)
	 * @param row what the row is, for the message
	 * @return the new column value and key id
	 */
	public Sealed reseal(String base64, byte[] associatedData, String row) {
		return seal(open(base64, associatedData, row), associatedData);
	}

	/** @return the id of the key new values are sealed with */
	public String primaryKeyId() {
		return this.cipher.primaryKeyId();
	}

	@Override
	public String toString() {
		return "EncryptedColumn[" + this.cipher + "]";
	}

}
