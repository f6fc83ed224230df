package io.keyflow.rest.internal;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;
import org.springframework.web.util.UriComponentsBuilder;

import io.keyflow.api.CredentialInfo;
import io.keyflow.plugin.AuthorizationStart;
import io.keyflow.plugin.CredentialRequestService;
import io.keyflow.plugin.OAuth2ConnectionRequest;
import io.keyflow.plugin.OAuth2ConnectionService;
import io.keyflow.plugin.OAuth2FlowBinding;
import io.keyflow.rest.ApiKeyRole;

/**
 * {@code /api/credentials/oauth2}: start an authorization-code connection and complete it, either where the
 * provider sends the browser ({@code GET callback}, then a redirect to the result page) or from a front end that
 * relays code and state ({@code POST callback}).
 */
@RestController
@RequestMapping(ApiKeyFilter.BASE_PATH + "/oauth2")
class OAuth2ConnectionController {

	static final Set<String> START_FIELDS = CredentialRequests.with(CredentialRequests.POLICY_FIELDS, "providerId",
			"service", "clientId", "clientSecret", "scopes", "key", "principalId", "name", "tenantId", "requestId");

	static final Set<String> CALLBACK_FIELDS = Set.of("code", "state");

	/** Who completes a flow at the GET callback: the browser, sent by the provider; the state is its proof. */
	static final Caller BROWSER = new Caller("oauth2-callback", "browser redirect from the OAuth2 provider",
			ApiKeyRole.EDITOR, null);

	private static final String USER_STARTER = "user:";

	private static final Logger log = LoggerFactory.getLogger("io.keyflow.rest");

	private static final Pattern PROVIDER_ERROR = Pattern.compile("[a-z_]{1,64}");

	private final OAuth2ConnectionService connections;

	private final AuditTrail audit;

	private final String resultUrl;

	private final BrowserBinding browsers;

	private final CredentialRequestService requests;

	OAuth2ConnectionController(OAuth2ConnectionService connections, AuditTrail audit, String resultUrl,
			BrowserBinding browsers, CredentialRequestService requests) {
		this.requests = requests;
		this.connections = connections;
		this.audit = audit;
		this.resultUrl = resultUrl;
		this.browsers = browsers;
	}

	@PostMapping(path = "/start", consumes = MediaType.APPLICATION_JSON_VALUE)
	@RequiredRole(ApiKeyRole.EDITOR)
	Map<String, Object> start(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @RequestBody byte[] json,
			@RequestParam(required = false) String tenantId, HttpServletRequest http, HttpServletResponse response) {
		JsonBody body = JsonBody.parse(json, START_FIELDS);
		String tenant = caller.tenantFor((body.text("tenantId") != null) ? body.text("tenantId") : tenantId);
		String provider = provider(body);
		String principal;
		try {
			principal = caller.principalFor(body.text("principalId"));
		}
		catch (RestException ex) {
			this.audit.failure(caller, "oauth2.start", tenant, null, CredentialRequests.auditableProvider(provider), ex,
					auditable(body.text("principalId")));
			throw ex;
		}
		AuthorizationStart start;
		try {
			CredentialRequestController.requireConnectionFor(this.requests, body.text("requestId"), tenant, provider,
					principal);
			OAuth2ConnectionRequest request = CredentialRequests.connection(body, provider, tenant, principal);
			start = this.connections.start(request,
					new OAuth2FlowBinding(caller.starterId(), this.browsers.issue(http, response)));
		}
		catch (RuntimeException ex) {
			this.audit.failure(caller, "oauth2.start", tenant, null, CredentialRequests.auditableProvider(provider), ex,
					principal);
			throw ex;
		}
		this.audit.success(caller, "oauth2.start", tenant, provider, principal);
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("authorizationUrl", start.authorizationUrl().toString());
		answer.put("state", start.state());
		answer.put("expiresAt", CredentialJson.text(start.expiresAt()));
		return answer;
	}

