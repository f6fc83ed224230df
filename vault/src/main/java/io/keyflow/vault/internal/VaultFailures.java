package io.keyflow.vault.internal;

import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.web.client.HttpStatusCodeException;
import org.springframework.web.client.RestClientException;
import org.springframework.vault.VaultException;

import io.keyflow.api.CredentialException;
import io.keyflow.vault.VaultUnavailableException;

/**
 * Turns spring-vault's and Spring's client exceptions into Keyflow's: {@link VaultUnavailableException} for
 * what a retry can fix (no answer, 5xx, 429), a plain {@link CredentialException} for what it cannot (403
 * permission denied, 400). The messages are Keyflow's own: a Vault error body is only ever kept as the cause.
 */
public final class VaultFailures {

	private static final Pattern STATUS = Pattern.compile("Status (\\d{3})\\b");

	private VaultFailures() {
	}

	/**
	 * @param action what Keyflow did, e.g. "read" or "list"
	 * @param path the Vault path, shown in messages
	 * @param call the Vault call
	 * @param <T> the call's result
	 * @return the call's result
	 * @throws VaultUnavailableException if Vault did not answer, or answered 5xx or 429
	 * @throws CredentialException if Vault refused the request otherwise
	 */
	public static <T> T call(String action, String path, Supplier<T> call) {
		try {
			return call.get();
		}
		catch (VaultException | RestClientException | IllegalStateException ex) {
			// IllegalStateException: spring-vault's "Cannot obtain VaultToken" when the login itself failed
			throw translate(action, path, ex);
		}
	}

	static CredentialException translate(String action, String path, RuntimeException ex) {
		int status = status(ex);
		if (status < 0 || status >= 500 || status == 429) {
			String reason = (status < 0) ? "is unreachable" : "answered " + status;
			return new VaultUnavailableException("HashiCorp Vault " + reason + " when Keyflow tried to " + action + " "
					+ path + "; this is temporary: retry the task (an asyncBefore job retries) once Vault is back",
					path, status, ex);
		}
		return new CredentialException("HashiCorp Vault refused to " + action + " " + path + " (status " + status
				+ "); check the Vault policy of Keyflow's token and the keyflow.vault.* configuration", ex);
	}

	/**
	 * @return the HTTP status in the cause chain, or {@code -1} when Vault gave none
	 */
	static int status(Throwable ex) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (t instanceof HttpStatusCodeException http) {
				return http.getStatusCode().value();
			}
			// spring-vault builds some exceptions from the status alone: "Status 503 Service Unavailable [path]"
			if (t instanceof VaultException && t.getMessage() != null) {
				Matcher matcher = STATUS.matcher(t.getMessage());
				if (matcher.lookingAt()) {
					return Integer.parseInt(matcher.group(1));
				}
			}
		}
		return -1;
	}

}
