package io.keyflow.plugin.internal.crypto;

import io.keyflow.api.Keyring;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.keyflow.api.DecryptionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class AesGcmSecretCipherUnitTests {

	private static final String FAILED = "decryption failed (aes-256-gcm)";

	private static final byte[] PLAINTEXT = "{\"apiKey\":\"sk_live_0123456789\"}".getBytes(StandardCharsets.UTF_8);

	private static final byte[] AAD = "keyflow/credential/v1|id-1|acme".getBytes(StandardCharsets.UTF_8);

	private final String keyA = KeyringUnitTests.newKey();

	private final AesGcmSecretCipher cipher = new AesGcmSecretCipher(Keyring.parse(this.keyA));

	record Vector(String name, byte[] key, byte[] iv, byte[] aad, byte[] plaintext, byte[] ciphertextAndTag) {

		@Override
		public String toString() {
			return this.name;
		}

	}

	static List<Vector> vectors() throws Exception {
		try (InputStream in = AesGcmSecretCipherUnitTests.class.getResourceAsStream("/vectors/aes-256-gcm.json")) {
			HexFormat hex = HexFormat.of();
			List<Vector> vectors = new ArrayList<>();
			for (JsonNode node : new ObjectMapper().readTree(in).get("cases")) {
				vectors.add(new Vector(node.get("name").asText(), hex.parseHex(node.get("key").asText()),
						hex.parseHex(node.get("iv").asText()), hex.parseHex(node.get("aad").asText()),
						hex.parseHex(node.get("plaintext").asText()),
						hex.parseHex(node.get("ciphertextAndTag").asText())));
			}
			assertThat(vectors).hasSize(4);
			return vectors;
		}
	}

	@ParameterizedTest
	@MethodSource("vectors")
	void sealWhenPublishedVectorThenExpectedCiphertextAndTag(Vector vector) throws Exception {
		SecretKey key = new SecretKeySpec(vector.key(), "AES");
		assertThat(AesGcmSecretCipher.seal(key, vector.iv(), vector.aad(), vector.plaintext()))
			.isEqualTo(vector.ciphertextAndTag());
	}

	@ParameterizedTest
	@MethodSource("vectors")
	void openWhenPublishedVectorThenPlaintext(Vector vector) throws Exception {
		SecretKey key = new SecretKeySpec(vector.key(), "AES");
		assertThat(AesGcmSecretCipher.open(key, vector.iv(), vector.aad(), vector.ciphertextAndTag()))
			.isEqualTo(vector.plaintext());
	}

	@Test
	void decryptWhenEncryptedThenPlaintext() {
		assertThat(this.cipher.decrypt(this.cipher.encrypt(PLAINTEXT, AAD), AAD)).isEqualTo(PLAINTEXT);
	}

	@Test
	void decryptWhenEmptyPlaintextThenEmpty() {
		assertThat(this.cipher.decrypt(this.cipher.encrypt(new byte[0], AAD), AAD)).isEmpty();
	}

	@Test
	void encryptThenVersionKeyIdNonceCiphertextAndTag() {
		byte[] ciphertext = this.cipher.encrypt(PLAINTEXT, AAD);
		assertThat(ciphertext).hasSize(1 + 4 + 12 + PLAINTEXT.length + 16);
		assertThat(ciphertext[0]).isEqualTo((byte) 0x01);
		assertThat(AesGcmSecretCipher.keyIdOf(ciphertext)).isEqualTo(this.cipher.primaryKeyId());
		assertThat(new String(ciphertext, StandardCharsets.ISO_8859_1)).doesNotContain("sk_live");
	}

	@Test
	void encryptWhenSamePlaintextTwiceThenDifferentNonceAndCiphertext() {
		byte[] first = this.cipher.encrypt(PLAINTEXT, AAD);
		byte[] second = this.cipher.encrypt(PLAINTEXT, AAD);
		assertThat(Arrays.copyOfRange(first, 5, 17)).isNotEqualTo(Arrays.copyOfRange(second, 5, 17));
		assertThat(first).isNotEqualTo(second);
	}

	@Test
	void decryptWhenAnyByteFlippedThenDecryptionException() {
		byte[] ciphertext = this.cipher.encrypt(PLAINTEXT, AAD);
		for (int i = 0; i < ciphertext.length; i++) {
			for (int bit = 0; bit < 8; bit += 7) {
				byte[] tampered = ciphertext.clone();
				tampered[i] ^= (byte) (1 << bit);
				assertThatExceptionOfType(DecryptionException.class)
					.as("byte %d bit %d", i, bit)
					.isThrownBy(() -> this.cipher.decrypt(tampered, AAD))
					.withMessage(FAILED);
			}
		}
	}

	@Test
	void decryptWhenTruncatedOrExtendedThenDecryptionException() {
		byte[] ciphertext = this.cipher.encrypt(PLAINTEXT, AAD);
		for (int length = 0; length < ciphertext.length; length++) {
			byte[] truncated = Arrays.copyOf(ciphertext, length);
			assertThatExceptionOfType(DecryptionException.class).as("length %d", length)
				.isThrownBy(() -> this.cipher.decrypt(truncated, AAD))
				.withMessage(FAILED);
		}
		byte[] extended = Arrays.copyOf(ciphertext, ciphertext.length + 1);
		assertThatExceptionOfType(DecryptionException.class).isThrownBy(() -> this.cipher.decrypt(extended, AAD))
			.withMessage(FAILED);
	}

	@Test
	void decryptWhenNullThenDecryptionException() {
		assertThatExceptionOfType(DecryptionException.class).isThrownBy(() -> this.cipher.decrypt(null, AAD))
			.withMessage(FAILED);
	}

	@Test
	void decryptWhenOtherAssociatedDataThenDecryptionException() {
		byte[] ciphertext = this.cipher.encrypt(PLAINTEXT, AAD);
		byte[] otherRow = "keyflow/credential/v1|id-2|acme".getBytes(StandardCharsets.UTF_8);
		assertThatExceptionOfType(DecryptionException.class)
			.isThrownBy(() -> this.cipher.decrypt(ciphertext, otherRow))
			.withMessage(FAILED);
		assertThatExceptionOfType(DecryptionException.class).isThrownBy(() -> this.cipher.decrypt(ciphertext, null))
			.withMessage(FAILED);
	}

	@Test
	void decryptWhenKeyIdUnknownThenSameDecryptionException() {
		byte[] ciphertext = this.cipher.encrypt(PLAINTEXT, AAD);
		AesGcmSecretCipher otherKey = new AesGcmSecretCipher(Keyring.parse(KeyringUnitTests.newKey()));
		assertThatExceptionOfType(DecryptionException.class).isThrownBy(() -> otherKey.decrypt(ciphertext, AAD))
			.withMessage(FAILED);
	}

	@Test
	void decryptWhenSameKeyIdButOtherKeyMaterialThenDecryptionException() {
		// a forged key id must not make the wrong key "fit"
		byte[] ciphertext = this.cipher.encrypt(PLAINTEXT, AAD);
		AesGcmSecretCipher otherKey = new AesGcmSecretCipher(Keyring.parse(KeyringUnitTests.newKey()));
		byte[] relabelled = ciphertext.clone();
		System.arraycopy(HexFormat.of().parseHex(otherKey.primaryKeyId()), 0, relabelled, 1, 4);
		assertThatExceptionOfType(DecryptionException.class).isThrownBy(() -> otherKey.decrypt(relabelled, AAD))
			.withMessage(FAILED);
	}

	@Test
	void decryptWhenWrittenUnderOlderKeyStillInKeyringThenPlaintext() {
		byte[] ciphertext = this.cipher.encrypt(PLAINTEXT, AAD);
		AesGcmSecretCipher rotated = new AesGcmSecretCipher(Keyring.parse(KeyringUnitTests.newKey() + "," + this.keyA));
		assertThat(rotated.decrypt(ciphertext, AAD)).isEqualTo(PLAINTEXT);
		assertThat(AesGcmSecretCipher.keyIdOf(rotated.encrypt(PLAINTEXT, AAD))).isEqualTo(rotated.primaryKeyId())
			.isNotEqualTo(this.cipher.primaryKeyId());
	}

	@Test
	void keyIdOfWhenNotACiphertextThenNull() {
		assertThat(AesGcmSecretCipher.keyIdOf(null)).isNull();
		assertThat(AesGcmSecretCipher.keyIdOf(new byte[16])).isNull();
		byte[] wrongVersion = this.cipher.encrypt(PLAINTEXT, AAD);
		wrongVersion[0] = 0x02;
		assertThat(AesGcmSecretCipher.keyIdOf(wrongVersion)).isNull();
	}

	@Test
	void toStringThenNoKeyMaterial() {
		assertThat(this.cipher.toString()).contains(this.cipher.primaryKeyId()).doesNotContain(this.keyA);
	}

}
