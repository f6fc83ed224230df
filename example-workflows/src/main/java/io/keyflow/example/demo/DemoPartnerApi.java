package io.keyflow.example.demo;

import java.util.Map;

import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The demo's partner API, {@code GET /demo-api/partner/status}, for the credential-request example
 * ({@code keyflow-demo-partner}): the demo stores no {@code PARTNER_API_KEY}, so the task waits on a credential
 * request until someone fulfils it. A real partner checks its key; this one wants a bearer token of any value and
 * never echoes it.
 */
@RestController
@Profile("demo")
public class DemoPartnerApi {

	@GetMapping(path = "/demo-api/partner/status", produces = "application/json")
	ResponseEntity<Map<String, Object>> status(
			@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
		if (authorization == null || !authorization.startsWith("Bearer ") || authorization.length() == "Bearer ".length()) {
			return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(Map.of("error", "an API key is required"));
		}
		return ResponseEntity.ok(Map.of("partner", "demo partner", "status", "ok"));
	}

}