	/**
	 * Where the provider sends the browser. Completes the flow only in the browser that started it (its binding
	 * cookie); any other browser gets the same answer as for an unknown state, and the flow is used up. Anyone can
	 * call it: a failure is written to {@code KEYFLOW_AUDIT} only when the browser proved it started the flow (state
	 * and binding cookie, so one row at most per flow an authenticated caller started); every other failure is only
	 * logged ({@code KEYFLOW-R008}), so an unauthenticated caller cannot grow the table.
	 */
	@GetMapping("/callback")
	@PublicEndpoint
	ResponseEntity<Void> callback(@RequestParam(required = false) String code,
			@RequestParam(required = false) String state, @RequestParam(required = false) String error,
			HttpServletRequest http, HttpServletResponse response) {
		UriComponentsBuilder target = UriComponentsBuilder.fromUriString(this.resultUrl);
		if (error != null) {
			// the user declined, or the provider refused the request; the flow simply expires
			target.queryParam("error", "PROVIDER_DENIED");
			if (PROVIDER_ERROR.matcher(error).matches()) {
				target.queryParam("providerError", error);
			}
			callbackRefused("PROVIDER_DENIED", PROVIDER_ERROR.matcher(error).matches() ? error : CredentialRequests.INVALID);
		}
		else {
			Map<String, String> presented = BrowserBinding.presented(http);
			AtomicReference<String> matched = new AtomicReference<>();
			AtomicReference<String> startedBy = new AtomicReference<>();
			try {
				CredentialInfo info = this.connections.callback(code, state, (tenant, binding) -> {
					startedBy.set(binding.startedBy());
					matched.set(BrowserBinding.matching(presented, binding.browserHash()));
					return matched.get() != null;
				});
				this.audit.success(actor(startedBy.get()), "oauth2.connect", info.tenantId(), info,
						onBehalfOf(startedBy.get(), info.principalId()));
				target.queryParam("credentialId", info.id());
			}
			catch (RuntimeException ex) {
				if (startedBy.get() != null && matched.get() == null) {
					log.warn("KEYFLOW-R006 OAuth2 callback refused: the browser is not the one that started the flow "
							+ "(started by {}); the flow is used up, nothing stored", startedBy.get());
				}
				if (matched.get() != null) {
					this.audit.failure(actor(startedBy.get()), "oauth2.connect", null, null, null, ex);
				}
				else {
					callbackRefused(Problem.of(ex).code().name(), null);
				}
				target.queryParam("error", Problem.of(ex).code().name());
			}
			if (matched.get() != null) {
				this.browsers.clear(http, response, matched.get());
			}
		}
		return ResponseEntity.status(HttpStatus.FOUND).location(URI.create(target.build().encode().toUriString())).build();
	}

	/**
	 * A front end relays code and state: only the API key that started the flow may complete it.
	 */
	@PostMapping(path = "/callback", consumes = MediaType.APPLICATION_JSON_VALUE)
	@RequiredRole(ApiKeyRole.EDITOR)
	Map<String, Object> callback(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @RequestBody byte[] json) {
		JsonBody body = JsonBody.parse(json, CALLBACK_FIELDS);
		String code = body.requiredText("code");
		String state = body.requiredText("state");
		try {
			CredentialInfo info = this.connections.callback(code, state,
					(tenant, binding) -> caller.mayActOn(tenant) && caller.starterId().equals(binding.startedBy()));
			this.audit.success(caller, "oauth2.connect", info.tenantId(), info, info.principalId());
			return CredentialJson.detail(info);
		}
		catch (RuntimeException ex) {
			this.audit.failure(caller, "oauth2.connect", caller.boundTenant(), null, null, ex);
			throw ex;
		}
	}

