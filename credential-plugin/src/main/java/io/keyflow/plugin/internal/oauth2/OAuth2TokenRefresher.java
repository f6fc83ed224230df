package io.keyflow.plugin.internal.oauth2;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.endpoint.OAuth2AccessTokenResponse;

import io.keyflow.api.Credential;
import io.keyflow.api.CredentialInfo;
import io.keyflow.api.CredentialNotFoundException;
import io.keyflow.api.CredentialStatus;
import io.keyflow.api.OAuth2Provider;
import io.keyflow.api.ProviderUnknownException;
import io.keyflow.api.ReauthorizationRequiredException;
import io.keyflow.api.TokenEndpointException;
import io.keyflow.plugin.AuditRecord;
import io.keyflow.plugin.KeyflowAudit;
import io.keyflow.plugin.OAuth2ProviderRegistry;
import io.keyflow.plugin.internal.metrics.KeyflowMetrics;
import io.keyflow.plugin.internal.KeyflowLog;
import io.keyflow.api.TokenRefresher;
import io.keyflow.plugin.internal.store.JdbcCredentialStore;
import io.keyflow.plugin.internal.jdbc.KeyflowJdbc;

/**
 * Refreshes OAuth2 credentials of the local store before they expire, one refresh per credential at a time:
 * a lock per credential in this JVM, and across nodes a row lock ({@code SELECT ... FOR UPDATE}) on the
 * credential in a new transaction. After taking both it reads the credential again: if another thread or node
 * refreshed it meanwhile, the fresh token is used and no request is made. The new tokens are committed in that
 * transaction, before the task goes on, so a rotated refresh token is never lost when the task fails later.
 * <p>
 * The JVM lock is taken before the second connection is asked for, so a node needs at most one connection per
 * credential being refreshed on top of the ones its running tasks hold; size the pool accordingly.
 */
public final class OAuth2TokenRefresher implements TokenRefresher {

	private static final int LOCK_STRIPES = 64;

	private final JdbcCredentialStore store;

	private final JdbcTemplate jdbc;

	private final KeyflowJdbc db;

	private final OAuth2ProviderRegistry providers;

	private final OAuth2Clients clients;

	private final TokenClient tokens;

	private final Duration margin;

	private final Clock clock;

	private final URI redirectUri;

	private final ReentrantLock[] locks = new ReentrantLock[LOCK_STRIPES];

	private final KeyflowMetrics metrics;

	private final KeyflowAudit audit;

	/**
	 * @param audit records every refresh and its outcome, and every switch to {@code NEEDS_REAUTHORIZATION}
	 * @param metrics counts refreshes by outcome
	 */
	public OAuth2TokenRefresher(KeyflowJdbc db, JdbcCredentialStore store, OAuth2ProviderRegistry providers,
			OAuth2Clients clients, TokenClient tokens, Duration margin, Clock clock, URI redirectUri,
			KeyflowAudit audit, KeyflowMetrics metrics) {
		this.audit = Objects.requireNonNull(audit, "audit cannot be null");
		this.metrics = Objects.requireNonNull(metrics, "metrics cannot be null");
		this.store = Objects.requireNonNull(store, "store cannot be null");
		this.db = Objects.requireNonNull(db, "db cannot be null");
		this.jdbc = db.template().getJdbcTemplate();
		this.providers = Objects.requireNonNull(providers, "providers cannot be null");
		this.clients = Objects.requireNonNull(clients, "clients cannot be null");
		this.tokens = Objects.requireNonNull(tokens, "tokens cannot be null");
		this.margin = Objects.requireNonNull(margin, "margin cannot be null");
		this.clock = Objects.requireNonNull(clock, "clock cannot be null");
		this.redirectUri = redirectUri;
		for (int i = 0; i < LOCK_STRIPES; i++) {
			this.locks[i] = new ReentrantLock();
		}
	}

	@Override
	public Credential refreshIfExpiring(Credential credential) {
		if (!expiring(credential.info()) || !refreshable(credential)
				|| this.store.findInfoById(credential.tenantId(), credential.id()).isEmpty()) {
			// fresh, nothing to refresh with, or not ours (an external store): as stored
			return credential;
		}
		return refresh(credential.tenantId(), credential.id(), false);
	}

