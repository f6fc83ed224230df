package io.keyflow.plugin.internal.oauth2;

import java.util.Map;
import java.util.Objects;

import io.keyflow.api.InvalidCredentialException;

/**
 * Finds the client registration for a provider: the one stored with a connection ({@code clientRef}), else the
 * one configured under {@code keyflow.oauth2.clients.<provider>}.
 */
public final class OAuth2Clients {

	private final Map<String, Client> configured;

	private final OAuth2Tables tables;

	public OAuth2Clients(Map<String, Client> configured, OAuth2Tables tables) {
		this.configured = Map.copyOf(configured);
		this.tables = Objects.requireNonNull(tables, "tables cannot be null");
	}

	/**
	 * @param tenantId the tenant of the connection
	 * @param provider the provider id
	 * @param clientRef the id of a stored registration, or {@code null} for the configured one
	 * @return the registration
	 * @throws InvalidCredentialException if there is none
	 */
	public Client require(String tenantId, String provider, String clientRef) {
		if (clientRef != null) {
			return this.tables.findClient(tenantId, clientRef)
				.map((stored) -> new Client(clientRef, stored.clientId(), stored.clientSecret()))
				.orElseThrow(() -> new InvalidCredentialException("client", "the OAuth2 client registration "
						+ clientRef + " of provider '" + provider + "' no longer exists; connect the account again"));
		}
		Client client = this.configured.get(provider);
		if (client == null) {
			throw new InvalidCredentialException("client", "no OAuth2 client is configured for provider '" + provider
					+ "': set keyflow.oauth2.clients." + provider + ".client-id and .client-secret, or pass a client "
					+ "id and secret when starting the connection");
		}
		return client;
	}

	/** @return whether a client is configured for the provider */
	public boolean isConfigured(String provider) {
		return this.configured.containsKey(provider);
	}

	/**
	 * A client id and secret.
	 *
	 * @param ref the id of its stored row, or {@code null} when it comes from configuration
	 * @param clientId the client id
	 * @param clientSecret the client secret; {@code null} for public clients
	 */
	public record Client(String ref, String clientId, String clientSecret) {

		@Override
		public String toString() {
			return "Client[ref=" + this.ref + ", clientId=" + this.clientId + ", clientSecret=(redacted)]";
		}

	}

}
