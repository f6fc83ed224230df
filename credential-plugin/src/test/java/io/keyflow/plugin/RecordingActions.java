package io.keyflow.plugin;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.keyflow.api.Credential;
import io.keyflow.api.RequiresCredential;
import io.keyflow.api.TaskCredentials;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

/**
 * Actions for the engine tests: each records what its task received, keyed by activity id, so a test can
 * assert which credential a task saw (or that it saw none).
 */
public final class RecordingActions {

	/** What tasks saw; {@link #NONE} stands for "no credential". */
	static final Map<String, String> SEEN = new ConcurrentHashMap<>();

	static final String NONE = "<none>";

	private RecordingActions() {
	}

	static void reset() {
		SEEN.clear();
	}

	/** Records for expression tasks; a bean named {@code recorder}. */
	public static class Recorder {

		public void record(DelegateExecution execution, String name, String value) {
			SEEN.put(name, (value != null) ? value : NONE);
		}

		public void recordPresence(DelegateExecution execution, String name) {
			SEEN.put(name, TaskCredentials.find(execution).map(Credential::apiKey).orElse(NONE));
			if (execution.hasVariable(TaskCredentials.VARIABLE_NAME)) {
				SEEN.put(name, "visible:" + execution.getVariable(TaskCredentials.VARIABLE_NAME));
			}
		}

	}

	/** A {@code camunda:class} action. */
	@RequiresCredential(service = "service-a")
	public static class ServiceAAction implements JavaDelegate {

		@Override
		public void execute(DelegateExecution execution) {
			SEEN.put(execution.getCurrentActivityId(), TaskCredentials.require(execution).apiKey());
		}

	}

	/** A {@code camunda:delegateExpression} action (a Spring bean). */
	@RequiresCredential(service = "service-b")
	public static class ServiceBAction implements JavaDelegate {

		@Override
		public void execute(DelegateExecution execution) {
			SEEN.put(execution.getCurrentActivityId(), TaskCredentials.require(execution).apiKey());
		}

	}

	/** An OAuth2 action that needs the {@code repo} scope. */
	@RequiresCredential(oauth2Provider = "github", scopes = "repo")
	public static class GithubAction implements JavaDelegate {

		@Override
		public void execute(DelegateExecution execution) {
			Credential credential = TaskCredentials.require(execution);
			SEEN.put(execution.getCurrentActivityId(), credential.accessToken());
			SEEN.put(execution.getCurrentActivityId() + ".header", credential.authorizationHeader());
		}

	}

}
