package io.keyflow.rest;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ApiKeyRoleUnitTests {

	@Test
	void includesWhenWorkerThenItStandsOutsideTheHierarchyBothWays() {
		for (ApiKeyRole role : new ApiKeyRole[] { ApiKeyRole.VIEWER, ApiKeyRole.EDITOR, ApiKeyRole.ADMIN }) {
			assertThat(ApiKeyRole.WORKER.includes(role)).as("worker includes " + role).isFalse();
			assertThat(role.includes(ApiKeyRole.WORKER)).as(role + " includes worker").isFalse();
		}
		assertThat(ApiKeyRole.WORKER.includes(ApiKeyRole.WORKER)).isTrue();
	}

	@Test
	void includesWhenHierarchyThenAdminOverEditorOverViewer() {
		assertThat(ApiKeyRole.ADMIN.includes(ApiKeyRole.EDITOR)).isTrue();
		assertThat(ApiKeyRole.EDITOR.includes(ApiKeyRole.VIEWER)).isTrue();
		assertThat(ApiKeyRole.VIEWER.includes(ApiKeyRole.EDITOR)).isFalse();
		assertThat(ApiKeyRole.fromWireName("Worker")).contains(ApiKeyRole.WORKER);
	}

}
