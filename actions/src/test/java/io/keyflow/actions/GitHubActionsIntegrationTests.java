package io.keyflow.actions;

import java.util.Map;
import java.util.Set;

import io.keyflow.api.CredentialType;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The GitHub actions as beans ({@code camunda:delegateExpression}) in a real engine, their base URL set by
 * the Spring property {@code keyflow.actions.github.base-url}: the process starter's OAuth2 token or a stored
 * personal access token reaches GitHub's documented request, and GitHub's documented answers become
 * variables.
 */
class GitHubActionsIntegrationTests extends ActionEngineTestSupport {

	@Test
	void getUserWhenStarterHasGithubConnectionThenSendsItsTokenAndStoresLogin() throws Exception {
		String token = store(CredentialType.OAUTH2, null, "github", "octo-alice", Set.of("read:user"), Map.of());
		deploy(process("github-user", (task) -> task.camundaDelegateExpression("${githubGetUserAction}"), Map.of()));
		SERVER.enqueue(200, "application/json; charset=utf-8", """
				{"login": "octocat", "id": 1, "node_id": "MDQ6VXNlcjE=", "type": "User", "site_admin": false,
				 "name": "monalisa octocat", "company": "GitHub", "email": "octocat@github.com",
				 "html_url": "https://github.com/octocat", "public_repos": 2}""");

		ProcessInstance instance = startAs("octo-alice", "github-user");

		LocalHttpServer.Recorded request = SERVER.take();
		assertThat(request.method()).isEqualTo("GET");
		assertThat(request.path()).isEqualTo("/user");
		assertThat(request.rawQuery()).isNull();
		assertThat(request.header("Authorization")).isEqualTo("Bearer " + token);
		assertThat(request.header("Accept")).isEqualTo("application/vnd.github+json");
		assertThat(request.header("X-GitHub-Api-Version")).isEqualTo("2022-11-28");
		assertThat(request.header("User-Agent")).isEqualTo("keyflow-actions");
		assertThat(storedVariables(instance)).containsEntry("githubUserLogin", "octocat")
			.containsEntry("githubUserId", 1L)
			.containsEntry("githubUserName", "monalisa octocat")
			.containsEntry("githubUserEmail", "octocat@github.com")
			.containsEntry("githubUserStatus", 200);
	}

