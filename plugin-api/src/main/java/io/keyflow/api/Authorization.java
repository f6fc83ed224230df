package io.keyflow.api;

import java.net.http.HttpRequest;
import java.util.Objects;

/**
 * A credential's permission to go into one request, granted by {@link Credential#authorize} after its usage policy
 * allowed the target: it sets the header on the request and shows nothing else. {@link #toString()} is redacted.
 */
public final class Authorization {

	private final String headerValue;

	private final String rawSecret;

	Authorization(String headerValue, String rawSecret) {
		this.headerValue = headerValue;
		this.rawSecret = rawSecret;
	}

	/**
	 * Sets {@code Authorization} ({@code Bearer <token>} or {@code Basic <...>}).
	 * @param request the request being built
	 * @return the request
	 */
	public HttpRequest.Builder applyTo(HttpRequest.Builder request) {
		return Objects.requireNonNull(request, "request cannot be null").setHeader("Authorization", this.headerValue);
	}

	/**
	 * Sets a header of the service's choosing, e.g. {@code X-API-Key: <key>}.
	 * @param request the request being built
	 * @param headerName the header
	 * @param bare {@code true}: the bare secret (API key, token, value); {@code false}: the Authorization value
	 * @return the request
	 */
	public HttpRequest.Builder applyTo(HttpRequest.Builder request, String headerName, boolean bare) {
		Objects.requireNonNull(request, "request cannot be null");
		Objects.requireNonNull(headerName, "headerName cannot be null");
		if (bare && this.rawSecret == null) {
			throw new InvalidCredentialException("placement", "this credential has no single secret to put in header "
					+ headerName + "; use the Authorization header");
		}
		return request.setHeader(headerName, bare ? this.rawSecret : this.headerValue);
	}

	@Override
	public String toString() {
		return "Authorization[(redacted)]";
	}

}
