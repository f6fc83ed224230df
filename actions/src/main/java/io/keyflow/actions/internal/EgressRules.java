package io.keyflow.actions.internal;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import io.keyflow.api.EgressRefusedException;
import io.keyflow.api.UsagePolicy;

/**
 * Where the actions may send requests, with or without a credential: {@code https} to public addresses, and
 * anything else only for a URL under one of the {@value #ALLOWED_URLS} prefixes, or, with
 * {@value #ALLOW_INSECURE_LOOPBACK}, {@code http} to a loopback host that resolves to loopback addresses only.
 * The URL is checked first ({@link #check}); the addresses the connection will use are checked after the one
 * resolution ({@link #checkAddresses}), so what was checked is what is connected to.
 */
public final class EgressRules {

	/** The setting that allow-lists URL prefixes. */
	public static final String ALLOWED_URLS = "keyflow.actions.allowed-urls";

	/** The setting that allows plain http to this machine. */
	public static final String ALLOW_INSECURE_LOOPBACK = "keyflow.actions.allow-insecure-loopback";

	/** What a checked URL may connect to. */
	public enum Permit {
		/** Public addresses only. */
		PUBLIC,
		/** Loopback addresses only (a loopback host under {@value #ALLOW_INSECURE_LOOPBACK}). */
		LOOPBACK,
		/** Any address: the URL is allow-listed. */
		ANY
	}

	private record Prefix(String origin, String path) {
	}

	private final List<Prefix> allowedUrls;

	private final List<String> allowedUrlTexts;

	private final boolean allowInsecureLoopback;

	private EgressRules(List<Prefix> allowedUrls, List<String> allowedUrlTexts, boolean allowInsecureLoopback) {
		this.allowedUrls = allowedUrls;
		this.allowedUrlTexts = allowedUrlTexts;
		this.allowInsecureLoopback = allowInsecureLoopback;
	}

	/**
	 * @param allowedUrls URL prefixes, each an absolute http(s) URL without user info, query or fragment
	 * @param allowInsecureLoopback whether http to a loopback host is allowed
	 * @return the rules
	 * @throws IllegalArgumentException naming the setting and the position of an entry that is not a URL prefix
	 */
	public static EgressRules of(Collection<String> allowedUrls, boolean allowInsecureLoopback) {
		List<Prefix> prefixes = new ArrayList<>();
		List<String> texts = new ArrayList<>();
		int position = 0;
		for (String entry : (allowedUrls != null) ? allowedUrls : List.<String>of()) {
			position++;
			if (entry == null || entry.isBlank()) {
				continue;
			}
			Prefix prefix = prefix(entry.trim(), position);
			prefixes.add(prefix);
			texts.add(prefix.origin() + prefix.path());
		}
		return new EgressRules(List.copyOf(prefixes), List.copyOf(texts), allowInsecureLoopback);
	}

	/**
	 * @return the allow-listed URL prefixes, normalized
	 */
	public List<String> allowedUrls() {
		return this.allowedUrlTexts;
	}

	/**
	 * @return whether http to a loopback host is allowed
	 */
	public boolean allowInsecureLoopback() {
		return this.allowInsecureLoopback;
	}

	/**
	 * Checks a URL before anything is resolved or sent.
	 * @param target an absolute http(s) URL
	 * @return which addresses the connection may use
	 * @throws EgressRefusedException when the URL may not be called at all
	 */
	public Permit check(URI target) {
		String origin = UsagePolicy.originOf(target);
		if (origin == null) {
			throw new EgressRefusedException("a request to a target without an http(s) origin was refused; nothing was sent");
		}
		if (allowListed(origin, target)) {
			return Permit.ANY;
		}
		String host = bare(target.getHost());
		boolean loopbackHost = UsagePolicy.isLoopbackName(host);
		if (loopbackHost && this.allowInsecureLoopback) {
			return Permit.LOOPBACK;
		}
		if (origin.startsWith("http://")) {
			throw refused(origin, "plain http is refused", loopbackHost);
		}
		return Permit.PUBLIC;
	}

