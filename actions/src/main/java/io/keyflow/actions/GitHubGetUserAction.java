package io.keyflow.actions;

import java.util.Map;

import io.keyflow.actions.internal.HttpExchange;
import io.keyflow.actions.internal.Inputs;
import io.keyflow.actions.internal.Json;
import io.keyflow.actions.internal.ServiceAction;
import io.keyflow.api.CredentialType;
import io.keyflow.api.RequiresCredential;

import org.camunda.bpm.engine.delegate.DelegateExecution;

/**
 * GitHub: get the authenticated user ({@code GET /user}).
 * <p>
 * Credential: the process starter's GitHub OAuth2 connection, or a personal access token stored as an API key
 * with provider {@code github}. No inputs besides {@code resultVariable} (default {@code githubUser}) and
 * {@code timeout}. Outputs: {@code <prefix>Login} (String), {@code <prefix>Id} (Long), {@code <prefix>Name}
 * (String, may be null), {@code <prefix>Email} (String, may be null), plus {@code <prefix>Status},
 * {@code <prefix>Body}, {@code <prefix>Headers} and the transient {@code <prefix>Json}.
 * <p>
 * Base URL: {@code keyflow.actions.github.base-url}, default {@code https://api.github.com} (for GitHub
 * Enterprise Server: {@code https://HOST/api/v3}).
 */
@RequiresCredential(oauth2Provider = "github", types = { CredentialType.OAUTH2, CredentialType.API_KEY })
public class GitHubGetUserAction extends ProviderAction {

	/**
	 * For {@code camunda:class}: the shared client, base URL from the system property or the default.
	 */
	public GitHubGetUserAction() {
		this(ActionHttpClient.shared(), null);
	}

	/**
	 * @param client the HTTP client
	 * @param baseUrl the REST API's base URL, or {@code null} for the system property or the default
	 */
	public GitHubGetUserAction(ActionHttpClient client, String baseUrl) {
		super(new ServiceAction(client, baseUrl, GitHubActions.SERVICE_KEY, GitHubActions.SERVICE_NAME, GitHubActions.DEFAULT_BASE_URL,
				"githubUser", new Operation()));
	}

	/** What this action sends and reads; the request itself is {@link ServiceAction}'s. */
	private static final class Operation implements ServiceAction.Operation {

		@Override
		public ServiceAction.Call call(Inputs inputs) {
			return new ServiceAction.Call("GET", "/user", null);
		}

		@Override
		public Map<String, String> defaultHeaders() {
			return GitHubActions.HEADERS;
		}

		@Override
		public void writeResults(DelegateExecution execution, String prefix, HttpExchange.Response response) {
			execution.setVariable(prefix + "Login", Json.textAt(response.json(), "login"));
			execution.setVariable(prefix + "Id", Json.longAt(response.json(), "id"));
			execution.setVariable(prefix + "Name", Json.textAt(response.json(), "name"));
			execution.setVariable(prefix + "Email", Json.textAt(response.json(), "email"));
		}

	}

}
