package io.keyflow.plugin;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.endpoint.OAuth2AccessTokenResponse;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationExchange;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationResponse;
import org.springframework.security.oauth2.core.endpoint.PkceParameterNames;

import io.keyflow.api.KeyflowConfigurationException;
import io.keyflow.api.Credential;
import io.keyflow.api.CredentialInfo;
import io.keyflow.api.CredentialType;
import io.keyflow.api.InvalidCredentialException;
import io.keyflow.api.OAuth2Provider;
import io.keyflow.api.OAuthStateException;
import io.keyflow.api.ProviderUnknownException;
import io.keyflow.api.ReauthorizationRequiredException;
import io.keyflow.api.TokenEndpointException;
import io.keyflow.plugin.internal.KeyflowLog;
import io.keyflow.plugin.internal.oauth2.ConnectionMetadata;
import io.keyflow.plugin.internal.oauth2.OAuth2Clients;
import io.keyflow.plugin.internal.oauth2.OAuth2Tables;
import io.keyflow.plugin.internal.oauth2.OAuth2TokenRefresher;
import io.keyflow.plugin.internal.oauth2.Pkce;
import io.keyflow.plugin.internal.oauth2.TokenClient;

/**
 * Connects OAuth2 accounts and keeps their tokens fresh: what the REST API and the web page call.
 * <ul>
 * <li>{@link #start} and {@link #callback}: authorization code with PKCE S256. The flow (state hash, encrypted
 * verifier, target) is kept in the database, so any node can take the callback; it is single-use and expires
 * ({@code keyflow.oauth2.flow-ttl}, 10 minutes by default). The redirect URI is {@code keyflow.oauth2.redirect-uri},
 * never taken from a request.</li>
 * <li>{@link #connectWithTokens}: pasted tokens; a refresh token is checked at once by a refresh.</li>
 * <li>{@link #connectClientCredentials}: a machine-to-machine credential (client-credentials grant) whose token
 * is fetched again when it expires.</li>
 * <li>{@link #refresh}: refresh now (tasks refresh proactively on their own).</li>
 * </ul>
 * Every credential is saved through {@link CredentialService}: with a principal it replaces that principal's
 * credential for the provider, else the one with the key. Nothing returned or logged carries a token, code,
 * verifier or client secret.
 */
public class OAuth2ConnectionService {

	static final int MAX_PARAMETER_LENGTH = 2048;

	private final OAuth2ProviderRegistry providers;

	private final CredentialService credentials;

	private final OAuth2Tables tables;

	private final OAuth2Clients clients;

	private final TokenClient tokens;

	private final OAuth2TokenRefresher refresher;

	private final URI redirectUri;

	private final Duration flowTtl;

	private final Clock clock;

	private final CredentialRequestService requests;

	OAuth2ConnectionService(OAuth2ProviderRegistry providers, CredentialService credentials, OAuth2Tables tables,
			OAuth2Clients clients, TokenClient tokens, OAuth2TokenRefresher refresher, URI redirectUri,
			Duration flowTtl, Clock clock, CredentialRequestService requests) {
		this.requests = requests;
		this.providers = providers;
		this.credentials = credentials;
		this.tables = tables;
		this.clients = clients;
		this.tokens = tokens;
		this.refresher = refresher;
		this.redirectUri = redirectUri;
		this.flowTtl = flowTtl;
		this.clock = clock;
	}

	/**
	 * Starts an authorization-code flow.
	 * @param request provider, client, scopes and target
	 * @return the authorization URL to send the user to, and the flow's state and expiry
	 * @throws ProviderUnknownException if the provider is not registered
	 * @throws InvalidCredentialException if the target or the client is missing or malformed, or no client is
	 * configured for the provider
	 * @throws KeyflowConfigurationException if {@code keyflow.oauth2.redirect-uri} is not set
	 */
	public AuthorizationStart start(OAuth2ConnectionRequest request) {
		return start(request, OAuth2FlowBinding.NONE);
	}

