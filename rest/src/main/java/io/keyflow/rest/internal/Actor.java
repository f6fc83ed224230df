package io.keyflow.rest.internal;

/**
 * Who an audit event names as its actor: an API key ({@link Caller}) or a Camunda user ({@link CamundaUser}).
 */
interface Actor {

	/** @return a stable id: the API key id, or {@code user:<user id>} */
	String id();

	/** @return a display name, never a secret */
	String name();

}
