package io.keyflow.plugin;

import java.util.Map;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.ProcessInstance;

import io.keyflow.api.Credential;
import io.keyflow.api.CredentialInfo;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The steps the engine tests with a real OAuth2 server share: connect an account through a browser login, load what
 * was stored, deploy a process, start it as a user. Every token, code and state seen is registered for the leak scan.
 */
final class EngineSteps {

	private final OAuth2ConnectionService connections;

	private final KeyflowEngine keyflow;

	private final ProcessEngine engine;

	private final LeakScan.Secrets secrets;

	private final String redirectUri;

	EngineSteps(OAuth2ConnectionService connections, KeyflowEngine keyflow, ProcessEngine engine,
			LeakScan.Secrets secrets, String redirectUri) {
		this.connections = connections;
		this.keyflow = keyflow;
		this.engine = engine;
		this.secrets = secrets;
		this.redirectUri = redirectUri;
	}

	CredentialInfo connect(OAuth2ConnectionRequest request) throws Exception {
		AuthorizationStart start = this.connections.start(request);
		Map<String, String> redirect = login(start);
		CredentialInfo info = this.connections.callback(redirect.get("code"), redirect.get("state"));
		Credential stored = load(info);
		this.secrets.add(stored.accessToken());
		if (stored.refreshToken() != null) {
			this.secrets.add(stored.refreshToken());
		}
		return info;
	}

	Map<String, String> login(AuthorizationStart start) throws Exception {
		Map<String, String> redirect = new BrowserLogin().authorize(start.authorizationUrl(), this.redirectUri, "demo",
				"demo");
		assertThat(redirect).containsKeys("code", "state");
		assertThat(redirect.get("state")).isEqualTo(start.state());
		this.secrets.add(redirect.get("code"));
		this.secrets.add(redirect.get("state"));
		return redirect;
	}

	Credential load(CredentialInfo info) {
		return this.keyflow.localStore().findById(info.tenantId(), info.id()).orElseThrow();
	}

	void deploy(String resource) {
		this.engine.getRepositoryService().createDeployment().addClasspathResource(resource).deploy();
	}

	ProcessInstance startAs(String user, String processKey) {
		this.engine.getIdentityService().setAuthenticatedUserId(user);
		try {
			return this.engine.getRuntimeService().startProcessInstanceByKey(processKey);
		}
		finally {
			this.engine.getIdentityService().clearAuthentication();
		}
	}

}
