package io.keyflow.plugin.internal.oauth2;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.converter.FormHttpMessageConverter;
import org.springframework.security.oauth2.client.endpoint.OAuth2AuthorizationCodeGrantRequest;
import org.springframework.security.oauth2.client.endpoint.OAuth2ClientCredentialsGrantRequest;
import org.springframework.security.oauth2.client.endpoint.OAuth2RefreshTokenGrantRequest;
import org.springframework.security.oauth2.client.endpoint.RestClientAuthorizationCodeTokenResponseClient;
import org.springframework.security.oauth2.client.endpoint.RestClientClientCredentialsTokenResponseClient;
import org.springframework.security.oauth2.client.endpoint.RestClientRefreshTokenTokenResponseClient;
import org.springframework.security.oauth2.client.http.OAuth2ErrorResponseErrorHandler;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.endpoint.OAuth2AccessTokenResponse;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationExchange;
import org.springframework.security.oauth2.core.http.converter.OAuth2AccessTokenResponseHttpMessageConverter;
import org.springframework.web.client.RestClient;

import io.keyflow.api.OAuth2Provider;
import io.keyflow.api.TokenEndpointAuthMethod;
import io.keyflow.api.TokenEndpointException;
import io.keyflow.plugin.internal.metrics.KeyflowMetrics;

/**
 * The token endpoint, through spring-security-oauth2-client's RestClient token clients: authorization code,
 * refresh token and client credentials. Every failure becomes {@link InvalidGrantException} ({@code invalid_grant})
 * or a {@link TokenEndpointException} with the OAuth2 error code only: the provider's description and the
 * transport exception's message (which may quote a response) are not passed on.
 */
public final class TokenClient {

	static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

	static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

	private final RestClientAuthorizationCodeTokenResponseClient authorizationCode = new RestClientAuthorizationCodeTokenResponseClient();

	private final RestClientRefreshTokenTokenResponseClient refreshToken = new RestClientRefreshTokenTokenResponseClient();

	private final RestClientClientCredentialsTokenResponseClient clientCredentials = new RestClientClientCredentialsTokenResponseClient();

	private final KeyflowMetrics metrics;

	public TokenClient() {
		this(KeyflowMetrics.NONE);
	}

	/**
	 * @param metrics times every token request by grant type and outcome
	 */
	public TokenClient(KeyflowMetrics metrics) {
		this.metrics = metrics;
		JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(
				HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT).build());
		requestFactory.setReadTimeout(READ_TIMEOUT);
		RestClient restClient = RestClient.builder()
			.requestFactory(requestFactory)
			.messageConverters((converters) -> {
				converters.clear();
				converters.add(new FormHttpMessageConverter());
				converters.add(new OAuth2AccessTokenResponseHttpMessageConverter());
			})
			.defaultStatusHandler(new OAuth2ErrorResponseErrorHandler())
			.build();
		this.authorizationCode.setRestClient(restClient);
		this.refreshToken.setRestClient(restClient);
		this.clientCredentials.setRestClient(restClient);
	}

	/**
	 * A registration for one request; never logged (its {@code toString()} prints the secret).
	 */
	public static ClientRegistration registration(OAuth2Provider provider, String clientId, String clientSecret,
			AuthorizationGrantType grantType, URI redirectUri, Collection<String> scopes) {
		ClientRegistration.Builder builder = ClientRegistration.withRegistrationId(provider.id())
			.clientId(clientId)
			.clientSecret(clientSecret)
			.clientAuthenticationMethod(authMethod(provider.tokenEndpointAuthMethod()))
			.authorizationGrantType(grantType)
			.authorizationUri(provider.authorizationUrl().toString())
			.tokenUri(provider.tokenUrl().toString())
			.scope(Set.copyOf(scopes));
		if (redirectUri != null) {
			builder.redirectUri(redirectUri.toString());
		}
		return builder.build();
	}

	private static ClientAuthenticationMethod authMethod(TokenEndpointAuthMethod method) {
		return switch (method) {
			case CLIENT_SECRET_BASIC -> ClientAuthenticationMethod.CLIENT_SECRET_BASIC;
			case CLIENT_SECRET_POST -> ClientAuthenticationMethod.CLIENT_SECRET_POST;
			case NONE -> ClientAuthenticationMethod.NONE;
		};
	}

	public OAuth2AccessTokenResponse exchange(ClientRegistration registration, OAuth2AuthorizationExchange exchange,
			String context) {
		return call("authorization_code", () -> this.authorizationCode
			.getTokenResponse(new OAuth2AuthorizationCodeGrantRequest(registration, exchange)), context);
	}

	public OAuth2AccessTokenResponse refresh(ClientRegistration registration, String accessToken, String refreshToken,
			String context) {
		OAuth2AccessToken access = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, accessToken, null, null);
		return call("refresh_token", () -> this.refreshToken.getTokenResponse(new OAuth2RefreshTokenGrantRequest(registration, access,
				new OAuth2RefreshToken(refreshToken, null))), context);
	}

	public OAuth2AccessTokenResponse clientCredentials(ClientRegistration registration, String context) {
		return call("client_credentials", () -> this.clientCredentials.getTokenResponse(new OAuth2ClientCredentialsGrantRequest(registration)),
				context);
	}

	private OAuth2AccessTokenResponse call(String grant, Supplier<OAuth2AccessTokenResponse> request,
			String context) {
		long started = System.nanoTime();
		String outcome = "invalid_token_response";
		try {
			OAuth2AccessTokenResponse response = call(request, context);
			outcome = KeyflowMetrics.SUCCESS;
			return response;
		}
		catch (InvalidGrantException ex) {
			outcome = KeyflowMetrics.INVALID_GRANT;
			throw ex;
		}
		catch (TokenEndpointException ex) {
			outcome = KeyflowMetrics.oauth2Outcome(ex.getErrorCode());
			throw ex;
		}
		finally {
			this.metrics.tokenRequest(grant, outcome, System.nanoTime() - started);
		}
	}

	private static OAuth2AccessTokenResponse call(Supplier<OAuth2AccessTokenResponse> request, String context) {
		try {
			return request.get();
		}
		catch (OAuth2AuthorizationException ex) {
			String code = ex.getError().getErrorCode();
			if ("invalid_grant".equals(code)) {
				throw new InvalidGrantException();
			}
			boolean transport = "invalid_token_response".equals(code);
			throw new TokenEndpointException(code, "token request for " + context + " failed: "
					+ (transport ? "the token endpoint could not be reached or gave no valid answer (network error, "
							+ "timeout or 5xx); the credential is unchanged, retry later"
							: "the provider answered '" + code + "'; check the client registration (client id, secret, "
									+ "scopes) for this provider"));
		}
		catch (RuntimeException ex) {
			throw new TokenEndpointException("invalid_token_response", "token request for " + context
					+ " failed: " + ex.getClass().getSimpleName() + "; the credential is unchanged, retry later");
		}
	}

	/**
	 * The provider answered {@code invalid_grant}: the code, verifier or refresh token is not (or no longer) valid.
	 * Callers turn it into what it means for them.
	 */
	public static final class InvalidGrantException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		InvalidGrantException() {
			super("invalid_grant", null, false, false);
		}

	}


}
