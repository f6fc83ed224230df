package io.keyflow.actions;

import java.util.LinkedHashMap;
import java.util.Map;

import io.keyflow.actions.internal.HttpExchange;
import io.keyflow.actions.internal.Inputs;
import io.keyflow.actions.internal.Json;
import io.keyflow.actions.internal.ServiceAction;
import io.keyflow.api.CredentialType;
import io.keyflow.api.RequiresCredential;

import org.camunda.bpm.engine.delegate.DelegateExecution;

/**
 * Slack: post a message ({@code POST /api/chat.postMessage}, JSON body).
 * <p>
 * Credential: a Slack OAuth2 connection, or a bot token ({@code xoxb-...}) stored as an API key with provider
 * {@code slack}; it needs the {@code chat:write} scope (not declared on the class, since a stored bot token
 * carries no scope list).
 * <p>
 * Slack answers HTTP 200 with {@code {"ok": false, "error": "channel_not_found"}} when a call fails; that fails
 * the task with an {@link ActionFailedException} whose error code is Slack's.
 * <p>
 * Inputs: {@code channel} (required, an id such as {@code C0123456789} or a name such as {@code #general});
 * {@code text} (required unless {@code blocks} is given; with blocks it is the notification fallback);
 * {@code blocks} (Block Kit blocks as a list or JSON array text); {@code threadTs} (reply in a thread);
 * {@code resultVariable} (default {@code slackMessage}); {@code timeout}. Outputs: {@code <prefix>Ts} (String,
 * the message's timestamp id), {@code <prefix>Channel} (String, the channel id), plus the common
 * {@code Status}, {@code Body}, {@code Headers} and transient {@code Json}.
 * <p>
 * Base URL: {@code keyflow.actions.slack.base-url}, default {@code https://slack.com}.
 */
@RequiresCredential(oauth2Provider = "slack", types = { CredentialType.OAUTH2, CredentialType.API_KEY })
public class SlackPostMessageAction extends ProviderAction {

	/**
	 * For {@code camunda:class}: the shared client, base URL from the system property or the default.
	 */
	public SlackPostMessageAction() {
		this(ActionHttpClient.shared(), null);
	}

	/**
	 * @param client the HTTP client
	 * @param baseUrl Slack's base URL, or {@code null} for the system property or the default
	 */
	public SlackPostMessageAction(ActionHttpClient client, String baseUrl) {
		super(new ServiceAction(client, baseUrl, "slack", "Slack", "https://slack.com", "slackMessage", new Operation()));
	}

	/** What this action sends and reads; the request itself is {@link ServiceAction}'s. */
	private static final class Operation implements ServiceAction.Operation {

		private static final String SERVICE_NAME = "Slack";

		@Override
		public ServiceAction.Call call(Inputs inputs) {
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("channel", inputs.requiredString("channel"));
			String text = inputs.text("text");
			var blocks = inputs.list("blocks");
			if (text == null && blocks.isEmpty()) {
				throw new ActionInputException("text", "input 'text' is required unless 'blocks' is given");
			}
			if (text != null) {
				body.put("text", text);
			}
			if (!blocks.isEmpty()) {
				body.put("blocks", blocks);
			}
			String threadTs = inputs.string("threadTs");
			if (threadTs != null) {
				body.put("thread_ts", threadTs);
			}
			return new ServiceAction.Call("POST", "/api/chat.postMessage", body);
		}

		@Override
		public void check(HttpExchange.Request request, HttpExchange.Response response) {
			if (!Boolean.TRUE.equals(Json.at(response.json(), "ok"))) {
				String error = Json.textAt(response.json(), "error");
				throw new ActionFailedException(SERVICE_NAME, response.status(), error, SERVICE_NAME + " "
						+ request.describe() + " answered ok=false: "
						+ ((error != null) ? error : HttpExchange.excerpt(response.body())));
			}
		}

		@Override
		public void writeResults(DelegateExecution execution, String prefix, HttpExchange.Response response) {
			execution.setVariable(prefix + "Ts", Json.textAt(response.json(), "ts"));
			execution.setVariable(prefix + "Channel", Json.textAt(response.json(), "channel"));
		}

	}

}