	/**
	 * A machine-to-machine connection: fetches a token with the client-credentials grant at once (a client the
	 * provider refuses stores nothing) and stores the client and the token; a new token is fetched when it expires.
	 */
	@PostMapping(path = "/client-credentials", consumes = MediaType.APPLICATION_JSON_VALUE)
	@RequiredRole(ApiKeyRole.EDITOR)
	ResponseEntity<Map<String, Object>> clientCredentials(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
			@RequestBody byte[] json, @RequestParam(required = false) String tenantId) {
		JsonBody body = JsonBody.parse(json, START_FIELDS);
		String tenant = caller.tenantFor((body.text("tenantId") != null) ? body.text("tenantId") : tenantId);
		String provider = provider(body);
		String principal = null;
		try {
			principal = caller.principalFor(body.text("principalId"));
			if (body.has("clientId") != body.has("clientSecret")) {
				throw RestException.badRequest(body.has("clientId") ? "clientSecret" : "clientId",
						"clientId and clientSecret go together; leave both out to use the configured client");
			}
			CredentialInfo saved = this.connections
				.connectClientCredentials(CredentialRequests.connection(body, provider, tenant, principal));
			this.audit.success(caller, "oauth2.connect", tenant, saved, principal);
			return ResponseEntity.status(HttpStatus.CREATED)
				.location(URI.create(ApiKeyFilter.BASE_PATH + "/" + saved.id()))
				.body(CredentialJson.detail(saved));
		}
		catch (RuntimeException ex) {
			this.audit.failure(caller, "oauth2.connect", tenant, null, CredentialRequests.auditableProvider(provider), ex,
					(principal != null) ? principal : auditable(body.text("principalId")));
			throw ex;
		}
	}

	/** @return the body's {@code providerId} (or {@code service}) */
	private static String provider(JsonBody body) {
		String provider = (body.text("providerId") != null) ? body.text("providerId") : body.text("service");
		if (provider == null || provider.isBlank()) {
			throw RestException.badRequest("providerId", "providerId is required (a provider id, e.g. github)");
		}
		if (provider.length() > 64) {
			throw RestException.badRequest("providerId", "providerId must be at most 64 characters");
		}
		return provider;
	}

	// nothing from the request but a provider error code that matched its pattern
	private static void callbackRefused(String code, String providerError) {
		log.info("KEYFLOW-R008 OAuth2 callback from a browser that did not prove it started the flow refused: {}{}; "
				+ "nothing stored, not audited", code, (providerError != null) ? " (provider error " + providerError + ")" : "");
	}

	/** The actor of a GET callback: the Camunda user who started the flow, else the browser. */
	private static Actor actor(String startedBy) {
		if (startedBy != null && startedBy.startsWith(USER_STARTER)) {
			String userId = startedBy.substring(USER_STARTER.length());
			return new Actor() {

				@Override
				public String id() {
					return startedBy;
				}

				@Override
				public String name() {
					return "Camunda user " + userId + " (browser redirect from the OAuth2 provider)";
				}

			};
		}
		return BROWSER;
	}

	/** @return the principal if it is fit for an audit row, else {@code null} */
	static String auditable(String principalId) {
		return (principalId != null && !principalId.isBlank() && principalId.length() <= 255
				&& !principalId.chars().anyMatch(Character::isISOControl)) ? principalId : null;
	}

	/** @return the principal a key-started flow connected for; {@code null} for a user's own connection */
	private static String onBehalfOf(String startedBy, String principalId) {
		return (startedBy != null && startedBy.startsWith(USER_STARTER)) ? null : principalId;
	}

	/**
	 * The page the browser lands on after the callback. Shows only an id and a code that match their patterns,
	 * escaped; never a token.
	 */
	@GetMapping(path = "/result", produces = MediaType.TEXT_HTML_VALUE)
	@PublicEndpoint
	ResponseEntity<String> result(@RequestParam(required = false) String credentialId,
			@RequestParam(required = false) String error) {
		boolean connected = error == null && credentialId != null && CredentialRequests.ID.matcher(credentialId).matches();
		String code = (error != null && error.matches("[A-Z_]{1,40}")) ? error : "BAD_REQUEST";
		String message = connected ? "Connected. Credential id: " + HtmlUtils.htmlEscape(credentialId)
				: "The connection failed (" + HtmlUtils.htmlEscape(code) + "). Start the connection again.";
		String html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Keyflow: "
				+ (connected ? "connected" : "connection failed") + "</title></head><body><h1>"
				+ (connected ? "Account connected" : "Connection failed") + "</h1><p id=\"result\" data-status=\""
				+ (connected ? "connected" : "failed") + "\">" + message + "</p><p>You can close this window, or go back to "
				+ "<a href=\"../../../keyflow/me.html\">My connections</a>.</p></body></html>";
		return ResponseEntity.ok()
			.contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
			.header("Content-Security-Policy", "default-src 'none'")
			.header("Referrer-Policy", "no-referrer")
			.body(html);
	}

}
