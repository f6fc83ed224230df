package io.keyflow.plugin.internal.metrics;

import java.util.Map;
import java.util.function.Supplier;

/**
 * What Keyflow measures, free of any metrics library: {@link #NONE} when the host has no Micrometer, else
 * {@link MicrometerKeyflowMetrics}. Every tag value comes from a fixed set (outcomes, statuses, grant types) or from
 * configuration (store names): never a principal, key, credential or tenant id.
 */
public interface KeyflowMetrics {

	/** Measures nothing. */
	KeyflowMetrics NONE = new KeyflowMetrics() {
	};

	/** A task got its credential. */
	String RESOLVED = "resolved";

	/** No credential was usable for an optional requirement. */
	String MISSING_OPTIONAL = "missing_optional";

	/** No credential was usable for a required requirement: the task failed. */
	String MISSING = "missing";

	/** The credential needs re-authorisation (its refresh token was refused). */
	String REAUTHORIZATION_REQUIRED = "reauthorization_required";

	/** Resolution failed with an error (decryption, token endpoint, store unreachable). */
	String ERROR = "error";

	/** A token request or refresh that succeeded. */
	String SUCCESS = "success";

	/** The provider answered invalid_grant. */
	String INVALID_GRANT = "invalid_grant";

	/**
	 * @param outcome one of {@link #RESOLVED}, {@link #MISSING}, {@link #MISSING_OPTIONAL},
	 * {@link #REAUTHORIZATION_REQUIRED}, {@link #ERROR}
	 * @param store the store that answered ({@code local}, {@code vault-kv}, a plugin store's name), {@code none}
	 * @param nanos how long the resolution took
	 */
	default void resolution(String outcome, String store, long nanos) {
	}

	/**
	 * @param hit whether the lookup cache answered
	 */
	default void cacheLookup(boolean hit) {
	}

	/**
	 * @param outcome {@link #SUCCESS}, {@link #INVALID_GRANT} or the OAuth2 error code (bounded: see
	 * {@link #oauth2Outcome(String)})
	 */
	default void refresh(String outcome) {
	}

	/**
	 * @param grant the grant type ({@code authorization_code}, {@code refresh_token}, {@code client_credentials})
	 * @param outcome {@link #SUCCESS}, {@link #INVALID_GRANT} or a bounded OAuth2 error code
	 * @param nanos how long the token endpoint took
	 */
	default void tokenRequest(String grant, String outcome, long nanos) {
	}

	/**
	 * @param countsByStatus the number of stored credentials per status, called at most once per scrape
	 */
	default void credentialCounts(Supplier<Map<String, Long>> countsByStatus) {
	}

	/**
	 * @param code an OAuth2 error code from a provider
	 * @return the code when it is one RFC 6749 defines (or Keyflow's {@code invalid_token_response}), else
	 * {@code other}: a provider cannot grow the number of tag values
	 */
	static String oauth2Outcome(String code) {
		return switch (code == null ? "" : code) {
			case "invalid_request", "invalid_client", "invalid_grant", "unauthorized_client", "unsupported_grant_type",
					"invalid_scope", "server_error", "temporarily_unavailable", "invalid_token_response" -> code;
			default -> "other";
		};
	}

}
