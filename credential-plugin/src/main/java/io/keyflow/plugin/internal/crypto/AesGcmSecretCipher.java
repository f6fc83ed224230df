package io.keyflow.plugin.internal.crypto;

import io.keyflow.api.Keyring;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

import io.keyflow.api.DecryptionException;

/**
 * AES-256-GCM with a local {@link Keyring}: the authenticated encryption of every secret column Keyflow writes.
 * <p>
 * Ciphertext format: {@code 0x01} (version) | key id (4 bytes) | nonce (12 bytes) | ciphertext and 128-bit tag.
 * Each encryption draws a fresh random nonce; with at most 2^32 encryptions per key the chance of a nonce
 * repeating stays below NIST's 2^-32 bound, far beyond what a credential store writes. Decryption picks the
 * key by the id in the ciphertext, so rows written under an older key still decrypt while it stays in the
 * keyring.
 * <p>
 * Every decryption failure, whatever the cause, is one {@link DecryptionException} with one message.
 */
public final class AesGcmSecretCipher {

	static final byte VERSION = 0x01;

	static final int NONCE_LENGTH = 12;

	static final int TAG_BITS = 128;

	static final int HEADER_LENGTH = 1 + Keyring.KEY_ID_LENGTH + NONCE_LENGTH;

	private static final String TRANSFORMATION = "AES/GCM/NoPadding";

	// Cipher.getInstance costs more than decrypting a credential, and every task decrypts one. A Cipher is not
	// thread-safe but may be re-initialised for each decryption. Encryption (rare) gets a fresh Cipher, which
	// keeps the JDK's refusal to reuse a key and nonce pair meaningful.
	private static final ThreadLocal<Cipher> OPENING = ThreadLocal.withInitial(AesGcmSecretCipher::newCipher);

	private static final String CONTEXT = "aes-256-gcm";

	private static final byte[] NO_ASSOCIATED_DATA = new byte[0];

	// volatile: KeyflowEngine.reloadKeyring() swaps it while tasks run; each call reads it once
	private volatile Keyring keyring;

	// SecureRandom is thread-safe; one instance avoids re-seeding per call
	private final SecureRandom random = new SecureRandom();

	/**
	 * @param keyring the keys; its primary encrypts
	 */
	public AesGcmSecretCipher(Keyring keyring) {
		this.keyring = Objects.requireNonNull(keyring, "keyring cannot be null");
	}

	/**
	 * @return the id of the key new ciphertexts are made with
	 */
	public Keyring keyring() {
		return this.keyring;
	}

	public String primaryKeyId() {
		return this.keyring.primaryKeyId();
	}

	/**
	 * @return the ids of the keys in use, the primary first
	 */
	public List<String> keyIds() {
		return this.keyring.keyIds();
	}

	/**
	 * Replaces the keys, e.g. after a new primary key was added. Ciphertexts made under a key that the new
	 * keyring lacks no longer decrypt: check the stored key ids first.
	 * @param keyring the new keys; its primary encrypts from now on
	 */
	public void useKeyring(Keyring keyring) {
		this.keyring = Objects.requireNonNull(keyring, "keyring cannot be null");
	}

	public byte[] encrypt(byte[] plaintext, byte[] associatedData) {
		Objects.requireNonNull(plaintext, "plaintext cannot be null");
		byte[] nonce = new byte[NONCE_LENGTH];
		this.random.nextBytes(nonce);
		Keyring keys = this.keyring;
		byte[] sealed;
		try {
			sealed = seal(keys.primaryKey(), nonce, orEmpty(associatedData), plaintext);
		}
		catch (GeneralSecurityException ex) {
			// only a JDK without AES-GCM gets here; the cause never carries plaintext
			throw new IllegalStateException("AES/GCM encryption is not available", ex);
		}
		return ByteBuffer.allocate(HEADER_LENGTH + sealed.length)
			.put(VERSION)
			.put(HexFormat.of().parseHex(keys.primaryKeyId()))
			.put(nonce)
			.put(sealed)
			.array();
	}

	public byte[] decrypt(byte[] ciphertext, byte[] associatedData) {
		String keyId = keyIdOf(ciphertext);
		Optional<SecretKey> key = (keyId != null) ? this.keyring.key(keyId) : Optional.empty();
		if (key.isEmpty() || ciphertext.length < HEADER_LENGTH + TAG_BITS / 8) {
			throw new DecryptionException(CONTEXT);
		}
		byte[] nonce = Arrays.copyOfRange(ciphertext, 1 + Keyring.KEY_ID_LENGTH, HEADER_LENGTH);
		byte[] sealed = Arrays.copyOfRange(ciphertext, HEADER_LENGTH, ciphertext.length);
		try {
			return open(key.get(), nonce, orEmpty(associatedData), sealed);
		}
		catch (GeneralSecurityException | RuntimeException ex) {
			// AEADBadTagException and friends; the JDK releases no plaintext when the tag does not verify
			throw new DecryptionException(CONTEXT);
		}
	}

	/**
	 * @param ciphertext a ciphertext of this cipher
	 * @return the id of the key that made it, or {@code null} if it is not one of this cipher's ciphertexts
	 */
	public static String keyIdOf(byte[] ciphertext) {
		if (ciphertext == null || ciphertext.length < HEADER_LENGTH || ciphertext[0] != VERSION) {
			return null;
		}
		return HexFormat.of().formatHex(ciphertext, 1, 1 + Keyring.KEY_ID_LENGTH);
	}

	/**
	 * The raw primitive, kept apart so tests can check it against published vectors.
	 * @return ciphertext followed by the 16-byte tag
	 */
	private static Cipher newCipher() {
		try {
			return Cipher.getInstance(TRANSFORMATION);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("the JDK lacks " + TRANSFORMATION, ex);
		}
	}

	static byte[] seal(SecretKey key, byte[] nonce, byte[] associatedData, byte[] plaintext)
			throws GeneralSecurityException {
		Cipher cipher = newCipher();
		cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
		cipher.updateAAD(associatedData);
		return cipher.doFinal(plaintext);
	}

	/**
	 * The inverse of {@link #seal}.
	 * @throws javax.crypto.AEADBadTagException if the tag does not verify
	 */
	static byte[] open(SecretKey key, byte[] nonce, byte[] associatedData, byte[] ciphertextAndTag)
			throws GeneralSecurityException {
		Cipher cipher = OPENING.get();
		cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
		cipher.updateAAD(associatedData);
		return cipher.doFinal(ciphertextAndTag);
	}

	private static byte[] orEmpty(byte[] associatedData) {
		return (associatedData != null) ? associatedData : NO_ASSOCIATED_DATA;
	}

	@Override
	public String toString() {
		return "AesGcmSecretCipher[" + this.keyring + "]";
	}

}
