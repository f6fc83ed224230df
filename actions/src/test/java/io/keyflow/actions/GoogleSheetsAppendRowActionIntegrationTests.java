package io.keyflow.actions;

import java.util.Map;
import java.util.Set;

import io.keyflow.api.CredentialType;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Google Sheets values.append in a real engine with the starter's Google connection: the documented path
 * (range encoded, {@code :append}, {@code valueInputOption}), body and answer.
 */
class GoogleSheetsAppendRowActionIntegrationTests extends ActionEngineTestSupport {

	private static final String SHEETS_SCOPE = "https://www.googleapis.com/auth/spreadsheets";

	private static final String SPREADSHEET = "1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms";

	@Test
	void appendWhenStarterHasGoogleConnectionThenPostsRowAndStoresUpdatedRange() throws Exception {
		String token = store(CredentialType.OAUTH2, null, "google", "sheet-alice", Set.of(SHEETS_SCOPE), Map.of());
		deploy(process("sheets-append", (task) -> task.camundaDelegateExpression("${googleSheetsAppendRowAction}")
			.camundaInputParameter("spreadsheetId", SPREADSHEET)
			.camundaInputParameter("range", "'Q3 Sales'!A1")
			.camundaInputParameter("values", "[\"2024-07-01\", \"Widget\", 3]"), Map.of()));
		SERVER.enqueue(200, "application/json; charset=UTF-8", """
				{"spreadsheetId": "%s", "tableRange": "'Q3 Sales'!A1:C10",
				 "updates": {"spreadsheetId": "%s", "updatedRange": "'Q3 Sales'!A11:C11",
				  "updatedRows": 1, "updatedColumns": 3, "updatedCells": 3}}""".formatted(SPREADSHEET, SPREADSHEET));

		ProcessInstance instance = startAs("sheet-alice", "sheets-append");

		LocalHttpServer.Recorded request = SERVER.take();
		assertThat(request.method()).isEqualTo("POST");
		assertThat(request.path()).isEqualTo("/v4/spreadsheets/" + SPREADSHEET + "/values/'Q3%20Sales'!A1:append");
		assertThat(request.rawQuery()).isEqualTo("valueInputOption=USER_ENTERED");
		assertThat(request.header("Authorization")).isEqualTo("Bearer " + token);
		assertThat(request.body()).isEqualTo(
				"{\"range\":\"'Q3 Sales'!A1\",\"majorDimension\":\"ROWS\",\"values\":[[\"2024-07-01\",\"Widget\",3]]}");
		assertThat(storedVariables(instance)).containsEntry("sheetsAppendUpdatedRange", "'Q3 Sales'!A11:C11")
			.containsEntry("sheetsAppendUpdatedRows", 1L);
	}

	@Test
	void appendWhenGoogleDeniesThenFailureShowsStatusAndGooglesMessage() {
		String token = store(CredentialType.OAUTH2, null, "google", "sheet-bob", Set.of(SHEETS_SCOPE), Map.of());
		deploy(process("sheets-denied", (task) -> task.camundaDelegateExpression("${googleSheetsAppendRowAction}")
			.camundaInputParameter("spreadsheetId", SPREADSHEET)
			.camundaInputParameter("range", "Sheet1")
			.camundaInputParameter("valueInputOption", "raw")
			.camundaInputParameter("values", "a, b"), Map.of()));
		SERVER.enqueue(403, "application/json; charset=UTF-8",
				"{\"error\": {\"code\": 403, \"message\": \"The caller does not have permission\", \"status\": \"PERMISSION_DENIED\"}}");

		assertThatThrownBy(() -> startAs("sheet-bob", "sheets-denied")).isInstanceOf(ActionFailedException.class)
			.hasMessageContaining("Google Sheets POST " + SERVER.url() + "/v4/spreadsheets/" + SPREADSHEET
					+ "/values/Sheet1:append answered 403: ")
			.hasMessageContaining("The caller does not have permission")
			.hasMessageNotContaining(token);
		assertThat(uncheckedTake().rawQuery()).isEqualTo("valueInputOption=RAW");
	}

	private LocalHttpServer.Recorded uncheckedTake() {
		try {
			LocalHttpServer.Recorded request = SERVER.take();
			assertThat(request.body()).isEqualTo("{\"range\":\"Sheet1\",\"majorDimension\":\"ROWS\",\"values\":[[\"a\",\"b\"]]}");
			return request;
		}
		catch (InterruptedException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