	/**
	 * Starts an authorization-code flow bound to its starter: the callback can check who completes it (see
	 * {@link #callback(String, String, BiPredicate)}).
	 * @param request provider, client, scopes and target
	 * @param binding who started the flow and the hash of the starting browser's binding value
	 * @return the authorization URL to send the user to, and the flow's state and expiry
	 * @throws ProviderUnknownException if the provider is not registered
	 * @throws InvalidCredentialException if the target or the client is missing or malformed
	 * @throws KeyConfigurationException if {@code keyflow.oauth2.redirect-uri} is not set
	 */
	public AuthorizationStart start(OAuth2ConnectionRequest request, OAuth2FlowBinding binding) {
		Objects.requireNonNull(binding, "binding cannot be null");
		OAuth2Provider provider = validate(request);
		URI redirect = requireRedirectUri();
		OAuth2Clients.Client client = client(request);
		Set<String> scopes = scopes(request, provider);
		String state = Pkce.randomToken();
		String verifier = Pkce.randomToken();
		Instant expiresAt = this.clock.instant().plus(this.flowTtl);
		this.tables.purgeExpiredFlows();
		this.tables.saveFlow(new OAuth2Tables.Flow(Pkce.hash(state), request.tenantId(), provider.id(), client.ref(),
				client.clientId(), scopes, request.key(), request.principalId(), request.name(), verifier, expiresAt, binding,
				request.policy()));
		return new AuthorizationStart(authorizationRequest(provider, client.clientId(), redirect, scopes, state, verifier)
			.getAuthorizationRequestUri()
			.transform(URI::create), state, expiresAt);
	}

	/**
	 * Completes a flow: takes the flow of the state (single use), exchanges the code (with the flow's PKCE
	 * verifier) at the token endpoint and stores access token, refresh token, expiry and granted scopes.
	 * @param code the {@code code} parameter of the redirect
	 * @param state the {@code state} parameter of the redirect
	 * @return the stored credential's clear part
	 * @throws OAuthStateException if the state is missing, unknown, used already or expired; nothing stored
	 * @throws InvalidCredentialException if the provider refused the code ({@code invalid_grant}); nothing stored
	 * @throws TokenEndpointException if the token endpoint failed otherwise; nothing stored
	 */
	public CredentialInfo callback(String code, String state) {
		return callback(code, state, (tenantId, binding) -> true);
	}

	/**
	 * Completes a flow for a caller that may act on some tenants only: a flow of another tenant is rejected
	 * exactly like an unknown state (and used up), so a caller learns nothing about other tenants' flows.
	 * @param code the authorization code
	 * @param state the state
	 * @param tenantAllowed whether the caller may complete a flow of a tenant ({@code null}: tenant-less)
	 * @return the stored credential's clear part
	 * @throws OAuthStateException for an unknown, used, expired or foreign state; nothing was stored
	 */
	public CredentialInfo callback(String code, String state, Predicate<String> tenantAllowed) {
		Objects.requireNonNull(tenantAllowed, "tenantAllowed cannot be null");
		return callback(code, state, (tenantId, binding) -> tenantAllowed.test(tenantId));
	}

	/**
	 * Completes a flow only for the one who may: {@code accepts} sees the flow's tenant and its
	 * {@link OAuth2FlowBinding} (who started it, from which browser). A flow it refuses is rejected exactly like an
	 * unknown state and used up: nothing is stored, no token is requested, and the caller learns nothing about it.
	 * @param code the authorization code
	 * @param state the state
	 * @param accepts whether this caller may complete a flow of this tenant ({@code null}: tenant-less) and binding
	 * @return the stored credential's clear part
	 * @throws OAuthStateException for an unknown, used, expired or refused state; nothing was stored
	 */
	public CredentialInfo callback(String code, String state, BiPredicate<String, OAuth2FlowBinding> accepts) {
		Objects.requireNonNull(accepts, "accepts cannot be null");
		if (state == null || state.isBlank() || state.length() > MAX_PARAMETER_LENGTH) {
			throw stateRejected("the callback has no valid state parameter; start the connection again");
		}
		OAuth2Tables.Flow flow = this.tables.takeFlow(Pkce.hash(state))
			.filter((taken) -> accepts.test(taken.tenantId(), taken.binding()))
			.orElseThrow(() -> stateRejected(
					"unknown or already used OAuth2 state; a state is valid once. Start the connection again"));
		if (!flow.expiresAt().isAfter(this.clock.instant())) {
			throw stateRejected("the OAuth2 connection flow for provider '" + flow.provider() + "' expired at "
					+ flow.expiresAt() + "; start the connection again");
		}
		if (code == null || code.isBlank() || code.length() > MAX_PARAMETER_LENGTH) {
			throw new InvalidCredentialException("code", "the callback has no valid code parameter");
		}
		OAuth2Provider provider = this.providers.find(flow.provider())
			.orElseThrow(() -> new ProviderUnknownException(flow.provider()));
		OAuth2Clients.Client client = this.clients.require(flow.tenantId(), flow.provider(), flow.clientRef());
		URI redirect = requireRedirectUri();
		OAuth2AuthorizationRequest authorizationRequest = authorizationRequest(provider, client.clientId(), redirect,
				flow.scopes(), state, flow.verifier());
		OAuth2AuthorizationResponse authorizationResponse = OAuth2AuthorizationResponse.success(code)
			.redirectUri(redirect.toString())
			.state(state)
			.build();
		ClientRegistration registration = TokenClient.registration(provider, client.clientId(), client.clientSecret(),
				AuthorizationGrantType.AUTHORIZATION_CODE, redirect, flow.scopes());
		OAuth2AccessTokenResponse response;
		try {
			response = this.tokens.exchange(registration,
					new OAuth2AuthorizationExchange(authorizationRequest, authorizationResponse),
					"a new connection to provider '" + provider.id() + "'");
		}
		catch (TokenClient.InvalidGrantException ex) {
			throw new InvalidCredentialException("code", "provider '" + provider.id() + "' refused the authorization "
					+ "code (invalid_grant: wrong, used or expired code, or PKCE verifier mismatch); nothing was stored. "
					+ "Start the connection again");
		}
		OAuth2ConnectionRequest target = new OAuth2ConnectionRequest(flow.provider(), client.clientId(), null,
				flow.scopes(), flow.key(), flow.principalId(), flow.tenantId(), flow.name(), flow.policy());
		return save(target, provider, client, response, Map.of());
	}

