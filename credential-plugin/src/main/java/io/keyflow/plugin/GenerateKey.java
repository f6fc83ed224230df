package io.keyflow.plugin;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Prints a fresh random AES-256 key, base64-encoded, for {@code KEYFLOW_ENCRYPTION_KEY}:
 * <pre>
 * java -cp keyflow-credential-plugin-&lt;version&gt;.jar io.keyflow.plugin.GenerateKey
 * </pre>
 * It needs nothing but the JDK and this class. Do not capture {@code mvn -q ... exec:java -Dgenerate-key}: Maven's
 * console appends a colour reset (ESC[0m) to its standard output, which the keyring refuses.
 * The key goes to standard output alone, so it can be captured ({@code KEY=$(...)}); the hint goes to
 * standard error. {@code openssl rand -base64 32} makes an equivalent key.
 */
public final class GenerateKey {

	private GenerateKey() {
	}

	public static void main(String[] args) {
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		System.out.println(Base64.getEncoder().encodeToString(key));
		System.err.println("Put this key in KEYFLOW_ENCRYPTION_KEY (or keyflow.encryption.key); to rotate, "
				+ "put the new key first and keep the old ones after it, comma-separated, until re-encryption "
				+ "has finished.");
	}

}
