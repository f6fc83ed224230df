package io.keyflow.client;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import io.keyflow.api.CredentialChangedException;
import io.keyflow.api.CredentialConflictException;
import io.keyflow.api.CredentialException;
import io.keyflow.api.CredentialMissingException;
import io.keyflow.api.CredentialNotFoundException;
import io.keyflow.api.ExternalTaskLockNotOwnedException;
import io.keyflow.api.ExternalTaskNotFoundException;
import io.keyflow.api.ExternalTaskNotLockedException;
import io.keyflow.api.SealedCredentialException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The problem codes the server sends (keyflow-rest's {@code ErrorCode}) and the exception each becomes: the
 * plugin-api type, the server's detail as its message, a {@link KeyflowClientException} with status and code as its
 * cause.
 */
class TransportProblemUnitTests {

	private static final String CREDENTIALS = "/api/credentials";

	private static final String EXCHANGE = "/api/credentials/external-tasks/task%201/credential";

	@Test
	void credentialSealedIsASealedCredentialException() {
		assertMapped(403, "CREDENTIAL_SEALED", EXCHANGE, SealedCredentialException.class);
	}

	@Test
	void preconditionFailedIsACredentialChangedException() {
		CredentialException ex = assertMapped(412, "PRECONDITION_FAILED", CREDENTIALS, CredentialChangedException.class);
		assertThat(KeyflowClientException.of(ex).getField()).isEqualTo("If-Match");
	}

	@Test
	void taskNotLockedIsAnExternalTaskNotLockedException() {
		assertMapped(409, "TASK_NOT_LOCKED", EXCHANGE, ExternalTaskNotLockedException.class);
	}

	@Test
	void lockNotOwnedIsAnExternalTaskLockNotOwnedException() {
		assertMapped(403, "LOCK_NOT_OWNED", EXCHANGE, ExternalTaskLockNotOwnedException.class);
	}

	@Test
	void credentialMissingIsACredentialMissingException() {
		assertMapped(422, "CREDENTIAL_MISSING", EXCHANGE, CredentialMissingException.class);
	}

	@Test
	void notFoundOnTheExchangeIsAnExternalTaskNotFoundExceptionNamingTheDecodedTask() {
		CredentialException ex = Transport.problem(404, problem(404, "NOT_FOUND"), EXCHANGE);
		assertThat(ex).isInstanceOf(ExternalTaskNotFoundException.class);
		assertThat(((ExternalTaskNotFoundException) ex).getExternalTaskId()).isEqualTo("task 1");
		assertThat(KeyflowClientException.of(ex).getCode()).isEqualTo("NOT_FOUND");
	}

	@Test
	void notFoundElsewhereIsACredentialNotFoundException() {
		assertMapped(404, "NOT_FOUND", CREDENTIALS + "/abc", CredentialNotFoundException.class);
	}

	@Test
	void requestNotOpenIsACredentialConflictException() {
		CredentialException ex = assertMapped(409, "REQUEST_NOT_OPEN", CREDENTIALS + "/requests/r1/fulfil",
				CredentialConflictException.class);
		assertThat(ex).isNotInstanceOf(CredentialChangedException.class);
	}

	@Test
	void redirectUriMissingIsAClientExceptionNamingTheProperty() {
		JsonNode json = Transport.JSON.createObjectNode()
			.put("status", 503)
			.put("code", "REDIRECT_URI_MISSING")
			.put("field", "keyflow.oauth2.redirect-uri")
			.put("detail", "set keyflow.oauth2.redirect-uri");
		CredentialException ex = Transport.problem(503, json, CREDENTIALS + "/oauth2/github/start");
		assertThat(ex).isExactlyInstanceOf(KeyflowClientException.class);
		KeyflowClientException client = (KeyflowClientException) ex;
		assertThat(client.getStatus()).isEqualTo(503);
		assertThat(client.getCode()).isEqualTo("REDIRECT_URI_MISSING");
		assertThat(client.getField()).isEqualTo("keyflow.oauth2.redirect-uri");
		assertThat(client).hasMessage("set keyflow.oauth2.redirect-uri");
	}

	@Test
	void anAnswerThatIsNoProblemIsAClientExceptionWithTheStatus() {
		CredentialException ex = Transport.problem(502, null, CREDENTIALS);
		assertThat(ex).isExactlyInstanceOf(KeyflowClientException.class);
		assertThat(((KeyflowClientException) ex).getStatus()).isEqualTo(502);
		assertThat(ex.getMessage()).contains("HTTP 502", "KEYFLOW_URL");
	}

	private static CredentialException assertMapped(int status, String code, String path,
			Class<? extends CredentialException> type) {
		CredentialException ex = Transport.problem(status, problem(status, code), path);
		assertThat(ex).isInstanceOf(type).hasMessage("the server's detail for " + code);
		KeyflowClientException client = KeyflowClientException.of(ex);
		assertThat(client.getStatus()).isEqualTo(status);
		assertThat(client.getCode()).isEqualTo(code);
		return ex;
	}

	private static JsonNode problem(int status, String code) {
		return Transport.JSON.createObjectNode()
			.put("status", status)
			.put("code", code)
			.put("field", "PRECONDITION_FAILED".equals(code) ? "If-Match" : null)
			.put("detail", "the server's detail for " + code);
	}

}
