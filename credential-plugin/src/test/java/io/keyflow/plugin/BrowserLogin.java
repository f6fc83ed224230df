package io.keyflow.plugin;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.web.util.UriComponentsBuilder;

/**
 * What a user's browser does at the dev server: open the authorization URL, log in through the form (with its
 * CSRF token), follow redirects until the server sends it to the redirect URI, and hand back {@code code} and
 * {@code state}. A JDK HttpClient with a cookie manager; redirects are followed by hand to stop at the redirect
 * URI.
 */
public final class BrowserLogin {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.cookieHandler(new CookieManager())
		.followRedirects(HttpClient.Redirect.NEVER)
		.build();

	/**
	 * @return the redirect's query parameters ({@code code}, {@code state})
	 */
	public Map<String, String> authorize(URI authorizationUrl, String redirectUri, String username, String password)
			throws Exception {
		URI next = authorizationUrl;
		for (int hop = 0; hop < 10; hop++) {
			if (next.toString().startsWith(redirectUri)) {
				Map<String, String> parameters = new LinkedHashMap<>();
				UriComponentsBuilder.fromUri(next).build().getQueryParams()
					.forEach((name, values) -> parameters.put(name, values.get(0)));
				return parameters;
			}
			HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(next).header("Accept", "text/html").build(),
					HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() == 200 && response.body().contains("name=\"password\"")) {
				Matcher csrf = CSRF.matcher(response.body());
				if (!csrf.find()) {
					throw new IllegalStateException("login form without CSRF token");
				}
				String form = "username=" + encode(username) + "&password=" + encode(password) + "&_csrf="
						+ encode(csrf.group(1));
				response = this.http.send(HttpRequest.newBuilder(next.resolve("/login"))
					.header("Content-Type", "application/x-www-form-urlencoded")
					.POST(HttpRequest.BodyPublishers.ofString(form))
					.build(), HttpResponse.BodyHandlers.ofString());
			}
			if (response.statusCode() != 302 && response.statusCode() != 303) {
				throw new IllegalStateException("unexpected status " + response.statusCode() + " at " + next.getPath());
			}
			next = next.resolve(response.headers().firstValue("Location").orElseThrow());
		}
		throw new IllegalStateException("too many redirects");
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
