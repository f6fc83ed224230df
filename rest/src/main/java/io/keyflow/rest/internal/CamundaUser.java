package io.keyflow.rest.internal;

import java.util.Objects;

/**
 * A Camunda user authenticated on Keyflow's API: by HTTP Basic against Camunda's identity service, by Keyflow's
 * own login session, or by the Camunda webapps' session. May use the self-service endpoints
 * ({@code /api/credentials/me/...}) only, and only for itself.
 *
 * @param userId the Camunda user id
 * @param via how the request proved it
 */
record CamundaUser(String userId, Via via) implements Actor {

	/** The request attribute that holds the authenticated Camunda user. */
	static final String ATTRIBUTE = "io.keyflow.rest.user";

	/** Longest user id accepted (Camunda's ACT_ID_USER.ID_ is 64 characters). */
	static final int MAX_ID_LENGTH = 64;

	CamundaUser {
		Objects.requireNonNull(userId, "userId cannot be null");
		Objects.requireNonNull(via, "via cannot be null");
	}

	/** @return {@code user:<user id>}: the actor of audit events and the starter of flows */
	@Override
	public String id() {
		return "user:" + this.userId;
	}

	@Override
	public String name() {
		return "Camunda user " + this.userId + " (" + this.via.wireName + ")";
	}

	/**
	 * How a Camunda user authenticated.
	 */
	enum Via {

		BASIC("basic"), KEYFLOW_SESSION("keyflow-session"), CAMUNDA_WEBAPP_SESSION("camunda-webapp-session");

		final String wireName;

		Via(String wireName) {
			this.wireName = wireName;
		}

	}

}
