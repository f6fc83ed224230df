package io.keyflow.api;

import java.util.List;
import java.util.Locale;

/**
 * The kinds of credential Keyflow stores. Each type fixes which secret parts a credential carries.
 */
public enum CredentialType {

	/** An API key; secret part {@code apiKey}. */
	API_KEY("api_key"),

	/** Any static secret value (a webhook secret, a connection string); secret part {@code value}. */
	STATIC("static"),

	/** A username and a password; secret parts {@code username} and {@code password}. */
	BASIC("basic"),

	/**
	 * An OAuth2 connection; secret parts {@code accessToken} and optionally {@code refreshToken}, with an
	 * expiry in the credential's clear metadata.
	 */
	OAUTH2("oauth2");

	private final String wireName;

	CredentialType(String wireName) {
		this.wireName = wireName;
	}

	/**
	 * @return the lower-case name used in BPMN properties, JSON and the database, e.g. {@code api_key}
	 */
	public String wireName() {
		return this.wireName;
	}

	/**
	 * @return the secret parts a credential of this type must have, e.g. {@code [username, password]}
	 */
	public List<String> requiredSecretParts() {
		return switch (this) {
			case API_KEY -> List.of(Credential.API_KEY);
			case STATIC -> List.of(Credential.VALUE);
			case BASIC -> List.of(Credential.USERNAME, Credential.PASSWORD);
			case OAUTH2 -> List.of(Credential.ACCESS_TOKEN);
		};
	}

	/**
	 * @return every secret part a credential of this type may have (the required ones first); a store drops or
	 * refuses others
	 */
	public List<String> allowedSecretParts() {
		return switch (this) {
			case OAUTH2 -> List.of(Credential.ACCESS_TOKEN, Credential.REFRESH_TOKEN, Credential.CLIENT_ID,
					Credential.CLIENT_SECRET);
			default -> requiredSecretParts();
		};
	}

	/**
	 * Parses a wire name ({@code api_key}, {@code static}, {@code basic}, {@code oauth2}); case-insensitive.
	 * @param name the name to parse
	 * @return the type
	 * @throws InvalidCredentialException if the name is null or not a known type
	 */
	public static CredentialType fromWireName(String name) {
		if (name != null) {
			String normalized = name.trim().toLowerCase(Locale.ROOT);
			for (CredentialType type : values()) {
				if (type.wireName.equals(normalized)) {
					return type;
				}
			}
		}
		throw new InvalidCredentialException("type",
				"unknown credential type '" + name + "'; expected one of api_key, static, basic, oauth2");
	}

}