	/**
	 * Stores existing tokens as an OAuth2 credential. A refresh token is checked at once by a refresh; the
	 * refreshed tokens are stored (the old refresh token may be spent by the rotation).
	 * @param request provider, client and target
	 * @param accessToken the access token
	 * @param refreshToken the refresh token, or {@code null}
	 * @param expiresAt when the access token expires, or {@code null} if unknown
	 * @return the stored credential's clear part
	 * @throws InvalidCredentialException if a field is invalid or the provider refused the refresh token; nothing
	 * stored
	 * @throws TokenEndpointException if the refresh could not be done; nothing stored
	 */
	public CredentialInfo connectWithTokens(OAuth2ConnectionRequest request, String accessToken, String refreshToken,
			Instant expiresAt) {
		OAuth2Provider provider = validate(request);
		if (accessToken == null || accessToken.isBlank()) {
			throw new InvalidCredentialException("accessToken", "an access token is required");
		}
		if (refreshToken == null) {
			CredentialInfo saved = store(draft(request, provider, scopes(request, provider), expiresAt,
					connectionMetadata(request, null), Map.of(Credential.ACCESS_TOKEN, accessToken)));
			KeyflowLog.connected(saved.id(), saved.key(), saved.provider(), saved.tenantId());
			return saved;
		}
		OAuth2Clients.Client client = client(request);
		Set<String> scopes = scopes(request, provider);
		OAuth2AccessTokenResponse response;
		try {
			response = this.tokens.refresh(TokenClient.registration(provider, client.clientId(), client.clientSecret(),
					AuthorizationGrantType.AUTHORIZATION_CODE, this.redirectUri, scopes), accessToken, refreshToken,
					"pasted tokens for provider '" + provider.id() + "'");
		}
		catch (TokenClient.InvalidGrantException ex) {
			throw new InvalidCredentialException("refreshToken", "provider '" + provider.id()
					+ "' refused the refresh token (invalid_grant: revoked, expired or already used); nothing was stored");
		}
		Map<String, String> secrets = new LinkedHashMap<>();
		secrets.put(Credential.REFRESH_TOKEN, refreshToken);
		return save(request, provider, client, response, secrets);
	}

