package io.keyflow.plugin.internal.oauth2;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * PKCE (RFC 7636) with S256, and the random values of a flow.
 */
public final class Pkce {

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

	private Pkce() {
	}

	/**
	 * @return 32 random bytes, base64url without padding (43 characters): a code verifier, or a state of 256 bits
	 */
	public static String randomToken() {
		byte[] bytes = new byte[32];
		RANDOM.nextBytes(bytes);
		return BASE64URL.encodeToString(bytes);
	}

	/**
	 * @param verifier the code verifier
	 * @return {@code BASE64URL(SHA256(ASCII(verifier)))}
	 */
	public static String s256Challenge(String verifier) {
		return BASE64URL.encodeToString(sha256(verifier.getBytes(StandardCharsets.US_ASCII)));
	}

	/**
	 * @param state a state value
	 * @return its SHA-256 in hex: what the flow table stores instead of the state
	 */
	public static String hash(String state) {
		return HexFormat.of().formatHex(sha256(state.getBytes(StandardCharsets.UTF_8)));
	}

	private static byte[] sha256(byte[] bytes) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(bytes);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

}
