package io.keyflow.plugin;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.keyflow.api.RequiresCredential;
import io.keyflow.api.TaskCredentials;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

/**
 * A workflow action that calls the dev server's protected resource with the task's OAuth2 credential and
 * records the HTTP status by process instance; anything but 200 fails the task.
 */
@RequiresCredential(oauth2Provider = "devserver")
public class ResourceCallAction implements JavaDelegate {

	/** Where to call; set by the test that starts the dev server. */
	static volatile URI resource;

	static final Map<String, Integer> STATUS = new ConcurrentHashMap<>();

	private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@Override
	public void execute(DelegateExecution execution) throws Exception {
		HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(resource)
			.header("Authorization", TaskCredentials.require(execution).authorizationHeader())
			.build(), HttpResponse.BodyHandlers.ofString());
		STATUS.put(execution.getProcessInstanceId(), response.statusCode());
		if (response.statusCode() != 200) {
			throw new IllegalStateException("resource answered " + response.statusCode());
		}
	}

}