	/**
	 * Creates a machine-to-machine credential: fetches a token with the client-credentials grant (checking the
	 * client at once) and stores client id, secret and token; a new token is fetched when it expires.
	 * @param request provider, client (given or configured), scopes and target
	 * @return the stored credential's clear part
	 * @throws InvalidCredentialException if a field is invalid or no client is known; nothing stored
	 * @throws TokenEndpointException if the provider refused the client or could not be reached; nothing stored
	 */
	public CredentialInfo connectClientCredentials(OAuth2ConnectionRequest request) {
		OAuth2Provider provider = validate(request);
		OAuth2Clients.Client client = (request.clientId() != null)
				? new OAuth2Clients.Client(null, request.clientId(), request.clientSecret())
				: this.clients.require(request.tenantId(), provider.id(), null);
		Set<String> scopes = request.scopes();
		OAuth2AccessTokenResponse response;
		try {
			response = this.tokens.clientCredentials(TokenClient.registration(provider, client.clientId(),
					client.clientSecret(), AuthorizationGrantType.CLIENT_CREDENTIALS, null, scopes),
					"client credentials for provider '" + provider.id() + "'");
		}
		catch (TokenClient.InvalidGrantException ex) {
			throw new InvalidCredentialException("client", "provider '" + provider.id()
					+ "' refused the client credentials (invalid_grant); nothing was stored");
		}
		Map<String, String> metadata = Map.of(Credential.GRANT_TYPE_METADATA, Credential.GRANT_CLIENT_CREDENTIALS,
				ConnectionMetadata.CLIENT_ID, client.clientId());
		Credential fetched = OAuth2TokenRefresher.apply(Credential.of(CredentialInfo.builder(CredentialType.OAUTH2)
			.scopes(scopes)
			.build(), Map.of()), response, this.clock);
		Map<String, String> secrets = new LinkedHashMap<>();
		secrets.put(Credential.ACCESS_TOKEN, fetched.accessToken());
		secrets.put(Credential.CLIENT_ID, client.clientId());
		if (client.clientSecret() != null) {
			secrets.put(Credential.CLIENT_SECRET, client.clientSecret());
		}
		CredentialInfo saved = store(draft(request, provider, fetched.scopes(), fetched.expiresAt(),
				metadata, secrets));
		KeyflowLog.connected(saved.id(), saved.key(), saved.provider(), saved.tenantId());
		return saved;
	}

	/**
	 * Refreshes a credential now, under the same single-flight locks as the proactive refresh.
	 * @param tenantId the tenant ({@code null} for tenant-less)
	 * @param credentialId the credential id
	 * @return the refreshed credential's clear part
	 * @throws ReauthorizationRequiredException if the provider refused the refresh token; the credential is marked
	 * @throws TokenEndpointException if the token endpoint failed; the credential is unchanged
	 * @throws io.keyflow.api.CredentialNotFoundException if there is no such credential
	 */
	public CredentialInfo refresh(String tenantId, String credentialId) {
		Objects.requireNonNull(credentialId, "credentialId cannot be null");
		if (this.credentials.get(tenantId, credentialId).isEmpty()) {
			throw new io.keyflow.api.CredentialNotFoundException("no credential " + credentialId + " in "
					+ ((tenantId != null) ? "tenant '" + tenantId + "'" : "the tenant-less scope"));
		}
		return this.refresher.refresh(tenantId, credentialId, true).info();
	}

	private CredentialInfo save(OAuth2ConnectionRequest request, OAuth2Provider provider, OAuth2Clients.Client client,
			OAuth2AccessTokenResponse response, Map<String, String> fallbackSecrets) {
		Credential fetched = OAuth2TokenRefresher.apply(Credential.of(CredentialInfo.builder(CredentialType.OAUTH2)
			.scopes(scopes(request, provider))
			.build(), fallbackSecrets), response, this.clock);
		Map<String, String> secrets = new LinkedHashMap<>();
		secrets.put(Credential.ACCESS_TOKEN, fetched.accessToken());
		if (fetched.refreshToken() != null) {
			secrets.put(Credential.REFRESH_TOKEN, fetched.refreshToken());
		}
		CredentialInfo saved = store(draft(request, provider, fetched.scopes(), fetched.expiresAt(),
				connectionMetadata(request, client), secrets));
		KeyflowLog.connected(saved.id(), saved.key(), saved.provider(), saved.tenantId());
		return saved;
	}

	/** Stores a connection's credential; it fulfils the open credential requests for it and resumes their jobs. */
	private CredentialInfo store(CredentialDraft draft) {
		return this.requests.saveFulfilling(draft, "oauth2-connection");
	}

	private static Map<String, String> connectionMetadata(OAuth2ConnectionRequest request, OAuth2Clients.Client client) {
		Map<String, String> metadata = new LinkedHashMap<>();
		if (client != null) {
			metadata.put(ConnectionMetadata.CLIENT_ID, client.clientId());
			if (client.ref() != null) {
				metadata.put(ConnectionMetadata.CLIENT_REF, client.ref());
			}
		}
		return metadata;
	}

	private static CredentialDraft draft(OAuth2ConnectionRequest request, OAuth2Provider provider, Set<String> scopes,
			Instant expiresAt, Map<String, String> metadata, Map<String, String> secrets) {
		return CredentialDraft.builder(CredentialType.OAUTH2)
			.tenantId(request.tenantId())
			.key(request.key())
			.principalId(request.principalId())
			.provider(provider.id())
			.name((request.name() != null) ? request.name() : provider.name())
			.scopes(scopes)
			.expiresAt(expiresAt)
			.metadata(metadata)
			.secrets(secrets)
			.policy(request.policy())
			.build();
	}

