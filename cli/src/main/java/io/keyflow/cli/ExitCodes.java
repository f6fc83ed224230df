package io.keyflow.cli;

import io.keyflow.client.KeyflowClientException;

/**
 * The exit codes of {@code keyflow}, a contract for shell scripts (docs/cli.md lists them).
 */
final class ExitCodes {

	/** Done. */
	static final int OK = 0;

	/** Wrong arguments or environment, or the server refused the input as invalid (HTTP 400). */
	static final int USAGE = 1;

	/** No such credential, provider or endpoint (HTTP 404). */
	static final int NOT_FOUND = 2;

	/** Refused: a conflict, a read-only store, a provider that refused a refresh (HTTP 409, 502). */
	static final int REFUSED = 3;

	/** Not authenticated, or the API key may not do that (HTTP 401, 403). */
	static final int AUTH = 4;

	/** The server failed or could not be reached (HTTP 5xx, network). */
	static final int SERVER = 5;

	private ExitCodes() {
	}

	/**
	 * @param ex what a command threw
	 * @return its exit code
	 */
	static int of(Throwable ex) {
		if (ex instanceof UsageException) {
			return USAGE;
		}
		KeyflowClientException client = KeyflowClientException.of(ex);
		if (client == null) {
			// checked here before any call (an unknown --type, a --limit out of range)
			return (ex instanceof io.keyflow.api.InvalidCredentialException || ex instanceof IllegalArgumentException)
					? USAGE : SERVER;
		}
		int status = client.getStatus();
		if (status == 400 || status == 413 || status == 415) {
			return USAGE;
		}
		if (status == 404) {
			return NOT_FOUND;
		}
		if (status == 401 || status == 403) {
			return AUTH;
		}
		if (status == 409 || status == 502) {
			return REFUSED;
		}
		return SERVER;
	}

	/** A usage error found before any call: exit code {@link #USAGE}, the message on stderr. */
	static final class UsageException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		UsageException(String message) {
			super(message);
		}

	}

}
