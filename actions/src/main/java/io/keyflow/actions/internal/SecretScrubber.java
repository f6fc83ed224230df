package io.keyflow.actions.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.keyflow.api.Credential;

/**
 * Replaces a credential's secret values in text that is about to be stored or shown: response bodies and
 * headers, error excerpts, I/O messages. A server may echo the request (an echo endpoint, a debug page, an
 * error that quotes the header), so each secret is looked for as sent: verbatim, URL-encoded, JSON-escaped,
 * and for basic auth as the base64 {@code user:password}.
 */
public final class SecretScrubber {

	/** What a secret is replaced with. */
	public static final String REDACTED = "[redacted]";

	/** Shorter values are not scrubbed: replacing every "a" would wreck the text and hide nothing real. */
	private static final int MIN_LENGTH = 4;

	private static final SecretScrubber NONE = new SecretScrubber(List.of());

	private final List<String> needles;

	private SecretScrubber(List<String> needles) {
		this.needles = needles;
	}

	/**
	 * @param credential the task's credential, or {@code null}
	 * @return a scrubber for its secret values
	 */
	public static SecretScrubber of(Credential credential) {
		return of(credential, List.of());
	}

	/**
	 * @param credential the task's credential, or {@code null}
	 * @param sent the values the request carries it as (header values, a query value); for a sealed credential,
	 * whose secret parts task code cannot read, these are what is scrubbed
	 * @return a scrubber for its secret values
	 */
	public static SecretScrubber of(Credential credential, Collection<String> sent) {
		if (credential == null) {
			return NONE;
		}
		List<String> secrets = new ArrayList<>();
		if (!credential.sealed()) {
			secrets.addAll(credential.secrets().values());
			if (credential.username() != null && credential.password() != null) {
				secrets.add(Base64.getEncoder()
					.encodeToString((credential.username() + ":" + credential.password()).getBytes(StandardCharsets.UTF_8)));
			}
		}
		for (String value : sent) {
			secrets.addAll(parts(value));
		}
		Set<String> needles = new LinkedHashSet<>();
		for (String secret : secrets) {
			if (secret != null && secret.length() >= MIN_LENGTH) {
				needles.add(secret);
				needles.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
				needles.add(new String(JsonStringEncoder.getInstance().quoteAsString(secret)));
			}
		}
		if (needles.isEmpty()) {
			return NONE;
		}
		List<String> sorted = new ArrayList<>(needles);
		// longest first, so a secret that contains another is replaced whole
		sorted.sort(Comparator.comparingInt(String::length).reversed());
		return new SecretScrubber(List.copyOf(sorted));
	}

	/** What a sent value carries: the token of {@code Bearer x}, the base64 and both halves of {@code Basic x}, else itself. */
	private static List<String> parts(String value) {
		List<String> parts = new ArrayList<>();
		if (value == null) {
			return parts;
		}
		if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
			parts.add(value.substring(7));
		}
		else if (value.regionMatches(true, 0, "Basic ", 0, 6)) {
			String encoded = value.substring(6);
			parts.add(encoded);
			try {
				String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
				int colon = decoded.indexOf(':');
				if (colon >= 0) {
					parts.add(decoded.substring(0, colon));
					parts.add(decoded.substring(colon + 1));
				}
			}
			catch (IllegalArgumentException ex) {
				// not base64: the encoded part itself is scrubbed
			}
		}
		else {
			parts.add(value);
		}
		return parts;
	}

	/**
	 * @param text any text, or {@code null}
	 * @return the text with every secret value replaced by {@value #REDACTED}
	 */
	public String scrub(String text) {
		if (text == null || this.needles.isEmpty()) {
			return text;
		}
		String result = text;
		for (String needle : this.needles) {
			result = result.replace(needle, REDACTED);
		}
		return result;
	}

	@Override
	public String toString() {
		return "SecretScrubber[" + this.needles.size() + " values (redacted)]";
	}

}
