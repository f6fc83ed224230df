package io.keyflow.devserver;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DevAuthorizationServerIntegrationTests {

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void startWhenClientCredentialsTokenThenResourceAnswersAndTheRequestIsCounted() throws Exception {
		try (DevAuthorizationServer server = DevAuthorizationServer
			.start(DevAuthorizationServer.Options.defaults().client("machine", "machine-secret", "http://localhost/cb"))) {
			HttpResponse<String> token = this.http.send(HttpRequest.newBuilder(server.tokenEndpoint())
				.header("Authorization", "Basic " + Base64.getEncoder()
					.encodeToString("machine:machine-secret".getBytes(StandardCharsets.UTF_8)))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=read"))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(token.statusCode()).isEqualTo(200);
			Matcher accessToken = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(token.body());
			assertThat(accessToken.find()).isTrue();

			HttpResponse<String> me = this.http.send(HttpRequest.newBuilder(server.resourceEndpoint())
				.header("Authorization", "Bearer " + accessToken.group(1))
				.build(), HttpResponse.BodyHandlers.ofString());
			HttpResponse<String> anonymous = this.http.send(HttpRequest.newBuilder(server.resourceEndpoint()).build(),
					HttpResponse.BodyHandlers.ofString());

			assertThat(me.statusCode()).isEqualTo(200);
			assertThat(me.body()).contains("\"subject\":\"machine\"");
			assertThat(anonymous.statusCode()).isEqualTo(401);
			assertThat(server.tokenRequests("client_credentials")).isEqualTo(1);
			assertThat(server.tokenErrors("client_credentials")).isZero();
		}
	}

	@Test
	void closeWhenClosedThenPortRefusesConnections() throws Exception {
		DevAuthorizationServer server = DevAuthorizationServer
			.start(DevAuthorizationServer.Options.defaults().client("c", "s", "http://localhost/cb"));
		URI token = server.tokenEndpoint();
		server.close();

		assertThatThrownBy(() -> this.http.send(HttpRequest.newBuilder(token).POST(HttpRequest.BodyPublishers.noBody()).build(),
				HttpResponse.BodyHandlers.ofString())).isInstanceOf(ConnectException.class);
	}

}
