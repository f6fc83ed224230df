package io.keyflow.actions;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.keyflow.actions.internal.HttpExchange;
import io.keyflow.actions.internal.Inputs;
import io.keyflow.actions.internal.Json;
import io.keyflow.actions.internal.ServiceAction;
import io.keyflow.api.CredentialType;
import io.keyflow.api.RequiresCredential;

import org.camunda.bpm.engine.delegate.DelegateExecution;

/**
 * GitHub: create an issue ({@code POST /repos/{owner}/{repo}/issues}).
 * <p>
 * Credential: a GitHub OAuth2 connection or personal access token that may write issues (classic scope
 * {@code repo} or {@code public_repo}; fine-grained permission "Issues: write"). The class declares no scope
 * because either classic scope works; a task can require one with {@code credential.scopes}.
 * <p>
 * Inputs: {@code owner}, {@code repo}, {@code title} (required); {@code issueBody} (Markdown), {@code labels}
 * and {@code assignees} (lists, JSON arrays or comma-separated text); {@code resultVariable} (default
 * {@code githubIssue}); {@code timeout}. Outputs: {@code <prefix>Number} (Long), {@code <prefix>Id} (Long),
 * {@code <prefix>Url} (String, the issue's html_url), plus the common {@code Status}, {@code Body},
 * {@code Headers} and transient {@code Json}.
 */
@RequiresCredential(oauth2Provider = "github", types = { CredentialType.OAUTH2, CredentialType.API_KEY })
public class GitHubCreateIssueAction extends ProviderAction {

	/**
	 * For {@code camunda:class}: the shared client, base URL from the system property or the default.
	 */
	public GitHubCreateIssueAction() {
		this(ActionHttpClient.shared(), null);
	}

	/**
	 * @param client the HTTP client
	 * @param baseUrl the REST API's base URL, or {@code null} for the system property or the default
	 */
	public GitHubCreateIssueAction(ActionHttpClient client, String baseUrl) {
		super(new ServiceAction(client, baseUrl, GitHubActions.SERVICE_KEY, GitHubActions.SERVICE_NAME, GitHubActions.DEFAULT_BASE_URL,
				"githubIssue", new Operation()));
	}

	/** What this action sends and reads; the request itself is {@link ServiceAction}'s. */
	private static final class Operation implements ServiceAction.Operation {

		@Override
		public ServiceAction.Call call(Inputs inputs) {
			String owner = ServiceAction.segment("owner", inputs.requiredString("owner"));
			String repo = ServiceAction.segment("repo", inputs.requiredString("repo"));
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("title", inputs.requiredString("title"));
			String issueBody = inputs.text("issueBody");
			if (issueBody != null) {
				body.put("body", issueBody);
			}
			List<String> labels = inputs.stringList("labels");
			if (!labels.isEmpty()) {
				body.put("labels", labels);
			}
			List<String> assignees = inputs.stringList("assignees");
			if (!assignees.isEmpty()) {
				body.put("assignees", assignees);
			}
			return new ServiceAction.Call("POST", "/repos/" + owner + "/" + repo + "/issues", body);
		}

		@Override
		public Map<String, String> defaultHeaders() {
			return GitHubActions.HEADERS;
		}

		@Override
		public void writeResults(DelegateExecution execution, String prefix, HttpExchange.Response response) {
			execution.setVariable(prefix + "Number", Json.longAt(response.json(), "number"));
			execution.setVariable(prefix + "Id", Json.longAt(response.json(), "id"));
			execution.setVariable(prefix + "Url", Json.textAt(response.json(), "html_url"));
		}

	}

}
