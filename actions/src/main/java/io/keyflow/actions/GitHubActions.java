package io.keyflow.actions;

import java.util.Map;

/**
 * What the GitHub actions share: the REST API's base URL and the headers GitHub's REST documentation asks for.
 */
final class GitHubActions {

	/** GitHub's REST API. */
	static final String DEFAULT_BASE_URL = "https://api.github.com";

	static final String SERVICE_KEY = "github";

	static final String SERVICE_NAME = "GitHub";

	static final Map<String, String> HEADERS = Map.of("Accept", "application/vnd.github+json",
			"X-GitHub-Api-Version", "2022-11-28");

	private GitHubActions() {
	}

}
