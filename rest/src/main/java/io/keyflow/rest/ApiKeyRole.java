package io.keyflow.rest;

import java.util.Locale;
import java.util.Optional;

/**
 * What a REST API key may do. Each role includes the ones below it: {@code admin} ⊃ {@code editor} ⊃
 * {@code viewer}.
 */
public enum ApiKeyRole {

	/** List credentials and providers, read metadata. */
	VIEWER,

	/** Also create, delete and refresh credentials and connect OAuth2 accounts. */
	EDITOR,

	/** Everything: also reveal secrets, register providers, manage API keys and read the audit trail. */
	ADMIN;

	/**
	 * @param required the role an operation needs
	 * @return whether this role may do it
	 */
	public boolean includes(ApiKeyRole required) {
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