	private OAuth2Provider validate(OAuth2ConnectionRequest request) {
		Objects.requireNonNull(request, "request cannot be null");
		OAuth2Provider provider = this.providers.find(request.providerId())
			.orElseThrow(() -> new ProviderUnknownException(request.providerId()));
		if (request.key() != null && !CredentialService.KEY_PATTERN.matcher(request.key()).matches()) {
			throw new InvalidCredentialException("key", "key must be UPPER_SNAKE_CASE: a letter A-Z, then up to 127 "
					+ "letters A-Z, digits or '_' (e.g. GITHUB_ACME)");
		}
		if (request.key() == null && request.principalId() == null) {
			throw new InvalidCredentialException("key", "a connection needs a key, or a principalId");
		}
		if (request.principalId() != null && (request.principalId().isBlank() || request.principalId().length() > 255)) {
			throw new InvalidCredentialException("principalId", "principalId must be 1 to 255 non-blank characters");
		}
		if ((request.clientId() == null) != (request.clientSecret() == null)
				&& provider.tokenEndpointAuthMethod() != io.keyflow.api.TokenEndpointAuthMethod.NONE) {
			throw new InvalidCredentialException("client", "give both a client id and a client secret, or neither "
					+ "to use the configured client of provider '" + provider.id() + "'");
		}
		if (request.clientId() != null && (request.clientId().isBlank() || request.clientId().length() > 255)) {
			throw new InvalidCredentialException("clientId", "clientId must be 1 to 255 non-blank characters");
		}
		return provider;
	}

	private OAuth2Clients.Client client(OAuth2ConnectionRequest request) {
		if (request.clientId() == null) {
			return this.clients.require(request.tenantId(), request.providerId(), null);
		}
		if (request.clientSecret() == null) {
			return new OAuth2Clients.Client(null, request.clientId(), null);
		}
		String ref = this.tables.saveClient(request.tenantId(), request.providerId(), request.clientId(),
				request.clientSecret());
		return new OAuth2Clients.Client(ref, request.clientId(), request.clientSecret());
	}

	private static Set<String> scopes(OAuth2ConnectionRequest request, OAuth2Provider provider) {
		return request.scopes().isEmpty() ? provider.defaultScopes() : request.scopes();
	}

	private URI requireRedirectUri() {
		if (this.redirectUri == null) {
			throw new KeyflowConfigurationException("keyflow.oauth2.redirect-uri", "keyflow.oauth2.redirect-uri is not set: configure the URL the "
					+ "providers redirect to after consent (it must be registered with each provider)");
		}
		return this.redirectUri;
	}

	private static OAuth2AuthorizationRequest authorizationRequest(OAuth2Provider provider, String clientId,
			URI redirectUri, Set<String> scopes, String state, String verifier) {
		Map<String, Object> parameters = new LinkedHashMap<>(provider.authorizationParameters());
		Map<String, Object> attributes = new LinkedHashMap<>();
		if (provider.pkce()) {
			parameters.put(PkceParameterNames.CODE_CHALLENGE, Pkce.s256Challenge(verifier));
			parameters.put(PkceParameterNames.CODE_CHALLENGE_METHOD, "S256");
			attributes.put(PkceParameterNames.CODE_VERIFIER, verifier);
		}
		OAuth2AuthorizationRequest.Builder builder = OAuth2AuthorizationRequest.authorizationCode()
			.authorizationUri(provider.authorizationUrl().toString())
			.clientId(clientId)
			.redirectUri(redirectUri.toString())
			.scopes(scopes)
			.state(state)
			.additionalParameters(parameters)
			.attributes(attributes);
		if (COMMA_SCOPE_PROVIDERS.contains(provider.id()) && !scopes.isEmpty()) {
			// the catalogue's notes: these providers read the scope parameter comma-separated
			builder.authorizationRequestUri((uri) -> uri.replaceQueryParam("scope", String.join(",", scopes)).build());
		}
		return builder.build();
	}

	/** Built-in providers documented to take comma-separated scopes (see their catalogue notes). */
	static final Set<String> COMMA_SCOPE_PROVIDERS = Set.of("linear", "strava");

	private static OAuthStateException stateRejected(String reason) {
		KeyflowLog.stateRejected(reason);
		return new OAuthStateException(reason);
	}

}
