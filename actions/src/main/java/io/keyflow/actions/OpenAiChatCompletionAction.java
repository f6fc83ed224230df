package io.keyflow.actions;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.keyflow.actions.internal.HttpExchange;
import io.keyflow.actions.internal.Inputs;
import io.keyflow.actions.internal.Json;
import io.keyflow.actions.internal.ServiceAction;
import io.keyflow.api.CredentialFallback;
import io.keyflow.api.CredentialType;
import io.keyflow.api.RequiresCredential;

import org.camunda.bpm.engine.delegate.DelegateExecution;

/**
 * An OpenAI-style chat completion ({@code POST /v1/chat/completions} with {@code Authorization: Bearer <apiKey>}).
 * Works with OpenAI and with the many servers that speak the same API (point the base URL at them).
 * <p>
 * Credential: an API key with service {@code openai} (a task can name another service or key with
 * {@code credential.provider} / {@code credential.key}).
 * <p>
 * Inputs: {@code model} (required, e.g. {@code gpt-4o-mini}); {@code prompt} (the user message) or
 * {@code messages} (a list or JSON array of {@code {"role": ..., "content": ...}}), one of them required;
 * {@code systemPrompt} (a system message put first); {@code temperature} (number); {@code resultVariable}
 * (default {@code chat}); {@code timeout} (completions can be slow: consider {@code PT60S}). Outputs:
 * {@code <prefix>Content} (String, the first choice's message), {@code <prefix>FinishReason} (String),
 * {@code <prefix>Model} (String), {@code <prefix>TotalTokens} (Long), plus the common {@code Status},
 * {@code Body}, {@code Headers} and transient {@code Json}.
 * <p>
 * Base URL: {@code keyflow.actions.openai.base-url}, default {@code https://api.openai.com}.
 */
// an organisation's API key is the usual credential: a starter without a key of their own uses the tenant's
@RequiresCredential(service = "openai", types = { CredentialType.API_KEY, CredentialType.STATIC },
		fallback = CredentialFallback.TENANT)
public class OpenAiChatCompletionAction extends ProviderAction {

	/**
	 * For {@code camunda:class}: the shared client, base URL from the system property or the default.
	 */
	public OpenAiChatCompletionAction() {
		this(ActionHttpClient.shared(), null);
	}

	/**
	 * @param client the HTTP client
	 * @param baseUrl the API's base URL, or {@code null} for the system property or the default
	 */
	public OpenAiChatCompletionAction(ActionHttpClient client, String baseUrl) {
		super(new ServiceAction(client, baseUrl, "openai", "OpenAI", "https://api.openai.com", "chat", new Operation()));
	}

	private static Map<String, Object> message(String role, String content) {
		// role first, as in OpenAI's documentation
		Map<String, Object> message = new LinkedHashMap<>();
		message.put("role", role);
		message.put("content", content);
		return message;
	}

	/** What this action sends and reads; the request itself is {@link ServiceAction}'s. */
	private static final class Operation implements ServiceAction.Operation {

		@Override
		public ServiceAction.Call call(Inputs inputs) {
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("model", inputs.requiredString("model"));
			List<Object> messages = new ArrayList<>();
			String systemPrompt = inputs.text("systemPrompt");
			if (systemPrompt != null) {
				messages.add(message("system", systemPrompt));
			}
			messages.addAll(inputs.list("messages"));
			String prompt = inputs.text("prompt");
			if (prompt != null) {
				messages.add(message("user", prompt));
			}
			if (messages.stream().noneMatch(m -> !"system".equals(Json.textAt(m, "role")))) {
				throw new ActionInputException("prompt", "input 'prompt' or 'messages' is required");
			}
			body.put("messages", messages);
			String temperature = inputs.string("temperature");
			if (temperature != null) {
				try {
					body.put("temperature", new BigDecimal(temperature));
				}
				catch (NumberFormatException ex) {
					throw new ActionInputException("temperature", "input 'temperature' must be a number such as 0.2");
				}
			}
			return new ServiceAction.Call("POST", "/v1/chat/completions", body);
		}

		@Override
		public void writeResults(DelegateExecution execution, String prefix, HttpExchange.Response response) {
			Object firstChoice = (Json.at(response.json(), "choices") instanceof List<?> choices && !choices.isEmpty())
					? choices.get(0) : null;
			execution.setVariable(prefix + "Content", Json.textAt(firstChoice, "message", "content"));
			execution.setVariable(prefix + "FinishReason", Json.textAt(firstChoice, "finish_reason"));
			execution.setVariable(prefix + "Model", Json.textAt(response.json(), "model"));
			execution.setVariable(prefix + "TotalTokens", Json.longAt(response.json(), "usage", "total_tokens"));
		}

	}

}