	@Test
	void createIssueWhenPersonalAccessTokenByKeyThenPostsDocumentedBodyAndStoresNumber() throws Exception {
		String pat = store(CredentialType.API_KEY, "GITHUB_PAT", "github", null, Set.of(), Map.of());
		deploy(process("github-issue", (task) -> task.camundaDelegateExpression("${githubCreateIssueAction}")
			.camundaInputParameter("owner", "octocat")
			.camundaInputParameter("repo", "Hello-World")
			.camundaInputParameter("title", "Found a bug")
			.camundaInputParameter("issueBody", "I'm having a problem with this.")
			.camundaInputParameter("labels", "bug, ui"), Map.of("credential.key", "GITHUB_PAT")));
		SERVER.enqueue(201, "application/json; charset=utf-8", """
				{"id": 1, "node_id": "MDU6SXNzdWUx",
				 "url": "https://api.github.com/repos/octocat/Hello-World/issues/1347",
				 "html_url": "https://github.com/octocat/Hello-World/issues/1347",
				 "number": 1347, "state": "open", "title": "Found a bug", "body": "I'm having a problem with this.",
				 "labels": [{"id": 208045946, "name": "bug"}, {"id": 208045947, "name": "ui"}]}""");

		ProcessInstance instance = startAs("octo-bob", "github-issue");

		LocalHttpServer.Recorded request = SERVER.take();
		assertThat(request.method()).isEqualTo("POST");
		assertThat(request.path()).isEqualTo("/repos/octocat/Hello-World/issues");
		assertThat(request.header("Authorization")).isEqualTo("Bearer " + pat);
		assertThat(request.header("Accept")).isEqualTo("application/vnd.github+json");
		assertThat(request.header("X-GitHub-Api-Version")).isEqualTo("2022-11-28");
		assertThat(request.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
		assertThat(request.body()).isEqualTo(
				"{\"title\":\"Found a bug\",\"body\":\"I'm having a problem with this.\",\"labels\":[\"bug\",\"ui\"]}");
		assertThat(storedVariables(instance)).containsEntry("githubIssueNumber", 1347L)
			.containsEntry("githubIssueId", 1L)
			.containsEntry("githubIssueUrl", "https://github.com/octocat/Hello-World/issues/1347")
			.containsEntry("githubIssueStatus", 201);
	}

	@Test
	void createIssueWhenRepositoryNotFoundThenFailureShowsGithubsAnswerButNotTheToken() {
		String pat = store(CredentialType.API_KEY, "GITHUB_PAT_404", "github", null, Set.of(), Map.of());
		deploy(process("github-issue-404", (task) -> task.camundaDelegateExpression("${githubCreateIssueAction}")
			.camundaInputParameter("owner", "octocat")
			.camundaInputParameter("repo", "missing")
			.camundaInputParameter("title", "Hello"), Map.of("credential.key", "GITHUB_PAT_404")));
		SERVER.enqueue(404, "application/json; charset=utf-8",
				"{\"message\":\"Not Found\",\"documentation_url\":\"https://docs.github.com/rest/issues/issues#create-an-issue\",\"status\":\"404\"}");

		assertThatThrownBy(() -> startAs("octo-bob", "github-issue-404")).isInstanceOf(ActionFailedException.class)
			.hasMessage("GitHub POST " + SERVER.url() + "/repos/octocat/missing/issues answered 404: "
					+ "{\"message\":\"Not Found\",\"documentation_url\":\"https://docs.github.com/rest/issues/issues#create-an-issue\",\"status\":\"404\"}")
			.hasMessageNotContaining(pat);
	}

	@Test
	void createIssueWhenRepoContainsSlashThenRefusedBeforeSending() {
		store(CredentialType.API_KEY, "GITHUB_PAT_SLASH", "github", null, Set.of(), Map.of());
		deploy(process("github-issue-slash", (task) -> task.camundaDelegateExpression("${githubCreateIssueAction}")
			.camundaInputParameter("owner", "octocat")
			.camundaInputParameter("repo", "../../user")
			.camundaInputParameter("title", "Hello"), Map.of("credential.key", "GITHUB_PAT_SLASH")));

		assertThatThrownBy(() -> startAs("octo-bob", "github-issue-slash")).isInstanceOf(ActionInputException.class)
			.hasMessage("input 'repo' must not contain '/'");
		assertThat(SERVER.pending()).isZero();
	}

	@Test
	void listRepositoriesWhenPagingInputsThenQueryAndFullNames() throws Exception {
		String token = store(CredentialType.OAUTH2, null, "github", "octo-carol", Set.of("repo"), Map.of());
		deploy(process("github-repos", (task) -> task.camundaDelegateExpression("${githubListRepositoriesAction}")
			.camundaInputParameter("visibility", "all")
			.camundaInputParameter("sort", "updated")
			.camundaInputParameter("perPage", "2"), Map.of()));
		SERVER.enqueue(new LocalHttpServer.Answer(200, "application/json; charset=utf-8", """
				[{"id": 1296269, "name": "Hello-World", "full_name": "octocat/Hello-World", "private": false},
				 {"id": 1296270, "name": "Spoon-Knife", "full_name": "octocat/Spoon-Knife", "private": false}]""",
				Map.of("Link", "<https://api.github.com/user/repos?page=2&per_page=2>; rel=\"next\""),
				java.time.Duration.ZERO));

		ProcessInstance instance = startAs("octo-carol", "github-repos");

		LocalHttpServer.Recorded request = SERVER.take();
		assertThat(request.method()).isEqualTo("GET");
		assertThat(request.path()).isEqualTo("/user/repos");
		assertThat(request.rawQuery()).isEqualTo("visibility=all&sort=updated&per_page=2");
		assertThat(request.header("Authorization")).isEqualTo("Bearer " + token);
		Map<String, Object> variables = storedVariables(instance);
		assertThat(variables).containsEntry("githubReposCount", 2)
			.containsEntry("githubReposFullNames", "octocat/Hello-World,octocat/Spoon-Knife");
		assertThat((String) variables.get("githubReposHeaders")).contains("rel=\\\"next\\\"");
	}

}
