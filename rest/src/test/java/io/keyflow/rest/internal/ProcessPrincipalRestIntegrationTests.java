package io.keyflow.rest.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET/PUT /api/credentials/process-instances/{id}/principal} over real HTTP: only an unbound admin key reads
 * or reassigns a process instance's principal; the reassignment is audited with the key and the reason; bad input
 * changes nothing.
 */
class ProcessPrincipalRestIntegrationTests extends RestTestSupport {

	static final String PATH = "/api/credentials/process-instances/%s/principal";

	@Autowired
	RuntimeService runtimeService;

	@Autowired
	RepositoryService repositoryService;

	@Autowired
	IdentityService identityService;

	ProcessInstance instance;

	String alice;

	@BeforeEach
	void startAsAlice() {
		this.repositoryService.createDeployment().addClasspathResource("bpmn/principal-review.bpmn").deploy();
		this.alice = "alice-" + UUID.randomUUID();
		this.identityService.setAuthenticatedUserId(this.alice);
		try {
			this.instance = this.runtimeService.startProcessInstanceByKey("principal-review");
		}
		finally {
			this.identityService.clearAuthentication();
		}
	}

	@Test
	void getWhenAdminThenTheRecordedPrincipal() {
		RestClient.Response response = this.http.get(path(this.instance.getId()), ADMIN_KEY);

		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.json()).containsEntry("rootProcessInstanceId", this.instance.getId())
			.containsEntry("principalId", this.alice)
			.containsEntry("source", "AUTHENTICATED_USER");
	}

	@Test
	void putWhenAdminThenReassignedAndAuditedWithTheKeyAndTheReason() {
		RestClient.Response response = this.http.put(path(this.instance.getId()), ADMIN_KEY,
				Map.of("principalId", "bob", "reason", "TICKET-7 alice is on leave"));

		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.json()).containsEntry("principalId", "bob")
			.containsEntry("source", "REASSIGNED")
			.containsEntry("changedBy", ApiKeyAuthenticator.BOOTSTRAP_ID);
		assertThat(new JdbcTemplate(this.dataSource).queryForList("select SUBJECT_ from KEYFLOW_AUDIT where "
				+ "ACTION_ = 'principal.reassign' and ACTOR_ID_ = ?", String.class, ApiKeyAuthenticator.BOOTSTRAP_ID))
			.contains("process instance " + this.instance.getId() + ": '" + this.alice
					+ "' -> 'bob'; reason: TICKET-7 alice is on leave");
	}

	@Test
	void putWhenNotAnUnboundAdminThenForbiddenAndNothingChanges() {
		Map<String, Object> body = Map.of("principalId", "mallory", "reason", "because");

		assertProblem(this.http.put(path(this.instance.getId()), this.editorKey, body), 403, "FORBIDDEN");
		assertProblem(this.http.put(path(this.instance.getId()), this.tenantAdminKey, body), 403, "FORBIDDEN");
		assertProblem(this.http.get(path(this.instance.getId()), this.viewerKey), 403, "FORBIDDEN");
		assertThat(this.http.get(path(this.instance.getId()), ADMIN_KEY).json()).containsEntry("principalId", this.alice);
	}

	@Test
	void putWhenInputIsBadThenProblemAndNothingChanges() {
		Map<String, Object> noReason = new HashMap<>();
		noReason.put("principalId", "mallory");

		assertProblem(this.http.put(path(this.instance.getId()), ADMIN_KEY, noReason), 400, "BAD_REQUEST");
		assertProblem(this.http.put(path(this.instance.getId()), ADMIN_KEY,
				Map.of("principalId", "mallory", "reason", "two\nlines")), 400, "BAD_REQUEST");
		assertProblem(this.http.put(path("no-such-instance"), ADMIN_KEY, Map.of("principalId", "x", "reason", "y")),
				404, "NOT_FOUND");
		assertProblem(this.http.get(path("bad%20id"), ADMIN_KEY), 400, "BAD_REQUEST");
		assertThat(this.http.get(path(this.instance.getId()), ADMIN_KEY).json()).containsEntry("principalId", this.alice);
	}

	private static String path(String processInstanceId) {
		return String.format(PATH, processInstanceId);
	}

}
