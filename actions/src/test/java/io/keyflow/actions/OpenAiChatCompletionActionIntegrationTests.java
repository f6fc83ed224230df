package io.keyflow.actions;

import java.util.Map;
import java.util.Set;

import io.keyflow.actions.internal.BaseUrls;
import io.keyflow.api.CredentialType;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The OpenAI-style chat completion through {@code camunda:class} (the engine creates the action, so its base URL
 * comes from the system property {@code keyflow.actions.openai.base-url}), with an API key credential.
 */
class OpenAiChatCompletionActionIntegrationTests extends ActionEngineTestSupport {

	@BeforeEach
	void pointOpenAiAtTheLocalServer() {
		System.setProperty(BaseUrls.propertyName("openai"), SERVER.url());
	}

	@AfterEach
	void clearBaseUrl() {
		System.clearProperty(BaseUrls.propertyName("openai"));
	}

	@Test
	void completeWhenApiKeyThenBearerKeyMessagesAndFirstChoice() throws Exception {
		String apiKey = store(CredentialType.API_KEY, "OPENAI_DEFAULT", "openai", null, Set.of(), Map.of());
		deploy(process("chat", (task) -> task.camundaClass(OpenAiChatCompletionAction.class)
			.camundaInputParameter("model", "gpt-4.1")
			.camundaInputParameter("systemPrompt", "You are terse.")
			.camundaInputParameter("prompt", "Hello!")
			.camundaInputParameter("temperature", "0.2"), Map.of()));
		SERVER.enqueue(200, "application/json", """
				{"id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", "object": "chat.completion", "created": 1741569952,
				 "model": "gpt-4.1-2025-04-14",
				 "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello! How can I assist you today?",
				  "refusal": null, "annotations": []}, "logprobs": null, "finish_reason": "stop"}],
				 "usage": {"prompt_tokens": 19, "completion_tokens": 10, "total_tokens": 29}, "service_tier": "default"}""");

		ProcessInstance instance = startAs("alice", "chat");

		LocalHttpServer.Recorded request = SERVER.take();
		assertThat(request.method()).isEqualTo("POST");
		assertThat(request.path()).isEqualTo("/v1/chat/completions");
		assertThat(request.header("Authorization")).isEqualTo("Bearer " + apiKey);
		assertThat(request.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
		assertThat(request.body()).isEqualTo("{\"model\":\"gpt-4.1\",\"messages\":["
				+ "{\"role\":\"system\",\"content\":\"You are terse.\"},{\"role\":\"user\",\"content\":\"Hello!\"}],"
				+ "\"temperature\":0.2}");
		assertThat(storedVariables(instance)).containsEntry("chatContent", "Hello! How can I assist you today?")
			.containsEntry("chatFinishReason", "stop")
			.containsEntry("chatModel", "gpt-4.1-2025-04-14")
			.containsEntry("chatTotalTokens", 29L);
	}

	@Test
	void completeWhenKeyRejectedAndEchoedThenFailureIsScrubbed() {
		String apiKey = store(CredentialType.API_KEY, "OPENAI_BAD", "openai", null, Set.of(), Map.of());
		deploy(process("chat-401", (task) -> task.camundaClass(OpenAiChatCompletionAction.class)
			.camundaInputParameter("model", "gpt-4.1")
			.camundaInputParameter("prompt", "Hello!"), Map.of("credential.key", "OPENAI_BAD")));
		SERVER.enqueue(401, "application/json", "{\"error\": {\"message\": \"Incorrect API key provided: " + apiKey
				+ ". You can find your API key at https://platform.openai.com/account/api-keys.\", "
				+ "\"type\": \"invalid_request_error\", \"param\": null, \"code\": \"invalid_api_key\"}}");

		assertThatThrownBy(() -> startAs("alice", "chat-401")).isInstanceOf(ActionFailedException.class)
			.hasMessageStartingWith("OpenAI POST " + SERVER.url() + "/v1/chat/completions answered 401: "
					+ "{\"error\": {\"message\": \"Incorrect API key provided: [redacted]. You can find")
			.hasMessageNotContaining(apiKey);
	}

}
