package io.keyflow.actions.autoconfigure;

import io.keyflow.actions.ActionHttpClient;
import io.keyflow.actions.GitHubCreateIssueAction;
import io.keyflow.actions.GitHubGetUserAction;
import io.keyflow.actions.GitHubListRepositoriesAction;
import io.keyflow.actions.GoogleSheetsAppendRowAction;
import io.keyflow.actions.HttpRequestAction;
import io.keyflow.actions.OpenAiChatCompletionAction;
import io.keyflow.actions.SlackPostMessageAction;

import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Registers every Keyflow action as a bean for {@code camunda:delegateExpression="${githubCreateIssueAction}"},
 * configured from {@code keyflow.actions.*} (base URLs, timeouts, egress allow-list), all sharing one HTTP client. Off with
 * {@code keyflow.actions.enabled=false}.
 */
@AutoConfiguration
@ConditionalOnClass(JavaDelegate.class)
@ConditionalOnProperty(prefix = "keyflow.actions", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(KeyflowActionsProperties.class)
public class KeyflowActionsAutoConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	public ActionHttpClient keyflowActionHttpClient(KeyflowActionsProperties properties) {
		return ActionHttpClient.builder()
			.connectTimeout(properties.getConnectTimeout())
			.requestTimeout(properties.getRequestTimeout())
			.allowedUrls(properties.getAllowedUrls())
			.allowInsecureLoopback(properties.isAllowInsecureLoopback())
			.build();
	}

	@Bean
	@ConditionalOnMissingBean
	public HttpRequestAction httpRequestAction(ActionHttpClient client) {
		return new HttpRequestAction(client);
	}

	@Bean
	@ConditionalOnMissingBean
	public GitHubGetUserAction githubGetUserAction(ActionHttpClient client, KeyflowActionsProperties properties) {
		return new GitHubGetUserAction(client, properties.getGithub().getBaseUrl());
	}

	@Bean
	@ConditionalOnMissingBean
	public GitHubCreateIssueAction githubCreateIssueAction(ActionHttpClient client, KeyflowActionsProperties properties) {
		return new GitHubCreateIssueAction(client, properties.getGithub().getBaseUrl());
	}

	@Bean
	@ConditionalOnMissingBean
	public GitHubListRepositoriesAction githubListRepositoriesAction(ActionHttpClient client,
			KeyflowActionsProperties properties) {
		return new GitHubListRepositoriesAction(client, properties.getGithub().getBaseUrl());
	}

	@Bean
	@ConditionalOnMissingBean
	public SlackPostMessageAction slackPostMessageAction(ActionHttpClient client, KeyflowActionsProperties properties) {
		return new SlackPostMessageAction(client, properties.getSlack().getBaseUrl());
	}

	@Bean
	@ConditionalOnMissingBean
	public GoogleSheetsAppendRowAction googleSheetsAppendRowAction(ActionHttpClient client,
			KeyflowActionsProperties properties) {
		return new GoogleSheetsAppendRowAction(client, properties.getGoogleSheets().getBaseUrl());
	}

	@Bean
	@ConditionalOnMissingBean
	public OpenAiChatCompletionAction openAiChatCompletionAction(ActionHttpClient client,
			KeyflowActionsProperties properties) {
		return new OpenAiChatCompletionAction(client, properties.getOpenai().getBaseUrl());
	}

}
