package io.keyflow.plugin;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import io.keyflow.api.CredentialQuery;
import io.keyflow.api.CredentialRequirement;
import io.keyflow.api.CredentialType;
import io.keyflow.api.Keyring;
import io.keyflow.api.TokenRefresher;
import io.keyflow.plugin.internal.crypto.AesGcmSecretCipher;
import io.keyflow.plugin.internal.resolve.CredentialResolver;
import io.keyflow.plugin.internal.resolve.Resolution;
import io.keyflow.plugin.internal.store.JdbcCredentialStore;
import io.keyflow.plugin.internal.store.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The strict settings on a real local store (H2): {@code keyflow.policy.require-allowed-processes} refuses keyed and
 * tenant-default credentials that name no process (a user's own credential is not affected), and
 * {@code keyflow.policy.sealed-by-default} seals a new credential unless its draft says otherwise.
 */
class StrictPolicyIntegrationTests {

	static final String KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

	private DataSource dataSource;

	private JdbcCredentialStore store;

	@BeforeEach
	void setUp() {
		this.dataSource = TestDatabase.h2WithSchema();
		this.store = new JdbcCredentialStore(this.dataSource, new AesGcmSecretCipher(Keyring.parse(KEY)),
				Clock.systemUTC());
	}

	@AfterEach
	void tearDown() {
		TestDatabase.shutdown(this.dataSource);
	}

	@Test
	void resolveWhenRequireAllowedProcessesThenACredentialNamingNoProcessIsRefusedAndAUsersOwnIsNot() {
		CredentialService service = new CredentialService(this.store, List.of(), false);
		service.save(CredentialDraft.builder(CredentialType.API_KEY).key("OPEN").provider("acme")
			.secrets(Map.of("apiKey", "open-key")).build());
		service.save(CredentialDraft.builder(CredentialType.API_KEY).key("NAMED").provider("named")
			.allowedProcesses("invoice").secrets(Map.of("apiKey", "named-key")).build());
		service.save(CredentialDraft.builder(CredentialType.API_KEY).provider("acme").principalId("alice")
			.secrets(Map.of("apiKey", "alices-key")).build());
		CredentialResolver strict = new CredentialResolver(this.store, TokenRefresher.NONE, true);

		Resolution open = strict.resolve(requirement("acme"), null, null, "OPEN", "invoice");
		Resolution named = strict.resolve(requirement("named"), null, null, "NAMED", "invoice");
		Resolution alices = strict.resolve(requirement("acme"), null, "alice", null, "invoice");

		assertThat(open.credential()).isNull();
		assertThat(open.reasons()).anySatisfy((reason) -> assertThat(reason).contains("credential OPEN (id ")
			.contains("names no allowedProcesses, and keyflow.policy.require-allowed-processes is on"));
		assertThat(named.credential().apiKey()).isEqualTo("named-key");
		assertThat(alices.credential().apiKey()).isEqualTo("alices-key");
		assertThat(new CredentialResolver(this.store, TokenRefresher.NONE, false)
			.resolve(requirement("acme"), null, null, "OPEN", "invoice")
			.credential()
			.apiKey()).isEqualTo("open-key");
	}

	@Test
	void saveWhenSealedByDefaultThenNewCredentialsAreSealedUnlessTheDraftSaysOtherwise() {
		CredentialService service = new CredentialService(this.store, List.of(), true);

		service.save(CredentialDraft.builder(CredentialType.API_KEY).key("QUIET").secrets(Map.of("apiKey", "q")).build());
		service.save(CredentialDraft.builder(CredentialType.API_KEY).key("READABLE").sealed(false)
			.secrets(Map.of("apiKey", "r")).build());

		assertThat(policy(service, "QUIET").sealed()).isTrue();
		assertThat(policy(service, "READABLE").sealed()).isFalse();
	}

	private static io.keyflow.api.UsagePolicy policy(CredentialService service, String key) {
		return service.list(new CredentialQuery(null, null, null, null, key, 0, 1)).get(0).policy();
	}

	private static CredentialRequirement requirement(String provider) {
		return new CredentialRequirement(provider, true, Set.of(), Set.of(), null);
	}

}