	/**
	 * @param tenantId the credential's tenant
	 * @param id the credential's id
	 * @param force refresh even when the token is still fresh
	 * @return the credential with a fresh token, saved
	 * @throws ReauthorizationRequiredException on {@code invalid_grant}; the credential is then marked
	 * @throws io.keyflow.api.TokenEndpointException on a network error, 5xx or client error; unchanged
	 */
	public Credential refresh(String tenantId, String id, boolean force) {
		ReentrantLock lock = this.locks[Math.floorMod(id.hashCode(), LOCK_STRIPES)];
		lock.lock();
		try {
			Outcome outcome;
			try {
				outcome = this.db.inNewTransaction(() -> refreshLocked(tenantId, id, force));
			}
			catch (TokenEndpointException | ProviderUnknownException ex) {
				String code = (ex instanceof TokenEndpointException endpoint)
						? KeyflowMetrics.oauth2Outcome(endpoint.getErrorCode()) : "unknown_provider";
				this.metrics.refresh(code);
				// the refresh's transaction rolled back, and a failing task's will: the event gets its own
				this.db.inNewTransaction(() -> {
					recordRefresh(AuditRecord.of("token.refresh", actor(force)).tenantId(tenantId).credential(id, null)
						.failure(code.toUpperCase(Locale.ROOT)), force);
					return null;
				});
				throw ex;
			}
			if (outcome.reauthorize() != null) {
				throw outcome.reauthorize();
			}
			return outcome.credential();
		}
		finally {
			lock.unlock();
		}
	}

	private static String actor(boolean force) {
		// a forced refresh is asked for through the API; the others happen while a task runs
		return force ? AuditRecord.JAVA : AuditRecord.ENGINE;
	}

	private void recordRefresh(AuditRecord.Builder event, boolean force) {
		if (force) {
			this.audit.recordChange(event);
		}
		else {
			this.audit.record(event);
		}
	}

	private Outcome refreshLocked(String tenantId, String id, boolean force) {
		this.jdbc.queryForList("select ID_ from KEYFLOW_CREDENTIAL where ID_ = ? and TENANT_ID_ = ? for update",
				String.class, id, (tenantId != null) ? tenantId : "");
		Credential current = this.store.findById(tenantId, id)
			.orElseThrow(() -> new CredentialNotFoundException("credential " + id + " was deleted while refreshing"));
		if (current.info().status() == CredentialStatus.NEEDS_REAUTHORIZATION) {
			return new Outcome(null, reauthorizationRequired(current));
		}
		if (!force && !expiring(current.info())) {
			// another thread or node refreshed it while we waited for the lock
			return new Outcome(current, null);
		}
		OAuth2AccessTokenResponse response;
		try {
			response = request(current);
		}
		catch (TokenClient.InvalidGrantException ex) {
			this.store.save(current.withInfo(current.info().toBuilder().status(CredentialStatus.NEEDS_REAUTHORIZATION).build()));
			KeyflowLog.reauthorizationRequired(current.id(), current.key(), current.provider(), current.tenantId());
			this.metrics.refresh(KeyflowMetrics.INVALID_GRANT);
			// committed with the status: the switch is recorded whoever asked
			recordRefresh(event(current, force).failure("INVALID_GRANT"), force);
			this.audit.record(AuditRecord.of("credential.needs-reauthorization", actor(force))
				.tenantId(current.tenantId())
				.credential(current.id(), current.key())
				.subject("provider " + current.provider() + " refused the refresh token (invalid_grant)")
				.onBehalfOf(current.principalId()));
			return new Outcome(null, reauthorizationRequired(current));
		}
		Credential saved = this.store.save(apply(current, response, this.clock));
		KeyflowLog.tokenRefreshed(saved.id(), saved.key(), saved.provider(), saved.expiresAt());
		this.metrics.refresh(KeyflowMetrics.SUCCESS);
		recordRefresh(event(saved, force), force);
		return new Outcome(saved, null);
	}

	private static AuditRecord.Builder event(Credential credential, boolean force) {
		return AuditRecord.of("token.refresh", actor(force)).tenantId(credential.tenantId())
			.credential(credential.id(), credential.key())
			.subject("provider " + credential.provider())
			.onBehalfOf(credential.principalId());
	}

