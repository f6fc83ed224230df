package io.keyflow.rest.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.keyflow.api.CredentialInfo;
import io.keyflow.api.CredentialNotFoundException;
import io.keyflow.api.CredentialQuery;
import io.keyflow.api.OAuth2Provider;
import io.keyflow.plugin.AuthorizationStart;
import io.keyflow.plugin.CredentialRequest;
import io.keyflow.plugin.CredentialRequestService;
import io.keyflow.plugin.CredentialService;
import io.keyflow.plugin.OAuth2ConnectionRequest;
import io.keyflow.plugin.OAuth2ConnectionService;
import io.keyflow.plugin.OAuth2FlowBinding;
import io.keyflow.plugin.OAuth2ProviderRegistry;

/**
 * {@code /api/credentials/me}: a logged-in Camunda user connects, lists and disconnects its own accounts, without
 * an API key. Every connection started here is bound to the user as its principal (nothing in a request can name
 * another) and to the browser that started it; it goes to the tenant-less scope, or to a tenant the user is a member
 * of in Camunda's identity service. Also a small login for applications without the Camunda webapps.
 */
@RestController
@RequestMapping(ApiKeyFilter.SELF_SERVICE_PATH)
class SelfServiceController {

	static final Set<String> LOGIN_FIELDS = Set.of("username", "password");

	static final Set<String> START_FIELDS = CredentialRequests.with(CredentialRequests.POLICY_FIELDS, "scopes",
			"tenantId", "name", "principalId", "requestId");

	static final Set<String> CALLBACK_FIELDS = Set.of("code", "state");

	/** The most connections a user's list shows (one per provider and tenant). */
	static final int MAX_CONNECTIONS = 200;

	private static final Logger log = LoggerFactory.getLogger("io.keyflow.rest");

	private final CredentialService credentials;

	private final OAuth2ConnectionService connections;

	private final OAuth2ProviderRegistry providers;

	private final Set<String> configuredProviders;

	private final CamundaUserAuthenticator users;

	private final AuditTrail audit;

	private final BrowserBinding browsers;

	private final CredentialRequestService requests;

	SelfServiceController(CredentialService credentials, OAuth2ConnectionService connections,
			OAuth2ProviderRegistry providers, Set<String> configuredProviders, CamundaUserAuthenticator users,
			AuditTrail audit, BrowserBinding browsers, CredentialRequestService requests) {
		this.requests = requests;
		this.credentials = credentials;
		this.connections = connections;
		this.providers = providers;
		this.configuredProviders = Set.copyOf(configuredProviders);
		this.users = users;
		this.audit = audit;
		this.browsers = browsers;
	}

	/** Keyflow's own login: checks the password with Camunda's identity service, then a new session id. */
	@PostMapping(path = "/login", consumes = MediaType.APPLICATION_JSON_VALUE)
	@PublicEndpoint
	Map<String, Object> login(@RequestBody byte[] json, HttpServletRequest request) {
		JsonBody body = JsonBody.parse(json, LOGIN_FIELDS);
		String username = body.requiredText("username");
		String password = body.requiredText("password");
		String userId = this.users.checkPassword(username, password).orElse(null);
		if (userId == null) {
			// not audited in the table: an unauthenticated caller must not grow it
			log.warn("KEYFLOW-R007 Self-service login refused for user {}",
					CamundaUserAuthenticator.plausibleUserId(username) && username.matches("[A-Za-z0-9_.@-]+") ? username
							: "(invalid id)");
			throw RestException.unauthorized("unknown Camunda user or wrong password");
		}
		if (request.getSession(false) != null) {
			request.changeSessionId();
		}
		request.getSession(true).setAttribute(CamundaUserAuthenticator.SESSION_ATTRIBUTE, userId);
		CamundaUser user = new CamundaUser(userId, CamundaUser.Via.KEYFLOW_SESSION);
		this.audit.success(user, "me.login", null, (String) null);
		return Map.of("userId", userId);
	}

	/** Ends Keyflow's login (a Camunda webapps session is theirs to end). */
	@PostMapping("/logout")
	@PublicEndpoint
	ResponseEntity<Void> logout(HttpServletRequest request) {
		HttpSession session = request.getSession(false);
		if (session != null && session.getAttribute(CamundaUserAuthenticator.SESSION_ATTRIBUTE) instanceof String userId) {
			session.removeAttribute(CamundaUserAuthenticator.SESSION_ATTRIBUTE);
			this.audit.success(new CamundaUser(userId, CamundaUser.Via.KEYFLOW_SESSION), "me.logout", null, (String) null);
		}
		return ResponseEntity.noContent().build();
	}

