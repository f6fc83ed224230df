package io.keyflow.plugin.internal.web;

import java.net.URI;
import java.util.List;
import java.util.Map;

import io.keyflow.plugin.TestAccess;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OAuth2 connection over HTTP against Spring Authorization Server: start, the browser's login at the server,
 * the GET callback that redirects to the result page, and the credential listed afterwards.
 */
class OAuth2RestIntegrationTests extends RestTestSupport {

	@Test
	void getCallbackWhenUserLoggedInThenRedirectsToResultPageAndCredentialIsListed() throws Exception {
		RestClient.Response start = this.http.post("/api/credentials/oauth2/start", this.editorKey,
				Map.of("providerId", "devserver", "principalId", "carol", "scopes", List.of("read")));
		assertThat(start.status()).as(start.toString()).isEqualTo(200);
		URI authorizationUrl = URI.create((String) start.json().get("authorizationUrl"));
		assertThat(authorizationUrl.getQuery()).contains("code_challenge_method=S256");

		Map<String, String> redirect = TestAccess.login(authorizationUrl, redirectUri());
		RestClient.Response callback = this.http.get(REDIRECT_PATH + "?code=" + redirect.get("code") + "&state="
				+ redirect.get("state"), null);

		assertThat(callback.status()).isEqualTo(302);
		String location = callback.header("Location");
		assertThat(location).startsWith("/api/credentials/oauth2/result?credentialId=");
		String credentialId = location.substring(location.indexOf('=') + 1);
		RestClient.Response page = this.http.get(location, null);
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.body()).contains("data-status=\"connected\"").contains(credentialId);

		RestClient.Response list = this.http.get("/api/credentials?principalId=carol&service=devserver", this.viewerKey);
		assertThat(list.status()).isEqualTo(200);
		assertThat(list.items()).singleElement().satisfies((item) -> {
			assertThat(item.get("id")).isEqualTo(credentialId);
			assertThat(item.get("type")).isEqualTo("oauth2");
			assertThat(item.get("status")).isEqualTo("ACTIVE");
			assertThat(item.get("tokenExpiresAt")).isNotNull();
		});
	}

}
