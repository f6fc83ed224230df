package io.keyflow.api;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.Collections;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Where a credential may go: which processes may use it and which origins its secret may be sent to, and whether
 * task code may read it at all. Part of the credential's clear metadata, bound to its ciphertext (changing the
 * policy in the database makes the credential undecryptable).
 *
 * @param allowedProcesses process definition keys whose tasks may use the credential; empty: any process of the
 * credential's tenant
 * @param allowedOrigins origins the secret may be sent to, each {@code https://host[:port]} ({@code http://} only
 * for a loopback host); empty: no restriction by the credential (the sender's own rules still apply)
 * @param sealed whether task code is refused the secret parts: only an egress that checks the policy
 * ({@link Credential#authorize}) may attach it to a request
 */
public record UsagePolicy(Set<String> allowedProcesses, Set<String> allowedOrigins, boolean sealed) {

	/** No restriction, not sealed. */
	public static final UsagePolicy NONE = new UsagePolicy(Set.of(), Set.of(), false);

	/** A process definition key as Camunda accepts it (an XML id), at most 255 characters. */
	public static final Pattern PROCESS_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,254}");

	/** At most this many entries per list. */
	public static final int MAX_ENTRIES = 50;

	/** At most this many characters per list, entries joined by one space (the width of its database column). */
	public static final int MAX_LIST_LENGTH = 4000;

	/**
	 * Validates, normalizes ({@code HTTPS://Example.com:443} becomes {@code https://example.com}) and copies both
	 * lists, sorted and unmodifiable.
	 * @throws InvalidCredentialException naming the list and the position of the first entry that is not valid
	 */
	public UsagePolicy {
		allowedProcesses = processes(allowedProcesses);
		allowedOrigins = origins(allowedOrigins);
	}

	/**
	 * @param processDefinitionKey the key of the process whose task wants the credential
	 * @return whether that process may use it
	 */
	public boolean allowsProcess(String processDefinitionKey) {
		return this.allowedProcesses.isEmpty() || this.allowedProcesses.contains(processDefinitionKey);
	}

	/**
	 * @param target where a request is about to go
	 * @return whether the credential's own policy lets its secret go there (an empty list allows any origin)
	 */
	public boolean allowsOrigin(URI target) {
		if (this.allowedOrigins.isEmpty()) {
			return true;
		}
		String origin = originOf(target);
		return origin != null && this.allowedOrigins.contains(origin);
	}

	/**
	 * @param target an absolute http(s) URI
	 * @return its origin as this policy writes them ({@code scheme://host[:port]}, default port left out), or
	 * {@code null} when it has none
	 */
	public static String originOf(URI target) {
		if (target == null || target.getScheme() == null || target.getHost() == null) {
			return null;
		}
		String scheme = target.getScheme().toLowerCase(Locale.ROOT);
		if (!scheme.equals("https") && !scheme.equals("http")) {
			return null;
		}
		String host = target.getHost().toLowerCase(Locale.ROOT);
		int port = target.getPort();
		boolean defaultPort = port == -1 || (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80);
		return scheme + "://" + host + (defaultPort ? "" : ":" + port);
	}

	/**
	 * @param host a host name or address literal (IPv6 in brackets or not)
	 * @return whether it names this machine's loopback interface
	 */
	public static boolean isLoopbackName(String host) {
		String name = host.toLowerCase(Locale.ROOT);
		if (name.startsWith("[") && name.endsWith("]")) {
			name = name.substring(1, name.length() - 1);
		}
		return name.equals("localhost") || name.endsWith(".localhost") || name.equals("::1")
				|| name.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
	}

	private static Set<String> processes(Collection<String> keys) {
		Set<String> result = new TreeSet<>();
		int position = 0;
		for (String key : (keys != null) ? keys : Set.<String>of()) {
			position++;
			String trimmed = (key != null) ? key.trim() : "";
			if (!PROCESS_KEY.matcher(trimmed).matches()) {
				throw new InvalidCredentialException("allowedProcesses", "allowedProcesses entry " + position
						+ " is not a process definition key (a letter or '_', then letters, digits, '_', '.' or '-'; "
						+ "at most 255 characters)");
			}
			result.add(trimmed);
		}
		return limited("allowedProcesses", result);
	}

	private static Set<String> origins(Collection<String> origins) {
		Set<String> result = new TreeSet<>();
		int position = 0;
		for (String origin : (origins != null) ? origins : Set.<String>of()) {
			position++;
			result.add(origin(origin, position));
		}
		return limited("allowedOrigins", result);
	}

	private static String origin(String text, int position) {
		String problem = "allowedOrigins entry " + position + " must be an origin: https://host or https://host:port "
				+ "(http:// only for a loopback host such as 127.0.0.1 or localhost), without path, query or user";
		URI uri;
		try {
			uri = new URI((text != null) ? text.trim() : "");
		}
		catch (URISyntaxException ex) {
			throw new InvalidCredentialException("allowedOrigins", problem);
		}
		String path = uri.getRawPath();
		String origin = originOf(uri);
		if (origin == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null
				|| (path != null && !path.isEmpty() && !path.equals("/"))) {
			throw new InvalidCredentialException("allowedOrigins", problem);
		}
		if (origin.startsWith("http://") && !isLoopbackName(uri.getHost())) {
			throw new InvalidCredentialException("allowedOrigins", problem);
		}
		return origin;
	}

	private static Set<String> limited(String field, Set<String> values) {
		if (values.size() > MAX_ENTRIES) {
			throw new InvalidCredentialException(field, field + " may have at most " + MAX_ENTRIES + " entries");
		}
		if (String.join(" ", values).length() > MAX_LIST_LENGTH) {
			throw new InvalidCredentialException(field, field + " may have at most " + MAX_LIST_LENGTH
					+ " characters in all");
		}
		return Collections.unmodifiableSet(values);
	}

}
