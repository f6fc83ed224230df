package io.keyflow.rest;

import java.util.Locale;
import java.util.Optional;

/**
 * What a REST API key may do. Each of {@code viewer}, {@code editor}, {@code admin} includes the ones before it:
 * {@code admin} ⊃ {@code editor} ⊃ {@code viewer}. {@code worker} stands apart: it includes no other role and no
 * other role includes it, so a worker key can do nothing but exchange the external tasks it holds, and no admin key
 * can stand in for a worker.
 */
public enum ApiKeyRole {

	/** List credentials and providers, read metadata. */
	VIEWER,

	/** Also create, delete and refresh credentials and connect OAuth2 accounts. */
	EDITOR,

	/** Everything: also reveal secrets, register providers, manage API keys and read the audit trail. */
	ADMIN,

	/**
	 * Only exchange an external task it holds for the task's credential
	 * ({@code POST /api/credentials/external-tasks/{id}/credential}); nothing else.
	 */
	WORKER;

	/**
	 * @param required the role an operation needs
	 * @return whether this role may do it
	 */
	public boolean includes(ApiKeyRole required) {
		if (this == WORKER || required == WORKER) {
			return this == required;
		}
		return compareTo(required) >= 0;
	}

	/** @return the lower-case name used in JSON and the database, e.g. {@code editor} */
	public String wireName() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * @param name a wire name; case-insensitive
	 * @return the role, or empty when the name is none
	 */
	public static Optional<ApiKeyRole> fromWireName(String name) {
		for (ApiKeyRole role : values()) {
			if (role.wireName().equalsIgnoreCase(name)) {
				return Optional.of(role);
			}
		}
		return Optional.empty();
	}

}
