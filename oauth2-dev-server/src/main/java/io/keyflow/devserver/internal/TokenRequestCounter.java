package io.keyflow.devserver.internal;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Counts token-endpoint requests by grant type, and the error answers by grant type and OAuth2 error code. Runs
 * before Spring Security, so every request that reaches the endpoint counts.
 */
public final class TokenRequestCounter extends OncePerRequestFilter {

	private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !("POST".equals(request.getMethod()) && "/oauth2/token".equals(request.getRequestURI()));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String grantType = String.valueOf(request.getParameter("grant_type"));
		increment(grantType);
		ContentCachingResponseWrapper wrapper = new ContentCachingResponseWrapper(response);
		try {
			chain.doFilter(request, wrapper);
		}
		finally {
			if (wrapper.getStatus() >= 400) {
				increment(grantType + ":error");
				String body = new String(wrapper.getContentAsByteArray(), java.nio.charset.StandardCharsets.UTF_8);
				java.util.regex.Matcher error = java.util.regex.Pattern.compile("\"error\"\\s*:\\s*\"([a-z_]+)\"")
					.matcher(body);
				if (error.find()) {
					increment(grantType + ":" + error.group(1));
				}
			}
			wrapper.copyBodyToResponse();
		}
	}

	private void increment(String key) {
		this.counts.computeIfAbsent(key, (k) -> new AtomicInteger()).incrementAndGet();
	}

	public int requests(String grantType) {
		return get(grantType);
	}

	public int errors(String grantType) {
		return get(grantType + ":error");
	}

	public int errors(String grantType, String error) {
		return get(grantType + ":" + error);
	}

	private int get(String key) {
		AtomicInteger count = this.counts.get(key);
		return (count != null) ? count.get() : 0;
	}

	public Map<String, Integer> snapshot() {
		Map<String, Integer> snapshot = new TreeMap<>();
		this.counts.forEach((key, value) -> snapshot.put(key, value.get()));
		return snapshot;
	}

	public void reset() {
		this.counts.clear();
	}

}
