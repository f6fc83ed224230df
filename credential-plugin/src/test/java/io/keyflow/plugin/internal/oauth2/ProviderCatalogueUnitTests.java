package io.keyflow.plugin.internal.oauth2;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import io.keyflow.api.OAuth2Provider;
import io.keyflow.api.ProviderUnknownException;
import io.keyflow.api.TokenEndpointAuthMethod;
import io.keyflow.plugin.internal.oauth2.ProviderCatalogue.ScopeInfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests for {@link ProviderCatalogue}: the shipped catalogue, and how broken documents are rejected.
 */
class ProviderCatalogueUnitTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String GOOGLE_SCOPE = "https://www.googleapis.com/auth/";

	// Loaded once per test: loading is what is under test, and it is cheap.
	private final ProviderCatalogue builtIn = ProviderCatalogue.loadBuiltIn();

	@Test
	void loadBuiltInWhenReadThenHasAtLeast29Providers() {
		assertThat(this.builtIn.providers()).hasSizeGreaterThanOrEqualTo(29);
	}

	@Test
	void loadBuiltInWhenReadThenHasTheRequiredProviders() {
		assertThat(this.builtIn.providers()).extracting(OAuth2Provider::id)
			.contains("google", "github", "slack", "microsoft365", "notion", "atlassian", "linear");
	}

	@Test
	void loadBuiltInWhenReadThenGoogleListsGmailDriveDocsSheetsAndCalendarScopes() {
		assertThat(this.builtIn.scopes("google")).extracting(ScopeInfo::scope)
			.contains(GOOGLE_SCOPE + "gmail.send", GOOGLE_SCOPE + "gmail.readonly", GOOGLE_SCOPE + "gmail.modify",
					GOOGLE_SCOPE + "drive", GOOGLE_SCOPE + "drive.file", GOOGLE_SCOPE + "drive.readonly",
					GOOGLE_SCOPE + "documents", GOOGLE_SCOPE + "spreadsheets", GOOGLE_SCOPE + "spreadsheets.readonly",
					GOOGLE_SCOPE + "calendar", GOOGLE_SCOPE + "calendar.events");
		assertThat(this.builtIn.scopes("google")).allSatisfy((scope) -> assertThat(scope.description()).isNotBlank());
	}

	@Test
	void loadBuiltInWhenReadThenGoogleAsksForARefreshToken() {
		OAuth2Provider google = this.builtIn.find("google").orElseThrow();
		assertThat(google.defaultScopes()).containsExactly("openid", "email", "profile");
		assertThat(google.authorizationParameters()).containsEntry("access_type", "offline")
			.containsEntry("prompt", "consent");
		assertThat(google.supportsRefresh()).isTrue();
	}

	@Test
	void loadBuiltInWhenReadThenGithubMatchesItsOAuthAppDocumentation() {
		OAuth2Provider github = this.builtIn.find("github").orElseThrow();
		assertThat(github.authorizationUrl()).isEqualTo(URI.create("https://github.com/login/oauth/authorize"));
		assertThat(github.tokenUrl()).isEqualTo(URI.create("https://github.com/login/oauth/access_token"));
		assertThat(github.tokenEndpointAuthMethod()).isEqualTo(TokenEndpointAuthMethod.CLIENT_SECRET_POST);
		assertThat(github.supportsRefresh()).isFalse();
	}

	@Test
	void loadBuiltInWhenReadThenSlackUsesOAuthV2() {
		OAuth2Provider slack = this.builtIn.find("slack").orElseThrow();
		assertThat(slack.authorizationUrl()).isEqualTo(URI.create("https://slack.com/oauth/v2/authorize"));
		assertThat(slack.tokenUrl()).isEqualTo(URI.create("https://slack.com/api/oauth.v2.access"));
	}

	@Test
	void loadBuiltInWhenReadThenAtlassianTargetsTheCloudApiWithOfflineAccess() {
		OAuth2Provider atlassian = this.builtIn.find("atlassian").orElseThrow();
		assertThat(atlassian.authorizationParameters()).containsEntry("audience", "api.atlassian.com")
			.containsEntry("prompt", "consent");
		assertThat(atlassian.defaultScopes()).contains("offline_access");
	}

	@Test
	void loadBuiltInWhenReadThenEveryUrlIsHttps() {
		assertThat(this.builtIn.providers()).allSatisfy((provider) -> {
			assertThat(provider.authorizationUrl().getScheme()).as(provider.id() + " authorizationUrl")
				.isEqualTo("https");
			assertThat(provider.tokenUrl().getScheme()).as(provider.id() + " tokenUrl").isEqualTo("https");
			assertThat(this.builtIn.docs(provider.id())).as(provider.id() + " docs")
				.hasValueSatisfying((docs) -> assertThat(docs).startsWith("https://"));
		});
	}

	@Test
	void loadBuiltInWhenReadThenEveryIdIsUnique() {
		assertThat(this.builtIn.providers()).extracting(OAuth2Provider::id).doesNotHaveDuplicates();
	}

	@Test
	void loadBuiltInWhenReadThenEveryProviderHasACategoryFromTheList() {
		assertThat(this.builtIn.providers()).extracting(OAuth2Provider::category)
			.allSatisfy((category) -> assertThat(ProviderCatalogue.CATEGORIES).contains(category));
	}

	@Test
	void loadWhenValidThenExposesProviderScopesAndDocs() {
		ProviderCatalogue catalogue = ProviderCatalogue.load(document(entry("acme")));

		OAuth2Provider acme = catalogue.find("acme").orElseThrow();
		assertThat(acme.name()).isEqualTo("Acme");
		assertThat(acme.tokenEndpointAuthMethod()).isEqualTo(TokenEndpointAuthMethod.CLIENT_SECRET_BASIC);
		assertThat(acme.defaultScopes()).containsExactly("read");
		assertThat(catalogue.scopes("acme")).containsExactly(new ScopeInfo("read", "Read things"),
				new ScopeInfo("write", "Write things"));
		assertThat(catalogue.docs("acme")).hasValue("https://acme.example/docs/oauth");
	}

	@Test
	void loadWhenDuplicateIdThenFailsNamingIdAndField() {
		assertThatIllegalStateException()
			.isThrownBy(() -> ProviderCatalogue.load(document(entry("acme"), entry("acme"))))
			.withMessage("provider catalogue: provider 'acme' field 'id' repeats the id of entry 1");
	}

	@Test
	void loadWhenTokenUrlMissingThenFailsNamingIdAndField() {
		assertThatIllegalStateException()
			.isThrownBy(() -> ProviderCatalogue.load(document(entry("acme", (e) -> e.remove("tokenUrl")))))
			.withMessage("provider catalogue: provider 'acme' field 'tokenUrl' is missing");
	}

	@Test
	void loadWhenHttpUrlThenFailsNamingIdAndField() {
		assertThatIllegalStateException()
			.isThrownBy(() -> ProviderCatalogue
				.load(document(entry("acme", (e) -> e.put("tokenUrl", "http://acme.example/oauth/token")))))
			.withMessage("provider catalogue: provider 'acme' field 'tokenUrl' must be an absolute https URL");
	}

	@Test
	void loadWhenUnknownAuthMethodThenFailsNamingIdAndField() {
		assertThatIllegalStateException()
			.isThrownBy(() -> ProviderCatalogue
				.load(document(entry("acme", (e) -> e.put("tokenEndpointAuthMethod", "private_key_jwt")))))
			.withMessage("provider catalogue: provider 'acme' field 'tokenEndpointAuthMethod' "
					+ "must be one of client_secret_basic, client_secret_post, none");
	}

	@Test
	void loadWhenNoneAuthWithoutPkceThenFailsNamingIdAndField() {
		assertThatIllegalStateException()
			.isThrownBy(() -> ProviderCatalogue.load(document(entry("acme", (e) -> {
				e.put("tokenEndpointAuthMethod", "none");
				e.put("pkce", false);
			}))))
			.withMessage("provider catalogue: provider 'acme' field 'pkce' is invalid: "
					+ "provider 'acme' uses a public client (auth method none) and must use PKCE");
	}

	@Test
	void loadWhenFieldNameMisspelledThenFailsNamingIdAndField() {
		assertThatIllegalStateException()
			.isThrownBy(() -> ProviderCatalogue.load(document(entry("acme", (e) -> e.put("tokenURL", "x")))))
			.withMessage("provider catalogue: provider 'acme' field 'tokenURL' is not a known field");
	}

	@Test
	void loadWhenAuthorizationParametersSetStateThenFailsNamingIdAndField() {
		assertThatIllegalStateException()
			.isThrownBy(() -> ProviderCatalogue.load(document(
					entry("acme", (e) -> ((ObjectNode) e.get("authorizationParameters")).put("state", "fixed")))))
			.withMessage("provider catalogue: provider 'acme' field 'authorizationParameters' "
					+ "must not set 'state': the authorization request sets it");
	}

	@Test
	void loadWhenScopeDescriptionBlankThenFailsNamingIdAndField() {
		assertThatIllegalStateException()
			.isThrownBy(() -> ProviderCatalogue.load(document(
					entry("acme", (e) -> ((ObjectNode) e.get("scopes").get(1)).put("description", " ")))))
			.withMessage(
					"provider catalogue: provider 'acme' field 'scopes[1].description' must be a non-blank string");
	}

	@Test
	void loadWhenDefaultScopeHasASpaceThenFailsNamingIdAndField() {
		assertThatIllegalStateException()
			.isThrownBy(() -> ProviderCatalogue
				.load(document(entry("acme", (e) -> e.putArray("defaultScopes").add("read write")))))
			.withMessage("provider catalogue: provider 'acme' field 'defaultScopes' "
					+ "must hold scope strings without spaces or quotes");
	}

	@Test
	void loadWhenCategoryUnknownThenFailsNamingIdAndField() {
		assertThatIllegalStateException()
			.isThrownBy(() -> ProviderCatalogue.load(document(entry("acme", (e) -> e.put("category", "games")))))
			.withMessageStartingWith("provider catalogue: provider 'acme' field 'category' must be one of ");
	}

	@Test
	void loadWhenIdInvalidThenFailsNamingTheEntryField() {
		assertThatIllegalStateException()
			.isThrownBy(() -> ProviderCatalogue.load(document(entry("acme"), entry("Not An Id"))))
			.withMessageStartingWith("provider catalogue: provider 'Not An Id' field 'id' is invalid: ");
		assertThatIllegalStateException()
			.isThrownBy(() -> ProviderCatalogue.load(document(entry("acme"), entry("other", (e) -> e.remove("id")))))
			.withMessage("provider catalogue: entry 2 field 'id' is missing");
	}

	@Test
	void loadWhenJsonKeyRepeatedThenFails() {
		String text = "{\"version\": 1, \"version\": 1, \"providers\": []}";
		assertThatIllegalStateException()
			.isThrownBy(() -> ProviderCatalogue.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))))
			.withMessageStartingWith("provider catalogue: not valid JSON at line 1")
			.withMessageContaining("version");
	}

	@Test
	void loadWhenVersionUnknownThenFails() {
		String text = "{\"version\": 2, \"providers\": []}";
		assertThatIllegalStateException()
			.isThrownBy(() -> ProviderCatalogue.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))))
			.withMessage("provider catalogue: field 'version' must be 1, the only format this Keyflow reads");
	}

	@Test
	void loadWhenStreamNullThenThrows() {
		assertThatThrownBy(() -> ProviderCatalogue.load(null)).isInstanceOf(IllegalArgumentException.class)
			.hasMessage("in cannot be null");
	}

	@Test
	void findWhenUnknownThenEmpty() {
		assertThat(this.builtIn.find("no-such-provider")).isEmpty();
		assertThat(this.builtIn.docs("no-such-provider")).isEmpty();
	}

	@Test
	void scopesWhenProviderUnknownThenThrowsProviderUnknown() {
		assertThatThrownBy(() -> this.builtIn.scopes("no-such-provider")).isInstanceOf(ProviderUnknownException.class)
			.extracting((ex) -> ((ProviderUnknownException) ex).getProviderId())
			.isEqualTo("no-such-provider");
	}

	@Test
	void scopesWhenProviderListsNoneThenEmpty() {
		assertThat(this.builtIn.scopes("notion")).isEmpty();
	}

	@Test
	void providersWhenModifiedThenThrows() {
		List<OAuth2Provider> providers = this.builtIn.providers();
		assertThatThrownBy(providers::clear).isInstanceOf(UnsupportedOperationException.class);
		assertThatThrownBy(() -> this.builtIn.scopes("google").clear())
			.isInstanceOf(UnsupportedOperationException.class);
	}

	private static ObjectNode entry(String id) {
		return entry(id, (e) -> {
		});
	}

	private static ObjectNode entry(String id, Consumer<ObjectNode> change) {
		ObjectNode entry = JSON.createObjectNode();
		entry.put("id", id);
		entry.put("name", "Acme");
		entry.put("description", "Acme widgets");
		entry.putNull("icon");
		entry.put("category", "other");
		entry.put("authorizationUrl", "https://acme.example/oauth/authorize");
		entry.put("tokenUrl", "https://acme.example/oauth/token");
		entry.putArray("defaultScopes").add("read");
		entry.put("supportsRefresh", true);
		entry.put("tokenEndpointAuthMethod", "client_secret_basic");
		entry.put("pkce", true);
		entry.putObject("authorizationParameters").put("access_type", "offline");
		ArrayNode scopes = entry.putArray("scopes");
		scopes.addObject().put("scope", "read").put("description", "Read things");
		scopes.addObject().put("scope", "write").put("description", "Write things");
		entry.put("docs", "https://acme.example/docs/oauth");
		change.accept(entry);
		return entry;
	}

	private static InputStream document(ObjectNode... entries) {
		ObjectNode document = JSON.createObjectNode();
		document.put("version", 1);
		document.putArray("providers").addAll(List.of(entries));
		try {
			return new ByteArrayInputStream(JSON.writeValueAsBytes(document));
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
