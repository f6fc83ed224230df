package io.keyflow.actions;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on a loopback port (the JDK's {@code com.sun.net.httpserver}): records every request
 * exactly as it arrived and answers with the responses a test queued, in order. Unanswered requests get a 599
 * so a missing {@link #enqueue} shows up as a clear failure.
 */
final class LocalHttpServer implements AutoCloseable {

	/** A request as received. Header names are lower case. */
	record Recorded(String method, String path, String rawQuery, Map<String, List<String>> headers, String body) {

		String header(String name) {
			List<String> values = this.headers.get(name.toLowerCase(Locale.ROOT));
			return (values != null) ? String.join(", ", values) : null;
		}

	}

	/** A queued answer. */
	record Answer(int status, String contentType, String body, Map<String, String> headers, Duration delay) {
	}

	private final HttpServer server;

	private final ExecutorService executor = Executors.newCachedThreadPool();

	private final BlockingQueue<Answer> answers = new LinkedBlockingQueue<>();

	private final BlockingQueue<Recorded> requests = new LinkedBlockingQueue<>();

	private final String host;

	LocalHttpServer() {
		this(InetAddress.getLoopbackAddress());
	}

	/** @param address the address to listen on, e.g. {@code ::1} */
	LocalHttpServer(InetAddress address) {
		this.host = (address instanceof java.net.Inet6Address) ? (address.isLoopbackAddress() ? "[::1]" : "[" + address.getHostAddress() + "]")
				: address.getHostAddress();
		try {
			this.server = HttpServer.create(new InetSocketAddress(address, 0), 0);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		this.server.createContext("/", this::handle);
		this.server.setExecutor(this.executor);
		this.server.start();
	}

	/** @return e.g. {@code http://127.0.0.1:41234} */
	String url() {
		return "http://" + this.host + ":" + port();
	}

	int port() {
		return this.server.getAddress().getPort();
	}

	void enqueue(int status, String contentType, String body) {
		enqueue(new Answer(status, contentType, body, Map.of(), Duration.ZERO));
	}

	void enqueue(Answer answer) {
		this.answers.add(answer);
	}

	/** @return the next recorded request; fails when none arrives within 5 seconds */
	Recorded take() throws InterruptedException {
		Recorded request = this.requests.poll(5, TimeUnit.SECONDS);
		if (request == null) {
			throw new AssertionError("no request arrived at " + url());
		}
		return request;
	}

	/** @return how many requests arrived and were not yet taken */
	int pending() {
		return this.requests.size();
	}

	void reset() {
		this.answers.clear();
		this.requests.clear();
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

	private void handle(HttpExchange exchange) throws IOException {
		byte[] requestBody;
		try (InputStream in = exchange.getRequestBody()) {
			requestBody = in.readAllBytes();
		}
		Map<String, List<String>> headers = new LinkedHashMap<>();
		exchange.getRequestHeaders()
			.forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), new ArrayList<>(values)));
		this.requests.add(new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
				exchange.getRequestURI().getRawQuery(), headers, new String(requestBody, StandardCharsets.UTF_8)));
		Answer answer = this.answers.poll();
		if (answer == null) {
			answer = new Answer(599, "text/plain", "no answer queued", Map.of(), Duration.ZERO);
		}
		try {
			if (!answer.delay().isZero()) {
				Thread.sleep(answer.delay().toMillis());
			}
			byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
			if (answer.contentType() != null) {
				exchange.getResponseHeaders().add("Content-Type", answer.contentType());
			}
			answer.headers().forEach(exchange.getResponseHeaders()::add);
			exchange.sendResponseHeaders(answer.status(), (body.length == 0) ? -1 : body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (IOException ex) {
			// the client gave up (timeout tests); nothing to answer
		}
		finally {
			exchange.close();
		}
	}

}
