package io.keyflow.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A credential with its secret parts: what a task receives, and what a {@link CredentialStore} loads and
 * saves. The clear part is {@link #info()}; the secret parts are named strings ({@link #ACCESS_TOKEN},
 * {@link #API_KEY}, ...).
 * <p>
 * Security: {@link #toString()} prints metadata only. The class is deliberately not {@link java.io.Serializable},
 * so the engine refuses to persist it in a normal process variable. The {@code getXxx()} methods exist for
 * expressions such as {@code ${credential.accessToken}}; Java code reads the same values through
 * {@link #accessToken()}, {@link #apiKey()} and the like.
 * <p>
 * A task receives {@link #forTask()}: for a {@link UsagePolicy#sealed() sealed} credential every secret accessor
 * throws {@link SealedCredentialException}, and the secret only leaves through {@link #authorize}, which checks the
 * usage policy's origins. Keyflow's own code (store, refresh) works on the unrestricted credential.
 */
public final class Credential {

	/** Secret part of an {@link CredentialType#OAUTH2} credential. */
	public static final String ACCESS_TOKEN = "accessToken";

	/** Optional secret part of an {@link CredentialType#OAUTH2} credential. */
	public static final String REFRESH_TOKEN = "refreshToken";

	/**
	 * Secret part of an {@link CredentialType#OAUTH2} credential of the client-credentials grant
	 * (machine-to-machine): the client id. See {@link #GRANT_TYPE_METADATA}.
	 */
	public static final String CLIENT_ID = "clientId";

	/** Secret part of an {@link CredentialType#OAUTH2} credential of the client-credentials grant. */
	public static final String CLIENT_SECRET = "clientSecret";

	/**
	 * Metadata entry naming how an {@link CredentialType#OAUTH2} credential gets new access tokens:
	 * {@value #GRANT_CLIENT_CREDENTIALS} for machine-to-machine credentials that carry {@link #CLIENT_ID} and
	 * {@link #CLIENT_SECRET} and fetch a new token when the cached one expires; absent for connected accounts,
	 * which refresh with their {@link #REFRESH_TOKEN}.
	 */
	public static final String GRANT_TYPE_METADATA = "grantType";

	/** The {@link #GRANT_TYPE_METADATA} value of client-credentials credentials. */
	public static final String GRANT_CLIENT_CREDENTIALS = "client_credentials";

	/** Secret part of an {@link CredentialType#API_KEY} credential. */
	public static final String API_KEY = "apiKey";

	/** Secret part of a {@link CredentialType#STATIC} credential. */
	public static final String VALUE = "value";

	/** Secret part of a {@link CredentialType#BASIC} credential. */
	public static final String USERNAME = "username";

	/** Secret part of a {@link CredentialType#BASIC} credential. */
	public static final String PASSWORD = "password";

	private final CredentialInfo info;

	private final Map<String, String> secrets;

	/** Whether this is a sealed credential's task view: secret accessors refuse. */
	private final boolean restricted;

	private Credential(CredentialInfo info, Map<String, String> secrets, boolean restricted) {
		this.info = info;
		this.secrets = secrets;
		this.restricted = restricted;
	}

	/**
	 * @param info the clear part
	 * @param secrets the secret parts by name; copied
	 * @return the credential
	 */
	public static Credential of(CredentialInfo info, Map<String, String> secrets) {
		Objects.requireNonNull(info, "info cannot be null");
		Objects.requireNonNull(secrets, "secrets cannot be null");
		return new Credential(info, Collections.unmodifiableMap(new LinkedHashMap<>(secrets)), false);
	}

	/**
	 * @param info the new clear part
	 * @return a credential with the same secret parts and the given clear part
	 */
	public Credential withInfo(CredentialInfo info) {
		return new Credential(Objects.requireNonNull(info, "info cannot be null"), this.secrets, this.restricted);
	}

	/**
	 * @return what a task gets: this credential, or for a sealed one a view whose secret accessors throw
	 * {@link SealedCredentialException}
	 */
	public Credential forTask() {
		return this.info.policy().sealed() ? new Credential(this.info, this.secrets, true) : this;
	}

	/**
	 * @return whether task code is refused this credential's secret parts
	 */
	public boolean sealed() {
		return this.info.policy().sealed();
	}

	/**
	 * Grants the credential to one request: checks that the target's origin is one the usage policy allows (any,
	 * when it names none), then returns what sets the header. For sealed credentials this is the only way out.
	 * The sender stays responsible for its own rules (https, no private addresses, no redirects).
	 * @param target the request's URI
	 * @return the authorization to apply to the request
	 * @throws EgressRefusedException if the policy does not allow the target's origin; nothing was granted
	 * @throws InvalidCredentialException if the credential lacks the secret parts its type needs
	 */
	public Authorization authorize(java.net.URI target) {
		Objects.requireNonNull(target, "target cannot be null");
		if (!this.info.policy().allowsOrigin(target)) {
			String origin = UsagePolicy.originOf(target);
			throw new EgressRefusedException("credential " + ((key() != null) ? key() + " " : "") + "(id " + id()
					+ ") may not be sent to " + ((origin != null) ? origin : "a target without an http(s) origin")
					+ ": its allowedOrigins are " + this.info.policy().allowedOrigins() + "; nothing was sent");
		}
		String header = header();
		if (header == null) {
			throw new InvalidCredentialException("secrets", "credential " + id() + " lacks the secret parts its type "
					+ type().wireName() + " needs for an Authorization header");
		}
		String raw = switch (type()) {
			case OAUTH2 -> this.secrets.get(ACCESS_TOKEN);
			case API_KEY, STATIC -> anyOf(API_KEY, VALUE);
			case BASIC -> null;
		};
		return new Authorization(header, raw);
	}

	/**
	 * @return the clear, non-secret part
	 */
	public CredentialInfo info() {
		return this.info;
	}

	/**
	 * @return every secret part by name (unmodifiable)
	 */
	public Map<String, String> secrets() {
		refuseIfRestricted("secret parts");
		return this.secrets;
	}

	public String id() {
		return this.info.id();
	}

	public String key() {
		return this.info.key();
	}

	public CredentialType type() {
		return this.info.type();
	}

	public String provider() {
		return this.info.provider();
	}

	public String principalId() {
		return this.info.principalId();
	}

	public String tenantId() {
		return this.info.tenantId();
	}

	public Instant expiresAt() {
		return this.info.expiresAt();
	}

	public Set<String> scopes() {
		return this.info.scopes();
	}

	public Map<String, String> metadata() {
		return this.info.metadata();
	}

	/**
	 * @param name the secret part's name, e.g. {@link #ACCESS_TOKEN}
	 * @return the secret part, if present
	 */
	public Optional<String> secret(String name) {
		refuseIfRestricted(name);
		return Optional.ofNullable(this.secrets.get(name));
	}

	/** @return the OAuth2 access token, or {@code null} */
	public String accessToken() {
		return part(ACCESS_TOKEN);
	}

	/** @return the OAuth2 refresh token, or {@code null} */
	public String refreshToken() {
		return part(REFRESH_TOKEN);
	}

	/** @return the API key, or for a {@link CredentialType#STATIC} credential its value; else {@code null} */
	public String apiKey() {
		refuseIfRestricted(API_KEY);
		return anyOf(API_KEY, VALUE);
	}

	/** @return the static value, or for an {@link CredentialType#API_KEY} credential the key; else {@code null} */
	public String value() {
		refuseIfRestricted(VALUE);
		return anyOf(VALUE, API_KEY);
	}

	/** @return the basic-auth username, or {@code null} */
	public String username() {
		return part(USERNAME);
	}

	/** @return the basic-auth password, or {@code null} */
	public String password() {
		return part(PASSWORD);
	}

	private String part(String name) {
		refuseIfRestricted(name);
		return this.secrets.get(name);
	}

	private String anyOf(String first, String second) {
		String value = this.secrets.get(first);
		return (value != null) ? value : this.secrets.get(second);
	}

	private void refuseIfRestricted(String what) {
		if (this.restricted) {
			throw new SealedCredentialException(id(), key(), what);
		}
	}

	/**
	 * A ready value for an HTTP {@code Authorization} header: {@code Bearer <accessToken>} for OAuth2,
	 * {@code Basic <base64(username:password)>} for basic auth, {@code Bearer <apiKey>} for API keys and
	 * static values.
	 * @return the header value, or {@code null} when the secret parts it needs are missing
	 */
	public String authorizationHeader() {
		refuseIfRestricted("Authorization header");
		return header();
	}

	private String header() {
		String username = this.secrets.get(USERNAME);
		String password = this.secrets.get(PASSWORD);
		return switch (this.info.type()) {
			case OAUTH2 -> bearer(this.secrets.get(ACCESS_TOKEN));
			case BASIC -> (username != null && password != null) ? "Basic " + Base64.getEncoder()
				.encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)) : null;
			case API_KEY, STATIC -> bearer(anyOf(API_KEY, VALUE));
		};
	}

	private static String bearer(String token) {
		return (token != null) ? "Bearer " + token : null;
	}

	// JavaBean getters for expressions (${credential.accessToken}); same values as the accessors above.

	public String getId() {
		return id();
	}

	public String getKey() {
		return key();
	}

	public String getType() {
		return type().wireName();
	}

	public String getProvider() {
		return provider();
	}

	public String getPrincipalId() {
		return principalId();
	}

	public String getTenantId() {
		return tenantId();
	}

	public String getAccessToken() {
		return accessToken();
	}

	public String getApiKey() {
		return apiKey();
	}

	public String getValue() {
		return value();
	}

	public String getUsername() {
		return username();
	}

	public String getPassword() {
		return password();
	}

	public String getAuthorizationHeader() {
		return authorizationHeader();
	}

	public Map<String, String> getMetadata() {
		return metadata();
	}

	/**
	 * @return metadata and the names of the secret parts; never a secret value
	 */
	@Override
	public String toString() {
		return "Credential[id=" + id() + ", key=" + key() + ", type=" + type().wireName() + ", provider="
				+ provider() + ", principalId=" + principalId() + ", tenantId=" + tenantId() + ", secrets="
				+ this.secrets.keySet() + " (redacted)" + (sealed() ? ", sealed" : "") + "]";
	}

}
