package io.keyflow.plugin;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Package-private test helpers of {@code io.keyflow.plugin} for tests in other packages.
 */
public final class TestAccess {

	private TestAccess() {
	}

	/** A credential service on one local store, for store-level tests in other packages. */
	public static CredentialService credentialService(io.keyflow.plugin.internal.store.JdbcCredentialStore store) {
		return new CredentialService(store);
	}

	public static void resource(URI resource) {
		ResourceCallAction.resource = resource;
	}

	public static Map<String, String> login(URI authorizationUrl, String redirectUri) throws Exception {
		return new BrowserLogin().authorize(authorizationUrl, redirectUri, "demo", "demo");
	}

	public static List<Integer> statuses(List<String> processInstanceIds) {
		return processInstanceIds.stream().map(ResourceCallAction.STATUS::get).filter(java.util.Objects::nonNull).toList();
	}

}
