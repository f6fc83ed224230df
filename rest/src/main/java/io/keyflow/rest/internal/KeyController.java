package io.keyflow.rest.internal;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.keyflow.plugin.KeyOperations;
import io.keyflow.rest.ApiKeyRole;

/**
 * {@code /api/credentials/keys}: the encryption keys and what each encrypts, and the background key operations of a
 * rotation (re-encryption to the primary key; Vault transit rewrap). Keys serve every tenant, so only an unbound admin
 * key may see or act on them.
 */
@RestController
@RequestMapping(ApiKeyFilter.BASE_PATH + "/keys")
class KeyController {

	private final KeyOperations keys;

	private final AuditTrail audit;

	KeyController(KeyOperations keys, AuditTrail audit) {
		this.keys = keys;
		this.audit = audit;
	}

	@GetMapping
	@RequiredRole(ApiKeyRole.ADMIN)
	Map<String, Object> keys(@RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
		requireUnbound(caller);
		List<Map<String, Object>> items = this.keys.keys().stream().map(KeyController::key).toList();
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("keys", items);
		json.put("remaining", items.stream().filter((key) -> !(Boolean) key.get("primary"))
			.mapToInt((key) -> (Integer) key.get("total"))
			.sum());
		json.put("reEncryption", this.keys.status(KeyOperations.RE_ENCRYPT).map(KeyController::status).orElse(null));
		json.put("canRewrap", this.keys.canRewrap());
		json.put("rewrap", this.keys.status(KeyOperations.REWRAP).map(KeyController::status).orElse(null));
		return json;
	}

	@PostMapping("/re-encrypt")
	@RequiredRole(ApiKeyRole.ADMIN)
	ResponseEntity<Map<String, Object>> reEncrypt(@RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
		return start(caller, KeyOperations.RE_ENCRYPT);
	}

	@GetMapping("/re-encrypt")
	@RequiredRole(ApiKeyRole.ADMIN)
	Map<String, Object> reEncryption(@RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
		return progress(caller, KeyOperations.RE_ENCRYPT);
	}

	@PostMapping("/rewrap")
	@RequiredRole(ApiKeyRole.ADMIN)
	ResponseEntity<Map<String, Object>> rewrap(@RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
		requireUnbound(caller);
		if (!this.keys.canRewrap()) {
			RestException ex = new RestException(HttpStatus.CONFLICT, ErrorCode.CONFLICT, null, "the keyring has no "
					+ "source that rewraps: turn on keyflow.vault.transit.enabled to keep data keys wrapped by Vault");
			this.audit.failure(caller, "keys.rewrap", null, null, KeyOperations.REWRAP, ex);
			throw ex;
		}
		return start(caller, KeyOperations.REWRAP);
	}

	@GetMapping("/rewrap")
	@RequiredRole(ApiKeyRole.ADMIN)
	Map<String, Object> rewrapProgress(@RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
		return progress(caller, KeyOperations.REWRAP);
	}

	// 202 with the state right after the start; a second start while it runs answers the running one
	private ResponseEntity<Map<String, Object>> start(Caller caller, String kind) {
		requireUnbound(caller);
		KeyOperations.Status status = KeyOperations.RE_ENCRYPT.equals(kind) ? this.keys.startReEncryption()
				: this.keys.startRewrap();
		this.audit.success(caller, "keys." + kind, null, kind);
		return ResponseEntity.status(HttpStatus.ACCEPTED)
			.location(URI.create(ApiKeyFilter.BASE_PATH + "/keys/" + kind))
			.body(withRemaining(status));
	}

	private Map<String, Object> progress(Caller caller, String kind) {
		requireUnbound(caller);
		return this.keys.status(kind).map(this::withRemaining)
			.orElseThrow(() -> RestException.notFound("no " + kind + " has run yet; start one with POST "
					+ ApiKeyFilter.BASE_PATH + "/keys/" + kind));
	}

	private Map<String, Object> withRemaining(KeyOperations.Status status) {
		Map<String, Object> json = status(status);
		if (KeyOperations.RE_ENCRYPT.equals(status.kind())) {
			json.put("remaining", this.keys.remaining());
		}
		return json;
	}

	private static void requireUnbound(Caller caller) {
		if (caller.boundTenant() != null) {
			throw RestException.forbidden("encryption keys serve every tenant: only an unbound admin key may see or "
					+ "rotate them");
		}
	}

	private static Map<String, Object> key(KeyOperations.KeyUsage key) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("id", key.keyId());
		json.put("primary", key.primary());
		json.put("inKeyring", key.inKeyring());
		json.put("credentials", key.rows().getOrDefault("credentials", 0));
		json.put("oauth2Clients", key.rows().getOrDefault("oauth2Clients", 0));
		json.put("oauth2Flows", key.rows().getOrDefault("oauth2Flows", 0));
		json.put("total", key.total());
		json.put("description", key.description());
		return json;
	}

	private static Map<String, Object> status(KeyOperations.Status status) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("operation", status.kind());
		json.put("state", status.state());
		json.put("node", status.node());
		json.put("processed", status.processed());
		json.put("batches", status.batches());
		json.put("startedAt", CredentialJson.text(status.startedAt()));
		json.put("updatedAt", CredentialJson.text(status.updatedAt()));
		json.put("finishedAt", CredentialJson.text(status.finishedAt()));
		json.put("error", status.error());
		return json;
	}

}
