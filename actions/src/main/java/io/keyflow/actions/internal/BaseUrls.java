package io.keyflow.actions.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A provider action's base URL: the one it was constructed with (Spring property
 * {@code keyflow.actions.<service>.base-url} through the auto-configuration), else the system property of the
 * same name, else the real service's URL.
 * <p>
 * Deliberately not a process variable: whoever can set process variables could otherwise send a stored token
 * to a host of their choosing.
 */
public final class BaseUrls {

	private BaseUrls() {
	}

	/**
	 * @param service the service's property name, e.g. {@code github}
	 * @return the system property name, e.g. {@code keyflow.actions.github.base-url}
	 */
	public static String propertyName(String service) {
		return "keyflow.actions." + service + ".base-url";
	}

	/**
	 * @param configured the configured base URL, or {@code null}
	 * @param service the service's property name, e.g. {@code github}
	 * @param defaultUrl the real service's base URL
	 * @return the base URL, without trailing slash
	 */
	public static String resolve(String configured, String service, String defaultUrl) {
		String url = (configured != null && !configured.isBlank()) ? configured : System.getProperty(propertyName(service));
		if (url == null || url.isBlank()) {
			url = defaultUrl;
		}
		return validate(url.trim(), propertyName(service));
	}

	/**
	 * @param url a base URL
	 * @param name the setting's name, for the message
	 * @return the URL without trailing slash
	 * @throws IllegalArgumentException when it is not an absolute http(s) URL without query
	 */
	public static String validate(String url, String name) {
		try {
			URI uri = new URI(url);
			String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
			if (uri.getHost() == null || !(scheme.equals("http") || scheme.equals("https")) || uri.getRawQuery() != null) {
				throw new IllegalArgumentException(name + " must be an absolute http or https URL without query, e.g. https://api.github.com");
			}
		}
		catch (URISyntaxException ex) {
			throw new IllegalArgumentException(name + " is not a valid URL", ex);
		}
		return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
	}

}
