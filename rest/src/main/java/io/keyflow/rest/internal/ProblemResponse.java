package io.keyflow.rest.internal;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/**
 * Turns {@code sendError} of anything below the filter (Spring MVC's 404 for an unknown path, 405, 415, ...) into
 * an {@code application/problem+json} answer, instead of the container's error page.
 */
final class ProblemResponse extends HttpServletResponseWrapper {

	private final HttpServletRequest request;

	private final ProblemWriter writer;

	ProblemResponse(HttpServletRequest request, HttpServletResponse response, ProblemWriter writer) {
		super(response);
		this.request = request;
		this.writer = writer;
	}

	@Override
	public void sendError(int status) throws IOException {
		sendError(status, null);
	}

	// the message is ignored: it may quote the request
	@Override
	public void sendError(int status, String message) throws IOException {
		if (isCommitted()) {
			super.sendError(status, message);
			return;
		}
		resetBuffer();
		this.writer.write(this.request, (HttpServletResponse) getResponse(), Problem.forStatus(status));
	}

}
