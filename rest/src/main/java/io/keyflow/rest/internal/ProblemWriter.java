package io.keyflow.rest.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * Writes problems where no controller runs: in the API-key filter and for errors other components send
 * ({@code sendError}) for requests under {@code /api/credentials}.
 */
final class ProblemWriter {

	private final ObjectMapper json = new ObjectMapper();

	/**
	 * @param request the request
	 * @return its path, as an RFC 9457 {@code instance}; never the query string
	 */
	static String instance(HttpServletRequest request) {
		String path = request.getRequestURI();
		try {
			return (path != null) ? URI.create(path).getRawPath() : null;
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	void write(HttpServletRequest request, HttpServletResponse response, Problem problem) throws IOException {
		ProblemDetail detail = problem.toProblemDetail(instance(request));
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("type", detail.getType().toString());
		body.put("title", detail.getTitle());
		body.put("status", detail.getStatus());
		body.put("detail", detail.getDetail());
		if (detail.getInstance() != null) {
			body.put("instance", detail.getInstance().toString());
		}
		if (detail.getProperties() != null) {
			body.putAll(detail.getProperties());
		}
		byte[] bytes = this.json.writeValueAsBytes(body);
		response.setStatus(problem.status().value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		response.setContentLength(bytes.length);
		response.getOutputStream().write(bytes);
		response.flushBuffer();
	}

}
