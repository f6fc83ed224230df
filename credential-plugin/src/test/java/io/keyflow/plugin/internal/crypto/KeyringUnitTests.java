package io.keyflow.plugin.internal.crypto;

import io.keyflow.api.Keyring;
import java.security.SecureRandom;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import io.keyflow.api.KeyConfigurationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class KeyringUnitTests {

	private static final String HOW_TO = "make one with `openssl rand -base64 32` or "
			+ "`java -cp keyflow-credential-plugin-<version>.jar io.keyflow.plugin.GenerateKey`";

	// SHA-256("0"): its base64 has both '+' and '/', so the url-safe form differs
	private static final String STANDARD = "X+zrZv/IbzjZUnhsbWlsecLbwjndTpG0ZynXOif7V+k=";

	private static final String URL_SAFE_UNPADDED = "X-zrZv_IbzjZUnhsbWlsecLbwjndTpG0ZynXOif7V-k";

	@Test
	void parseWhenNullThenTellsHowToMakeAKey() {
		assertThatExceptionOfType(KeyConfigurationException.class).isThrownBy(() -> Keyring.parse(null))
			.withMessage("no encryption key configured: set KEYFLOW_ENCRYPTION_KEY (or keyflow.encryption.key) to a "
					+ "base64-encoded 32-byte AES key; " + HOW_TO);
	}

	@Test
	void parseWhenBlankThenTellsHowToMakeAKey() {
		assertThatExceptionOfType(KeyConfigurationException.class).isThrownBy(() -> Keyring.parse(" \t\n"))
			.withMessage("no encryption key configured: set KEYFLOW_ENCRYPTION_KEY (or keyflow.encryption.key) to a "
					+ "base64-encoded 32-byte AES key; " + HOW_TO);
	}

	@Test
	void parseWhenEntryNotBase64ThenNamesEntryWithoutItsContent() {
		String valid = newKey();
		String spec = valid + ", sk_live_4eC39HqLyjWDarjtT1zdp7dc!";
		assertThatExceptionOfType(KeyConfigurationException.class).isThrownBy(() -> Keyring.parse(spec))
			.withMessage("KEYFLOW_ENCRYPTION_KEY (or keyflow.encryption.key) entry 2 is not valid base64; expected a "
					+ "base64-encoded 32-byte AES key; " + HOW_TO)
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain(valid, "sk_live", "4eC39"))
			.satisfies((ex) -> assertThat(ex.getCause()).isNull());
	}

	@Test
	void parseWhenKeyCapturedWithATerminalColourCodeThenSaysSoWithoutItsContent() {
		String valid = newKey();
		assertThatExceptionOfType(KeyConfigurationException.class)
			.isThrownBy(() -> Keyring.parse(valid + "\n\u001b[0m"))
			.withMessage("KEYFLOW_ENCRYPTION_KEY (or keyflow.encryption.key) entry 1 contains a control character, "
					+ "e.g. a terminal colour code captured with the key; " + HOW_TO)
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain(valid));
	}

	@Test
	void parseWhenKeyHas16BytesThenNamesEntryAndLengthWithoutItsContent() {
		String shortKey = Base64.getEncoder().encodeToString(random(16));
		assertThatExceptionOfType(KeyConfigurationException.class).isThrownBy(() -> Keyring.parse(shortKey))
			.withMessage("KEYFLOW_ENCRYPTION_KEY (or keyflow.encryption.key) entry 1 decodes to 16 bytes; AES-256 "
					+ "needs exactly 32; " + HOW_TO)
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain(shortKey));
	}

	@Test
	void parseWhenKeyListedTwiceThenNamesBothEntries() {
		String spec = newKey() + "," + STANDARD + "," + URL_SAFE_UNPADDED;
		assertThatExceptionOfType(KeyConfigurationException.class).isThrownBy(() -> Keyring.parse(spec))
			.withMessage("KEYFLOW_ENCRYPTION_KEY (or keyflow.encryption.key) entry 3 is the same key as entry 2 "
					+ "(key id dfe7d8b4); list each key once")
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain(STANDARD, URL_SAFE_UNPADDED));
	}

	@Test
	void parseWhenTrailingCommaThenNamesTheEmptyEntry() {
		assertThatExceptionOfType(KeyConfigurationException.class).isThrownBy(() -> Keyring.parse(STANDARD + ","))
			.withMessage("KEYFLOW_ENCRYPTION_KEY (or keyflow.encryption.key) entry 2 is empty; separate keys with "
					+ "single commas and leave no trailing comma");
	}

	@Test
	void parseWhenTwoKeysThenFirstIsPrimaryAndBothDecrypt() {
		String first = newKey();
		Keyring keyring = Keyring.parse(first + "," + STANDARD);
		Keyring firstAlone = Keyring.parse(first);
		assertThat(keyring.primaryKeyId()).isEqualTo(firstAlone.primaryKeyId());
		assertThat(keyring.keyIds()).containsExactly(firstAlone.primaryKeyId(), "dfe7d8b4");
		assertThat(keyring.key("dfe7d8b4")).isPresent();
		assertThat(keyring.key("00000000")).isEmpty();
	}

	@Test
	void parseWhenUrlSafeUnpaddedOrSurroundedByWhitespaceThenSameKey() {
		Keyring standard = Keyring.parse(STANDARD);
		Keyring urlSafe = Keyring.parse("  " + URL_SAFE_UNPADDED + "\n");
		assertThat(urlSafe.primaryKeyId()).isEqualTo(standard.primaryKeyId()).isEqualTo("dfe7d8b4");
		assertThat(urlSafe.primaryKey().getEncoded()).isEqualTo(standard.primaryKey().getEncoded());
	}

	@Test
	void keyIdWhenKnownKeyThenFirstFourBytesOfHmacOfLabel() {
		// fixed: stored ciphertexts carry it, changing it would orphan every row
		assertThat(Keyring.parse("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=").primaryKeyId()).isEqualTo("227fdd1f");
		assertThat(Keyring.parse("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8").primaryKeyId()).isEqualTo("4ab9558e");
	}

	@Test
	void toStringWhenKeysThenShowsKeyIdsOnly() {
		String other = newKey();
		Keyring keyring = Keyring.parse(STANDARD + "," + other);
		assertThat(keyring.toString()).contains("dfe7d8b4")
			.doesNotContain(STANDARD, other, STANDARD.substring(0, 8), other.substring(0, 8));
	}

	static String newKey() {
		return Base64.getEncoder().encodeToString(random(32));
	}

	private static byte[] random(int length) {
		byte[] bytes = new byte[length];
		new SecureRandom().nextBytes(bytes);
		return bytes;
	}

}
