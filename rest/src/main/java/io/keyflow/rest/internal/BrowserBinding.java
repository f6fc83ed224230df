package io.keyflow.rest.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;

/**
 * Binds an authorization-code flow to the browser that started it (RFC 9700, sections 2.1 and 4.7): the start sets
 * a short-lived cookie with a random value, the flow keeps only the value's hash, and the GET callback completes
 * the flow only when the browser presents that cookie. A link to another user's authorization URL, or a code
 * injected into another browser, therefore ends as an unknown state.
 * <p>
 * The cookie is HttpOnly, SameSite=Lax (sent on the provider's top-level redirect), Secure on https, its Path is
 * the callback's path, and it lives as long as the flow. Since the start cannot see a cookie limited to the callback
 * path, each flow gets a cookie of its own name ({@value #COOKIE_PREFIX}&lt;id&gt;): two flows started in one
 * browser both complete.
 */
final class BrowserBinding {

	static final String COOKIE_PREFIX = "KEYFLOW_OAUTH2_BINDING_";

	/** More binding cookies than this at one callback are ignored (a browser holds one per flow in progress). */
	static final int MAX_COOKIES = 20;

	private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9_-]{43}");

	private static final Pattern NAME_SUFFIX = Pattern.compile("[A-Za-z0-9_-]{1,16}");

	private static final SecureRandom RANDOM = new SecureRandom();

	private final String path;

	private final Duration ttl;

	/**
	 * @param path the cookie's path: the callback's path
	 * @param ttl the cookie's lifetime: the flow's
	 */
	BrowserBinding(String path, Duration ttl) {
		this.path = path;
		this.ttl = ttl;
	}

	/**
	 * Sets a new binding cookie on the response.
	 * @return the hash of its value, for the flow
	 */
	String issue(HttpServletRequest request, HttpServletResponse response) {
		String value = randomToken();
		String name = COOKIE_PREFIX + randomToken().substring(0, 12);
		response.addHeader(HttpHeaders.SET_COOKIE, cookie(request, name, value, this.ttl).toString());
		return hash(value);
	}

	/**
	 * @return the binding cookies the request presents, by name, as hashes of their values
	 */
	static Map<String, String> presented(HttpServletRequest request) {
		Map<String, String> hashes = new LinkedHashMap<>();
		Cookie[] cookies = request.getCookies();
		if (cookies == null) {
			return hashes;
		}
		for (Cookie cookie : cookies) {
			if (hashes.size() >= MAX_COOKIES) {
				break;
			}
			String name = cookie.getName();
			if (name.startsWith(COOKIE_PREFIX) && NAME_SUFFIX.matcher(name.substring(COOKIE_PREFIX.length())).matches()
					&& cookie.getValue() != null && VALUE.matcher(cookie.getValue()).matches()) {
				hashes.put(name, hash(cookie.getValue()));
			}
		}
		return hashes;
	}

	/**
	 * @param presented what {@link #presented} found
	 * @param browserHash the flow's hash, or {@code null}
	 * @return the name of the cookie that matches, or {@code null}
	 */
	static String matching(Map<String, String> presented, String browserHash) {
		if (browserHash == null) {
			return null;
		}
		byte[] expected = browserHash.getBytes(StandardCharsets.US_ASCII);
		String found = null;
		for (Map.Entry<String, String> entry : presented.entrySet()) {
			if (MessageDigest.isEqual(expected, entry.getValue().getBytes(StandardCharsets.US_ASCII))) {
				found = entry.getKey();
			}
		}
		return found;
	}

	/** Deletes a binding cookie (its flow is used up). */
	void clear(HttpServletRequest request, HttpServletResponse response, String name) {
		response.addHeader(HttpHeaders.SET_COOKIE, cookie(request, name, "", Duration.ZERO).toString());
	}

	private ResponseCookie cookie(HttpServletRequest request, String name, String value, Duration maxAge) {
		return ResponseCookie.from(name, value)
			.httpOnly(true)
			.secure(request.isSecure())
			.sameSite("Lax")
			.path(this.path)
			.maxAge(maxAge)
			.build();
	}

	/**
	 * @return 32 random bytes, base64url without padding (43 characters)
	 */
	private static String randomToken() {
		byte[] bytes = new byte[32];
		RANDOM.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	/**
	 * @return the value's SHA-256 in hex: what the flow keeps (as {@code OAuth2FlowBinding.browserHash})
	 */
	private static String hash(String value) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

}
