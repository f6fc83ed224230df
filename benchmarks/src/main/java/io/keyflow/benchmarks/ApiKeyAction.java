package io.keyflow.benchmarks;

import io.keyflow.api.Credential;
import io.keyflow.api.RequiresCredential;
import io.keyflow.api.TaskCredentials;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

/**
 * The benchmark's action: reads the credential's header as a real action would, and does nothing else, so
 * the measured difference is Keyflow's work.
 */
@RequiresCredential(service = "benchmark-api", required = false)
public class ApiKeyAction implements JavaDelegate {

	static volatile int seen;

	@Override
	public void execute(DelegateExecution execution) {
		String header = TaskCredentials.find(execution).map(Credential::authorizationHeader).orElse("");
		seen += header.length();
	}

}
