package io.keyflow.vault.internal;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Counts the requests Keyflow's Vault client sends, by outcome: {@code success} (2xx), {@code not_found} (404, a
 * secret that is not there), {@code denied} (401, 403), {@code client_error} (other 4xx), {@code server_error} (5xx,
 * e.g. sealed or standby), {@code unreachable} (no answer). Bounded tag values: never a path, key or tenant.
 */
public final class VaultRequestCounts implements ClientHttpRequestInterceptor {

	/** Every outcome, in the order of the meters. */
	public static final List<String> OUTCOMES = List.of("success", "not_found", "denied", "client_error",
			"server_error", "unreachable");

	private final Map<String, LongAdder> counts = Map.of("success", new LongAdder(), "not_found", new LongAdder(),
			"denied", new LongAdder(), "client_error", new LongAdder(), "server_error", new LongAdder(), "unreachable",
			new LongAdder());

	@Override
	public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
			throws IOException {
		ClientHttpResponse response;
		try {
			response = execution.execute(request, body);
		}
		catch (IOException ex) {
			this.counts.get("unreachable").increment();
			throw ex;
		}
		this.counts.get(outcome(response.getStatusCode().value())).increment();
		return response;
	}

	private static String outcome(int status) {
		if (status < 300) {
			return "success";
		}
		if (status == 404) {
			return "not_found";
		}
		if (status == 401 || status == 403) {
			return "denied";
		}
		return (status < 500) ? "client_error" : "server_error";
	}

	/**
	 * @param outcome one of {@link #OUTCOMES}
	 * @return how many requests ended so
	 */
	public long count(String outcome) {
		return this.counts.get(outcome).sum();
	}

	@Override
	public String toString() {
		return "VaultRequestCounts" + this.counts;
	}

}