	/**
	 * Checks the addresses a host name resolved to, before connecting to any of them.
	 * @param target the URL, for the message
	 * @param permit what {@link #check} answered for it
	 * @param addresses every address the host resolved to
	 * @throws EgressRefusedException when one of them is not allowed (all are refused: a name that mixes public
	 * and internal addresses is not trusted)
	 */
	public void checkAddresses(URI target, Permit permit, List<InetAddress> addresses) {
		if (permit == Permit.ANY) {
			return;
		}
		String origin = UsagePolicy.originOf(target);
		for (InetAddress address : addresses) {
			String kind = NetworkAddresses.nonPublicKind(address);
			if (permit == Permit.LOOPBACK && !"loopback".equals(kind)) {
				throw new EgressRefusedException("request to " + origin + " refused: its host resolves to "
						+ address.getHostAddress() + ", not a loopback address (" + ALLOW_INSECURE_LOOPBACK
						+ " allows loopback only); add a URL prefix to " + ALLOWED_URLS + " if it is intended; nothing was sent");
			}
			if (permit == Permit.PUBLIC && kind != null) {
				throw refused(origin, "its host resolves to " + address.getHostAddress() + ", a " + kind + " address",
						"loopback".equals(kind));
			}
		}
	}

	private EgressRefusedException refused(String origin, String reason, boolean loopback) {
		return new EgressRefusedException("request to " + origin + " refused: " + reason
				+ "; only https to public addresses is allowed unless the URL starts with an entry of " + ALLOWED_URLS
				+ (loopback ? " (or, for plain http to this machine, " + ALLOW_INSECURE_LOOPBACK + "=true)" : "")
				+ "; nothing was sent");
	}

	private boolean allowListed(String origin, URI target) {
		if (this.allowedUrls.isEmpty()) {
			return false;
		}
		String path = (target.getRawPath() == null || target.getRawPath().isEmpty()) ? "/" : target.getRawPath();
		String lower = path.toLowerCase(Locale.ROOT);
		boolean dotSegments = URI.create("http://h" + path.replace(" ", "%20")).normalize().getRawPath().length() != path.length()
				|| lower.contains("%2e") || lower.contains("%2f") || lower.contains("%5c") || path.contains("\\");
		for (Prefix prefix : this.allowedUrls) {
			if (!prefix.origin().equals(origin)) {
				continue;
			}
			if (prefix.path().equals("/")) {
				return true;
			}
			// a path prefix counts only for a plain path: "/api/../admin" or "/api/%2e%2e/admin" would leave it
			if (!dotSegments && (path.equals(prefix.path()) || path.startsWith(prefix.path().endsWith("/")
					? prefix.path() : prefix.path() + "/"))) {
				return true;
			}
		}
		return false;
	}

	private static Prefix prefix(String text, int position) {
		String problem = ALLOWED_URLS + " entry " + position + " must be an absolute http or https URL prefix such as "
				+ "http://127.0.0.1:9000/ or https://api.example.com/v1/, without user info, query or fragment";
		try {
			URI uri = new URI(text);
			String origin = UsagePolicy.originOf(uri);
			if (origin == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
				throw new IllegalArgumentException(problem);
			}
			String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty()) ? "/" : uri.getRawPath();
			if (!uri.normalize().getRawPath().equals(path) && !path.equals("/")) {
				throw new IllegalArgumentException(problem);
			}
			return new Prefix(origin, path);
		}
		catch (URISyntaxException ex) {
			throw new IllegalArgumentException(problem);
		}
	}

	/**
	 * @param host a URI host, an IPv6 literal in brackets or not
	 * @return the host without brackets
	 */
	public static String bare(String host) {
		return (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
	}

	@Override
	public String toString() {
		return "EgressRules[allowedUrls=" + this.allowedUrlTexts + ", allowInsecureLoopback=" + this.allowInsecureLoopback + "]";
	}

}
