package io.keyflow.example.demo;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The demo's API-key service: an OpenAI-style {@code POST /demo-api/v1/chat/completions} that accepts only
 * {@code Authorization: Bearer <the demo key>} and answers in OpenAI's documented response shape, so the
 * unchanged {@code OpenAiChatCompletionAction} talks to it ({@code keyflow.actions.openai.base-url}). It does no
 * language modelling: it confirms the key and echoes the question.
 */
@RestController
@Profile("demo")
public class DemoChatApi {

	private static final int MAX_ECHO = 200;

	private final DemoApiKey key;

	DemoChatApi(DemoApiKey key) {
		this.key = key;
	}

	@PostMapping(path = "/demo-api/v1/chat/completions", produces = "application/json")
	ResponseEntity<Map<String, Object>> completions(
			@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
			@RequestBody(required = false) Map<String, Object> request) {
		String presented = (authorization != null && authorization.startsWith("Bearer "))
				? authorization.substring("Bearer ".length()) : null;
		if (!this.key.matches(presented)) {
			// OpenAI's error shape; the presented value is never echoed
			return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
				.body(Map.of("error", Map.of("message", "Incorrect API key provided.", "type", "invalid_request_error",
						"code", "invalid_api_key")));
		}
		String model = (request != null && request.get("model") instanceof String name) ? name : "demo-model";
		String content = "Keyflow demo chat API: your API key was accepted. You asked: \"" + question(request) + "\"";
		return ResponseEntity.ok(Map.of("id", "chatcmpl-demo-" + Instant.now().toEpochMilli(), "object",
				"chat.completion", "created", Instant.now().getEpochSecond(), "model", model, "choices",
				List.of(Map.of("index", 0, "message", Map.of("role", "assistant", "content", content), "finish_reason",
						"stop")),
				"usage", Map.of("prompt_tokens", 9, "completion_tokens", 12, "total_tokens", 21)));
	}

	private static String question(Map<String, Object> request) {
		if (request == null || !(request.get("messages") instanceof List<?> messages)) {
			return "";
		}
		String question = "";
		for (Object message : messages) {
			if (message instanceof Map<?, ?> map && "user".equals(map.get("role"))
					&& map.get("content") instanceof String text) {
				question = text;
			}
		}
		return (question.length() > MAX_ECHO) ? question.substring(0, MAX_ECHO) + "..." : question;
	}

}