	private OAuth2AccessTokenResponse request(Credential current) {
		OAuth2Provider provider = this.providers.find(current.provider())
			.orElseThrow(() -> new ProviderUnknownException(current.provider()));
		String context = describe(current);
		if (isClientCredentials(current)) {
			return this.tokens.clientCredentials(TokenClient.registration(provider, current.secrets().get(Credential.CLIENT_ID),
					current.secrets().get(Credential.CLIENT_SECRET), AuthorizationGrantType.CLIENT_CREDENTIALS, null,
					current.scopes()), context);
		}
		OAuth2Clients.Client client = this.clients.require(current.tenantId(), current.provider(),
				current.metadata().get(ConnectionMetadata.CLIENT_REF));
		return this.tokens.refresh(TokenClient.registration(provider, client.clientId(), client.clientSecret(),
				AuthorizationGrantType.AUTHORIZATION_CODE, this.redirectUri, current.scopes()), current.accessToken(),
				current.refreshToken(), context);
	}

	/**
	 * New access token, the new refresh token or else the old one, the granted scopes or else the old ones, and
	 * the expiry measured on the injected clock from the lifetime the provider gave.
	 */
	public static Credential apply(Credential current, OAuth2AccessTokenResponse response, Clock clock) {
		Map<String, String> secrets = new LinkedHashMap<>(current.secrets());
		secrets.put(Credential.ACCESS_TOKEN, response.getAccessToken().getTokenValue());
		if (response.getRefreshToken() != null) {
			secrets.put(Credential.REFRESH_TOKEN, response.getRefreshToken().getTokenValue());
		}
		Set<String> granted = response.getAccessToken().getScopes();
		CredentialInfo info = current.info()
			.toBuilder()
			.expiresAt(expiresAt(response.getAccessToken(), clock))
			.scopes((granted != null && !granted.isEmpty()) ? granted : current.scopes())
			.status(CredentialStatus.ACTIVE)
			.build();
		return Credential.of(info, secrets);
	}

	public static Instant expiresAt(OAuth2AccessToken token, Clock clock) {
		if (token.getExpiresAt() == null || token.getIssuedAt() == null) {
			return null;
		}
		return clock.instant().plus(Duration.between(token.getIssuedAt(), token.getExpiresAt()));
	}

	/**
	 * Whether the token expires within the margin. The margin is capped at half the token's lifetime (from
	 * when it was stored to its expiry): with short-lived tokens a 5-minute margin would otherwise refresh on
	 * every task.
	 */
	boolean expiring(CredentialInfo info) {
		if (info.expiresAt() == null) {
			return false;
		}
		Duration margin = this.margin;
		if (info.updatedAt() != null && info.updatedAt().isBefore(info.expiresAt())) {
			Duration halfLifetime = Duration.between(info.updatedAt(), info.expiresAt()).dividedBy(2);
			margin = (halfLifetime.compareTo(margin) < 0) ? halfLifetime : margin;
		}
		return !info.expiresAt().isAfter(this.clock.instant().plus(margin));
	}

	private static boolean refreshable(Credential credential) {
		return credential.refreshToken() != null || isClientCredentials(credential);
	}

	static boolean isClientCredentials(Credential credential) {
		return Credential.GRANT_CLIENT_CREDENTIALS.equals(credential.metadata().get(Credential.GRANT_TYPE_METADATA));
	}

	static String describe(Credential credential) {
		return "OAuth2 credential " + ((credential.key() != null) ? credential.key() + " " : "") + "(id "
				+ credential.id() + ", provider '" + credential.provider() + "'"
				+ ((credential.principalId() != null) ? ", principal '" + credential.principalId() + "'" : "")
				+ ((credential.tenantId() != null) ? ", tenant '" + credential.tenantId() + "'" : "") + ")";
	}

	private static ReauthorizationRequiredException reauthorizationRequired(Credential credential) {
		return new ReauthorizationRequiredException(credential.id(), describe(credential)
				+ " needs re-authorisation: the provider refused its refresh token (invalid_grant: revoked, expired or "
				+ "already used). Connect the account again in Keyflow (start a new OAuth2 connection for this "
				+ "credential), then retry the job.");
	}

	private record Outcome(Credential credential, ReauthorizationRequiredException reauthorize) {
	}

}