	@GetMapping
	@SelfService
	Map<String, Object> me(@RequestAttribute(CamundaUser.ATTRIBUTE) CamundaUser user) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("userId", user.userId());
		json.put("authenticatedBy", user.via().wireName);
		json.put("tenants", this.users.tenants(user.userId()));
		json.put("providers", this.providers.providers()
			.stream()
			.filter((provider) -> this.configuredProviders.contains(provider.id()))
			.map(SelfServiceController::provider)
			.toList());
		return json;
	}

	@GetMapping("/connections")
	@SelfService
	Map<String, Object> connections(@RequestAttribute(CamundaUser.ATTRIBUTE) CamundaUser user,
			@RequestParam(required = false) String tenantId) {
		String tenant = tenantFor(user, tenantId);
		List<Map<String, Object>> items = this.credentials
			.list(new CredentialQuery(tenant, user.userId(), null, null, null, 0, MAX_CONNECTIONS))
			.stream()
			.filter((info) -> user.userId().equals(info.principalId()))
			.map(CredentialJson::detail)
			.toList();
		return Map.of("items", items);
	}

	/** The open credential requests for the user's own credentials: connecting the provider fulfils one. */
	@GetMapping("/requests")
	@SelfService
	Map<String, Object> requests(@RequestAttribute(CamundaUser.ATTRIBUTE) CamundaUser user) {
		List<String> tenants = new java.util.ArrayList<>();
		tenants.add(null);
		tenants.addAll(this.users.tenants(user.userId()));
		List<Map<String, Object>> items = this.requests
			.list(tenants, CredentialRequest.Status.OPEN, user.userId(), null, 0, MAX_CONNECTIONS)
			.stream()
			.map((request) -> CredentialJson.request(request, List.of()))
			.toList();
		return Map.of("items", items);
	}

	@PostMapping(path = "/connections/{provider}/start", consumes = MediaType.APPLICATION_JSON_VALUE)
	@SelfService
	Map<String, Object> start(@RequestAttribute(CamundaUser.ATTRIBUTE) CamundaUser user, @PathVariable String provider,
			@RequestBody(required = false) byte[] json, HttpServletRequest request, HttpServletResponse response) {
		JsonBody body = JsonBody.parse((json != null && json.length > 0) ? json : "{}".getBytes(), START_FIELDS);
		String providerId = CredentialRequests.serviceFilter(provider);
		String named = body.text("tenantId");
		String tenant = null;
		try {
			String principal = body.text("principalId");
			if (principal != null && !principal.equals(user.userId())) {
				throw new RestException(HttpStatus.FORBIDDEN, ErrorCode.PRINCIPAL_NOT_ALLOWED, "principalId",
						"a self-service connection is always the logged-in user's own; it cannot name another principal");
			}
			tenant = tenantFor(user, named);
			CredentialRequestController.requireConnectionFor(this.requests, body.text("requestId"), tenant, providerId,
					user.userId());
			AuthorizationStart start = this.connections.start(OAuth2ConnectionRequest.provider(providerId)
				.scopes(body.strings("scopes"))
				.principalId(user.userId())
				.tenantId(tenant)
				.name(body.text("name"))
				.policy(CredentialRequests.policy(body))
				.build(), new OAuth2FlowBinding(user.id(), this.browsers.issue(request, response)));
			this.audit.success(user, "me.connect.start", tenant, providerId);
			Map<String, Object> answer = new LinkedHashMap<>();
			answer.put("authorizationUrl", start.authorizationUrl().toString());
			answer.put("expiresAt", CredentialJson.text(start.expiresAt()));
			return answer;
		}
		catch (RuntimeException ex) {
			this.audit.failure(user, "me.connect.start", tenant, null, providerId, ex);
			throw ex;
		}
	}

	/** A front end relays code and state: only the user who started the flow completes it. */
	@PostMapping(path = "/connections/callback", consumes = MediaType.APPLICATION_JSON_VALUE)
	@SelfService
	Map<String, Object> callback(@RequestAttribute(CamundaUser.ATTRIBUTE) CamundaUser user, @RequestBody byte[] json) {
		JsonBody body = JsonBody.parse(json, CALLBACK_FIELDS);
		String code = body.requiredText("code");
		String state = body.requiredText("state");
		try {
			CredentialInfo info = this.connections.callback(code, state,
					(tenant, binding) -> user.id().equals(binding.startedBy()));
			this.audit.success(user, "me.connect", info.tenantId(), info);
			return CredentialJson.detail(info);
		}
		catch (RuntimeException ex) {
			this.audit.failure(user, "me.connect", null, null, null, ex);
			throw ex;
		}
	}

	@DeleteMapping("/connections/{credentialId}")
	@SelfService
	ResponseEntity<Void> disconnect(@RequestAttribute(CamundaUser.ATTRIBUTE) CamundaUser user,
			@PathVariable String credentialId, @RequestParam(required = false) String tenantId) {
		String tenant = tenantFor(user, tenantId);
		try {
			String id = CredentialRequests.id(credentialId);
			CredentialInfo info = this.credentials.get(tenant, id)
				.filter((found) -> user.userId().equals(found.principalId()))
				.orElse(null);
			// another user's credential answers exactly like a missing one
			if (info == null || !this.credentials.delete(tenant, id)) {
				throw new CredentialNotFoundException("you have no connection " + id + " in "
						+ ((tenant != null) ? "tenant '" + tenant + "'" : "the tenant-less scope"));
			}
			this.audit.success(user, "me.disconnect", tenant, info);
			return ResponseEntity.noContent().build();
		}
		catch (RuntimeException ex) {
			this.audit.failure(user, "me.disconnect", tenant,
					CredentialRequests.ID.matcher(Objects.toString(credentialId, "")).matches() ? credentialId : null, null,
					ex);
			throw ex;
		}
	}

	/**
	 * @return the tenant a self-service request acts on: the tenant-less scope, or a tenant the user is a member of
	 */
	private String tenantFor(CamundaUser user, String requested) {
		if (requested == null) {
			return null;
		}
		if (requested.isBlank() || requested.length() > 64 || !this.users.isTenantMember(user.userId(), requested)) {
			throw RestException.forbidden("a self-service connection goes to the tenant-less scope or to a tenant you "
					+ "are a member of");
		}
		return requested;
	}

	private static Map<String, Object> provider(OAuth2Provider provider) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("id", provider.id());
		json.put("name", provider.name());
		json.put("description", provider.description());
		json.put("icon", provider.icon());
		json.put("defaultScopes", provider.defaultScopes());
		return json;
	}

}
