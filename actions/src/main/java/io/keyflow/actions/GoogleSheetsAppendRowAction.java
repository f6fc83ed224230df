package io.keyflow.actions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.keyflow.actions.internal.HttpExchange;
import io.keyflow.actions.internal.Inputs;
import io.keyflow.actions.internal.Json;
import io.keyflow.actions.internal.ServiceAction;
import io.keyflow.api.RequiresCredential;

import org.camunda.bpm.engine.delegate.DelegateExecution;

/**
 * Google Sheets: append rows after the table found in a range
 * ({@code POST /v4/spreadsheets/{spreadsheetId}/values/{range}:append}).
 * <p>
 * Credential: the process starter's Google OAuth2 connection with the
 * {@code https://www.googleapis.com/auth/spreadsheets} scope.
 * <p>
 * Inputs: {@code spreadsheetId} and {@code range} (A1 notation such as {@code Sheet1!A1}) required;
 * {@code values} required: one row as a list (or JSON array, or comma-separated text), or several rows as a
 * list of lists; {@code valueInputOption} ({@code USER_ENTERED}, the default, parses values as if typed;
 * {@code RAW} stores them as given); {@code insertDataOption} ({@code INSERT_ROWS} or {@code OVERWRITE});
 * {@code resultVariable} (default {@code sheetsAppend}); {@code timeout}. Outputs: {@code <prefix>UpdatedRange}
 * (String), {@code <prefix>UpdatedRows} (Long), plus the common {@code Status}, {@code Body},
 * {@code Headers} and transient {@code Json}.
 * <p>
 * Base URL: {@code keyflow.actions.google-sheets.base-url}, default {@code https://sheets.googleapis.com}.
 */
@RequiresCredential(oauth2Provider = "google", scopes = "https://www.googleapis.com/auth/spreadsheets")
public class GoogleSheetsAppendRowAction extends ProviderAction {

	private static final Set<String> VALUE_INPUT_OPTIONS = Set.of("USER_ENTERED", "RAW");

	private static final Set<String> INSERT_DATA_OPTIONS = Set.of("INSERT_ROWS", "OVERWRITE");

	/**
	 * For {@code camunda:class}: the shared client, base URL from the system property or the default.
	 */
	public GoogleSheetsAppendRowAction() {
		this(ActionHttpClient.shared(), null);
	}

	/**
	 * @param client the HTTP client
	 * @param baseUrl the Sheets API's base URL, or {@code null} for the system property or the default
	 */
	public GoogleSheetsAppendRowAction(ActionHttpClient client, String baseUrl) {
		super(new ServiceAction(client, baseUrl, "google-sheets", "Google Sheets", "https://sheets.googleapis.com", "sheetsAppend", new Operation()));
	}

	private static String option(Inputs inputs, String name, Set<String> allowed, String defaultValue) {
		String value = inputs.string(name);
		if (value == null) {
			return defaultValue;
		}
		String upper = value.toUpperCase(Locale.ROOT);
		if (!allowed.contains(upper)) {
			throw new ActionInputException(name, "input '" + name + "' must be one of " + allowed.stream().sorted().toList());
		}
		return upper;
	}

	/** What this action sends and reads; the request itself is {@link ServiceAction}'s. */
	private static final class Operation implements ServiceAction.Operation {

		@Override
		public ServiceAction.Call call(Inputs inputs) {
			String spreadsheetId = ServiceAction.segment("spreadsheetId", inputs.requiredString("spreadsheetId"));
			String range = inputs.requiredString("range");
			String valueInputOption = option(inputs, "valueInputOption", VALUE_INPUT_OPTIONS, "USER_ENTERED");
			String insertDataOption = option(inputs, "insertDataOption", INSERT_DATA_OPTIONS, null);
			List<Object> values = inputs.list("values");
			if (values.isEmpty()) {
				throw new ActionInputException("values", "input 'values' is required: one row as a list, or a list of rows");
			}
			List<Object> rows = values.stream().allMatch(List.class::isInstance) ? values : List.of(values);
			String query = "?valueInputOption=" + valueInputOption
					+ ((insertDataOption != null) ? "&insertDataOption=" + insertDataOption : "");
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("range", range);
			body.put("majorDimension", "ROWS");
			body.put("values", new ArrayList<>(rows));
			return new ServiceAction.Call("POST", "/v4/spreadsheets/" + spreadsheetId + "/values/" + ServiceAction.segment("range", range) + ":append"
					+ query, body);
		}

		@Override
		public void writeResults(DelegateExecution execution, String prefix, HttpExchange.Response response) {
			execution.setVariable(prefix + "UpdatedRange", Json.textAt(response.json(), "updates", "updatedRange"));
			execution.setVariable(prefix + "UpdatedRows", Json.longAt(response.json(), "updates", "updatedRows"));
		}

	}

}
