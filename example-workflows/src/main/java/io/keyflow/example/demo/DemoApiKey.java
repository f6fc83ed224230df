package io.keyflow.example.demo;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The demo chat API's key: random for each run of the application, stored by the demo as an API-key credential
 * and checked by {@link DemoChatApi}. Nobody types it: Keyflow hands it to the task that calls the API.
 */
public final class DemoApiKey {

	private final String value;

	private DemoApiKey(String value) {
		this.value = value;
	}

	/** @return a fresh key, {@code sk-demo-} and 48 hex digits */
	static DemoApiKey generate() {
		byte[] bytes = new byte[24];
		new SecureRandom().nextBytes(bytes);
		return new DemoApiKey("sk-demo-" + HexFormat.of().formatHex(bytes));
	}

	/** @return the key, for storing it in Keyflow; never log it */
	String value() {
		return this.value;
	}

	/**
	 * @param presented the key a caller sent, or {@code null}
	 * @return whether it is this key (compared in constant time)
	 */
	boolean matches(String presented) {
		return presented != null && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
				this.value.getBytes(StandardCharsets.UTF_8));
	}

	@Override
	public String toString() {
		return "DemoApiKey[(redacted)]";
	}

}
