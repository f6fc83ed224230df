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
