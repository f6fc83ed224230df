package io.keyflow.actions;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
 * GitHub: list the repositories of the authenticated user ({@code GET /user/repos}), one page.
 * <p>
 * Inputs (all optional, passed to GitHub as query parameters): {@code visibility} ({@code all}, {@code public},
 * {@code private}), {@code affiliation} (e.g. {@code owner,collaborator}), {@code sort} ({@code created},
 * {@code updated}, {@code pushed}, {@code full_name}), {@code perPage} (1 to 100, GitHub's default 30),
 * {@code page}; {@code resultVariable} (default {@code githubRepos}); {@code timeout}. Outputs:
 * {@code <prefix>Count} (Integer, repositories on this page), {@code <prefix>FullNames} (String, the
 * {@code owner/name}s comma-separated), plus the common {@code Status}, {@code Body}, {@code Headers} (with
 * GitHub's {@code link} header for paging) and transient {@code Json}.
 */
@RequiresCredential(oauth2Provider = "github", types = { CredentialType.OAUTH2, CredentialType.API_KEY })
public class GitHubListRepositoriesAction extends ProviderAction {

	/**
	 * For {@code camunda:class}: the shared client, base URL from the system property or the default.
	 */
	public GitHubListRepositoriesAction() {
		this(ActionHttpClient.shared(), null);
	}

	/**
	 * @param client the HTTP client
	 * @param baseUrl the REST API's base URL, or {@code null} for the system property or the default
	 */
	public GitHubListRepositoriesAction(ActionHttpClient client, String baseUrl) {
		super(new ServiceAction(client, baseUrl, GitHubActions.SERVICE_KEY, GitHubActions.SERVICE_NAME, GitHubActions.DEFAULT_BASE_URL,
				"githubRepos", new Operation()));
	}

	/** What this action sends and reads; the request itself is {@link ServiceAction}'s. */
	private static final class Operation implements ServiceAction.Operation {

		@Override
		public ServiceAction.Call call(Inputs inputs) {
			List<String> query = new ArrayList<>();
			for (String name : List.of("visibility", "affiliation", "sort")) {
				String value = inputs.string(name);
				if (value != null) {
					query.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
				}
			}
			Integer perPage = inputs.integer("perPage");
			if (perPage != null) {
				if (perPage < 1 || perPage > 100) {
					throw new ActionInputException("perPage", "input 'perPage' must be between 1 and 100");
				}
				query.add("per_page=" + perPage);
			}
			Integer page = inputs.integer("page");
			if (page != null) {
				query.add("page=" + page);
			}
			return new ServiceAction.Call("GET", "/user/repos" + (query.isEmpty() ? "" : "?" + String.join("&", query)), null);
		}

		@Override
		public Map<String, String> defaultHeaders() {
			return GitHubActions.HEADERS;
		}

		@Override
		public void writeResults(DelegateExecution execution, String prefix, HttpExchange.Response response) {
			List<String> names = new ArrayList<>();
			if (response.json() instanceof List<?> repositories) {
				for (Object repository : repositories) {
					String name = Json.textAt(repository, "full_name");
					if (name != null) {
						names.add(name);
					}
				}
			}
			execution.setVariable(prefix + "Count", names.size());
			execution.setVariable(prefix + "FullNames", String.join(",", names));
		}

	}

}
