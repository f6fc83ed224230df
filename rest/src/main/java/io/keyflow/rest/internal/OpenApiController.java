package io.keyflow.rest.internal;

import java.io.IOException;
import java.io.InputStream;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves the REST API's OpenAPI 3 document, a checked-in resource (a test keeps it in step with the endpoints).
 */
@RestController
@RequestMapping(ApiKeyFilter.BASE_PATH)
class OpenApiController {

	static final String LOCATION = "io/keyflow/web/openapi.json";

	@GetMapping(path = "/openapi.json", produces = MediaType.APPLICATION_JSON_VALUE)
	@PublicEndpoint
	ResponseEntity<byte[]> openApi() throws IOException {
		try (InputStream in = new ClassPathResource(LOCATION).getInputStream()) {
			return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(in.readAllBytes());
		}
	}

}
