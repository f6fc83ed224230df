package io.keyflow.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.keyflow.api.Credential;
import io.keyflow.api.RequiresCredential;
import io.keyflow.api.TaskCredentials;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

/**
 * The refresh storm's action: calls the dev server's protected resource with its OAuth2 credential and records,
 * per process instance, whose credential it got, which access token it carried and what the resource answered.
 */
@RequiresCredential(oauth2Provider = StormAction.PROVIDER)
public class StormAction implements JavaDelegate {

	static final String PROVIDER = "devserver";

	static volatile URI resource;

	/** What one task saw. */
	record Seen(String user, String principal, String accessToken, int status) {

		@Override
		public String toString() {
			return "Seen[user=" + this.user + ", principal=" + this.principal + ", status=" + this.status + "]";
		}

	}

	static final Map<String, Seen> SEEN = new ConcurrentHashMap<>();

	private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@Override
	public void execute(DelegateExecution execution) throws Exception {
		Credential credential = TaskCredentials.find(execution).orElse(null);
		if (credential == null) {
			SEEN.put(execution.getProcessInstanceId(), new Seen(execution.getBusinessKey(), null, null, 0));
			return;
		}
		int status = HTTP.send(HttpRequest.newBuilder(resource).header("Authorization", credential.authorizationHeader())
			.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
		SEEN.put(execution.getProcessInstanceId(), new Seen(execution.getBusinessKey(), credential.principalId(),
				credential.accessToken(), status));
	}

}
