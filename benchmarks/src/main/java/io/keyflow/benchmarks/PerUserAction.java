package io.keyflow.benchmarks;

import java.util.concurrent.atomic.AtomicLong;

import io.keyflow.api.Credential;
import io.keyflow.api.RequiresCredential;
import io.keyflow.api.TaskCredentials;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

/**
 * The per-user harnesses' action: reads its credential's header as a real action would and checks that it is
 * the one of the user the instance was started for (the business key, set by the harness and never read by
 * Keyflow). Without Keyflow the annotation is inert and the task finds no credential.
 */
@RequiresCredential(service = PerUserAction.PROVIDER, required = false)
public class PerUserAction implements JavaDelegate {

	static final String PROVIDER = "benchmark-api";

	static final AtomicLong OWN = new AtomicLong();

	static final AtomicLong WRONG = new AtomicLong();

	static final AtomicLong NONE = new AtomicLong();

	/** @return the API key the harness stores for a user */
	static String apiKeyOf(String user) {
		return "key-of-" + user;
	}

	@Override
	public void execute(DelegateExecution execution) {
		String expected = "Bearer " + apiKeyOf(execution.getBusinessKey());
		String header = TaskCredentials.find(execution).map(Credential::authorizationHeader).orElse(null);
		if (header == null) {
			NONE.incrementAndGet();
		}
		else if (header.equals(expected)) {
			OWN.incrementAndGet();
		}
		else {
			WRONG.incrementAndGet();
		}
	}

	static void reset() {
		OWN.set(0);
		WRONG.set(0);
		NONE.set(0);
	}

}
