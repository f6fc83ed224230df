package io.keyflow.actions;

import java.util.Map;
import java.util.Set;

import io.keyflow.api.CredentialType;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Slack's chat.postMessage in a real engine: the bot token reaches the documented JSON request, and Slack's
 * HTTP 200 {@code "ok": false} answers fail the task with Slack's error code.
 */
class SlackPostMessageActionIntegrationTests extends ActionEngineTestSupport {

	@Test
	void postWhenBotTokenByKeyThenJsonBodyAndMessageTs() throws Exception {
		String botToken = store(CredentialType.API_KEY, "SLACK_BOT", "slack", null, Set.of(), Map.of());
		deploy(process("slack-post", (task) -> task.camundaDelegateExpression("${slackPostMessageAction}")
			.camundaInputParameter("channel", "C0123456789")
			.camundaInputParameter("text", "Order ${'42'} shipped")
			.camundaInputParameter("threadTs", "1503435956.000247"), Map.of("credential.key", "SLACK_BOT")));
		SERVER.enqueue(200, "application/json; charset=utf-8", """
				{"ok": true, "channel": "C0123456789", "ts": "1503435957.000300",
				 "message": {"type": "message", "subtype": "bot_message", "text": "Order 42 shipped",
				 "ts": "1503435957.000300", "bot_id": "B123ABC456"}}""");

		ProcessInstance instance = startAs("alice", "slack-post");

		LocalHttpServer.Recorded request = SERVER.take();
		assertThat(request.method()).isEqualTo("POST");
		assertThat(request.path()).isEqualTo("/api/chat.postMessage");
		assertThat(request.header("Authorization")).isEqualTo("Bearer " + botToken);
		assertThat(request.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
		assertThat(request.body()).isEqualTo(
				"{\"channel\":\"C0123456789\",\"text\":\"Order 42 shipped\",\"thread_ts\":\"1503435956.000247\"}");
		assertThat(storedVariables(instance)).containsEntry("slackMessageTs", "1503435957.000300")
			.containsEntry("slackMessageChannel", "C0123456789");
	}

	@Test
	void postWhenSlackAnswersOkFalseThenTaskFailsWithSlacksErrorCode() {
		String botToken = store(CredentialType.API_KEY, "SLACK_BOT_2", "slack", null, Set.of(), Map.of());
		deploy(process("slack-post-fail", (task) -> task.camundaDelegateExpression("${slackPostMessageAction}")
			.camundaInputParameter("channel", "#nowhere")
			.camundaInputParameter("text", "hi"), Map.of("credential.key", "SLACK_BOT_2")));
		SERVER.enqueue(200, "application/json; charset=utf-8", "{\"ok\": false, \"error\": \"channel_not_found\"}");

		assertThatThrownBy(() -> startAs("alice", "slack-post-fail")).isInstanceOf(ActionFailedException.class)
			.hasMessage("Slack POST " + SERVER.url() + "/api/chat.postMessage answered ok=false: channel_not_found")
			.hasMessageNotContaining(botToken)
			.extracting((ex) -> ((ActionFailedException) ex).getErrorCode())
			.isEqualTo("channel_not_found");
	}

	@Test
	void postWhenNeitherTextNorBlocksThenInputError() {
		store(CredentialType.API_KEY, "SLACK_BOT_3", "slack", null, Set.of(), Map.of());
		deploy(process("slack-post-empty", (task) -> task.camundaDelegateExpression("${slackPostMessageAction}")
			.camundaInputParameter("channel", "C1"), Map.of("credential.key", "SLACK_BOT_3")));

		assertThatThrownBy(() -> startAs("alice", "slack-post-empty")).isInstanceOf(ActionInputException.class)
			.hasMessage("input 'text' is required unless 'blocks' is given");
	}

}
