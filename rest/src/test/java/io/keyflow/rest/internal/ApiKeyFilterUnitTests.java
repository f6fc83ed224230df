package io.keyflow.rest.internal;

import java.time.Clock;
import java.util.Optional;

import io.keyflow.rest.ApiKeyRole;
import io.keyflow.rest.ApiKeyService;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The filter's decisions without a server: demo-open makes key-less requests from the loopback interface an
 * untenanted editor (never admin) but still refuses invalid keys, and is 401 from any other address; without it,
 * key-less requests are 401 except on the public endpoints; state-changing self-service requests need the marker
 * header and must not come from another site.
 */
class ApiKeyFilterUnitTests {

	static final String BOOTSTRAP = "0123456789abcdef0123456789abcdef-bootstrap";

	/** Stands in for the database of keys: none stored. */
	static final ApiKeyService NO_STORED_KEYS = new ApiKeyService(new org.springframework.jdbc.datasource.SimpleDriverDataSource(),
			Clock.systemUTC()) {

		@Override
		public Optional<io.keyflow.rest.ApiKey> authenticate(String presented) {
			return Optional.empty();
		}

	};

	@Test
	void doFilterWhenDemoOpenAndNoKeyThenEditorWithoutTenant() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/credentials");
		MockFilterChain chain = new MockFilterChain();

		filter(true).doFilter(request, new MockHttpServletResponse(), chain);

		Caller caller = (Caller) request.getAttribute(Caller.ATTRIBUTE);
		assertThat(caller.role()).isEqualTo(ApiKeyRole.EDITOR);
		assertThat(caller.boundTenant()).isNull();
		assertThat(caller.role().includes(ApiKeyRole.ADMIN)).isFalse();
		assertThat(chain.getRequest()).isNotNull();
	}

	@Test
	void doFilterWhenDemoOpenAndInvalidKeyThen401() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/credentials");
		request.addHeader("Authorization", "Bearer kf_wrong-wrong-wrong-wrong");
		MockHttpServletResponse response = new MockHttpServletResponse();
		MockFilterChain chain = new MockFilterChain();

		filter(true).doFilter(request, response, chain);

		assertThat(response.getStatus()).isEqualTo(401);
		assertThat(response.getContentType()).startsWith("application/problem+json");
		assertThat(response.getContentAsString()).contains("\"code\":\"UNAUTHORIZED\"");
		assertThat(chain.getRequest()).isNull();
	}

	@Test
	void doFilterWhenNotDemoOpenThenKeylessOnlyOnPublicEndpoints() throws Exception {
		MockHttpServletResponse refused = new MockHttpServletResponse();
		filter(false).doFilter(new MockHttpServletRequest("GET", "/api/credentials"), refused, new MockFilterChain());
		MockFilterChain publicChain = new MockFilterChain();
		filter(false).doFilter(new MockHttpServletRequest("GET", "/api/credentials/oauth2/callback"),
				new MockHttpServletResponse(), publicChain);
		MockHttpServletRequest bootstrap = new MockHttpServletRequest("GET", "/api/credentials");
		bootstrap.addHeader("Authorization", "Bearer " + BOOTSTRAP);
		filter(false).doFilter(bootstrap, new MockHttpServletResponse(), new MockFilterChain());

		assertThat(refused.getStatus()).isEqualTo(401);
		assertThat(refused.getHeader("WWW-Authenticate")).startsWith("Bearer");
		assertThat(publicChain.getRequest()).isNotNull();
		assertThat(((Caller) bootstrap.getAttribute(Caller.ATTRIBUTE)).role()).isEqualTo(ApiKeyRole.ADMIN);
	}

	@Test
	void doFilterWhenContentLengthAboveLimitThen413BeforeTheChain() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/credentials");
		request.addHeader("Authorization", "Bearer " + BOOTSTRAP);
		request.setContent(new byte[2048]);
		MockHttpServletResponse response = new MockHttpServletResponse();
		MockFilterChain chain = new MockFilterChain();

		filter(false).doFilter(request, response, chain);

		assertThat(response.getStatus()).isEqualTo(413);
		assertThat(response.getContentAsString()).contains("\"code\":\"BAD_REQUEST\"").contains("\"field\":\"body\"");
		assertThat(chain.getRequest()).isNull();
	}

	@Test
	void doFilterWhenDemoOpenAndNoKeyFromNonLoopbackAddressThen401() throws Exception {
		for (String remote : new String[] { "192.0.2.10", "10.0.0.7", "2001:db8::1", "0.0.0.0", "localhost.evil.example" }) {
			MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/credentials");
			request.setRemoteAddr(remote);
			MockHttpServletResponse response = new MockHttpServletResponse();
			MockFilterChain chain = new MockFilterChain();

			filter(true).doFilter(request, response, chain);

			assertThat(response.getStatus()).as(remote).isEqualTo(401);
			assertThat(response.getContentAsString()).contains("\"code\":\"UNAUTHORIZED\"");
			assertThat(request.getAttribute(Caller.ATTRIBUTE)).isNull();
			assertThat(chain.getRequest()).isNull();
		}
	}

	@Test
	void doFilterWhenDemoOpenAndNoKeyFromIpv6LoopbackThenEditor() throws Exception {
		for (String remote : new String[] { "::1", "0:0:0:0:0:0:0:1", "127.0.0.2" }) {
			MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/credentials");
			request.setRemoteAddr(remote);
			MockFilterChain chain = new MockFilterChain();

			filter(true).doFilter(request, new MockHttpServletResponse(), chain);

			assertThat(request.getAttribute(Caller.ATTRIBUTE)).as(remote).isEqualTo(Caller.DEMO_OPEN);
			assertThat(chain.getRequest()).isNotNull();
		}
	}

	@Test
	void doFilterWhenSelfServiceChangeWithoutMarkerHeaderOrFromAnotherSiteThen403() throws Exception {
		MockHttpServletRequest noMarker = new MockHttpServletRequest("POST", "/api/credentials/me/login");
		MockHttpServletResponse refused = new MockHttpServletResponse();
		filter(false).doFilter(noMarker, refused, new MockFilterChain());
		MockHttpServletRequest crossSite = new MockHttpServletRequest("POST", "/api/credentials/me/login");
		crossSite.addHeader(ApiKeyFilter.CSRF_HEADER, "true");
		crossSite.addHeader("Sec-Fetch-Site", "cross-site");
		MockHttpServletResponse refusedCrossSite = new MockHttpServletResponse();
		filter(false).doFilter(crossSite, refusedCrossSite, new MockFilterChain());
		MockHttpServletRequest sameOrigin = new MockHttpServletRequest("POST", "/api/credentials/me/login");
		sameOrigin.addHeader(ApiKeyFilter.CSRF_HEADER, "true");
		sameOrigin.addHeader("Sec-Fetch-Site", "same-origin");
		MockFilterChain passed = new MockFilterChain();
		filter(false).doFilter(sameOrigin, new MockHttpServletResponse(), passed);

		assertThat(refused.getStatus()).isEqualTo(403);
		assertThat(refused.getContentAsString()).contains("\"code\":\"CSRF_REJECTED\"");
		assertThat(refusedCrossSite.getStatus()).isEqualTo(403);
		assertThat(refusedCrossSite.getContentAsString()).contains("\"code\":\"CSRF_REJECTED\"");
		assertThat(passed.getRequest()).isNotNull();
	}

	private static ApiKeyFilter filter(boolean demoOpen) {
		return new ApiKeyFilter(new ApiKeyAuthenticator(NO_STORED_KEYS, BOOTSTRAP), null, 1024, demoOpen);
	}

}
