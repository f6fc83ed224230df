package io.keyflow.actions.internal;

import java.util.Locale;
import java.util.regex.Pattern;

import io.keyflow.actions.ActionInputException;
import io.keyflow.api.Credential;
import io.keyflow.api.CredentialType;

/**
 * Where a request carries the task's credential: {@code auto}, {@code none}, {@code bearer}, {@code basic},
 * {@code header:<Name>} or {@code query:<param>}.
 * <p>
 * {@code auto} follows the credential: its metadata entry {@value #METADATA_KEY} when set (so an API key
 * credential can say once that its service wants {@code header:X-API-Key}), else by type: OAuth2, API key and
 * static values as {@code Authorization: Bearer}, basic credentials as {@code Authorization: Basic}.
 *
 * @param kind the placement
 * @param name the header or query parameter name for {@link Kind#HEADER} and {@link Kind#QUERY}
 */
public record CredentialPlacement(Kind kind, String name) {

	/** The credential metadata entry that sets the placement {@code auto} means. */
	public static final String METADATA_KEY = "credentialPlacement";

	/** The input variable a task sets the placement with. */
	public static final String INPUT = "credentialPlacement";

	private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

	/** Where the credential goes. */
	public enum Kind {
		AUTO, NONE, BEARER, BASIC, HEADER, QUERY
	}

	/** {@code auto}. */
	public static final CredentialPlacement AUTO = new CredentialPlacement(Kind.AUTO, null);

	/**
	 * @param value the placement as written in a task or in credential metadata; {@code null} means auto
	 * @param source where the value came from, for the error message
	 * @return the placement
	 * @throws ActionInputException when the value is not one of the forms above
	 */
	public static CredentialPlacement parse(String value, String source) {
		if (value == null || value.isBlank()) {
			return AUTO;
		}
		String trimmed = value.trim();
		int colon = trimmed.indexOf(':');
		String kind = ((colon < 0) ? trimmed : trimmed.substring(0, colon)).toLowerCase(Locale.ROOT);
		String name = (colon < 0) ? null : trimmed.substring(colon + 1).trim();
		switch (kind) {
			case "auto", "none", "bearer", "basic" -> {
				if (name != null) {
					throw invalid(source, value);
				}
				return new CredentialPlacement(Kind.valueOf(kind.toUpperCase(Locale.ROOT)), null);
			}
			case "header", "query" -> {
				if (name == null || !TOKEN.matcher(name).matches()) {
					throw invalid(source, value);
				}
				return new CredentialPlacement(Kind.valueOf(kind.toUpperCase(Locale.ROOT)), name);
			}
			default -> throw invalid(source, value);
		}
	}

	/**
	 * @param credential the task's credential
	 * @return this placement with {@code auto} replaced by what the credential says
	 */
	public CredentialPlacement resolve(Credential credential) {
		if (this.kind != Kind.AUTO) {
			return this;
		}
		String configured = credential.metadata().get(METADATA_KEY);
		if (configured != null && !configured.isBlank()) {
			CredentialPlacement placement = parse(configured, "metadata '" + METADATA_KEY + "' of credential " + describe(credential));
			if (placement.kind != Kind.AUTO) {
				return placement;
			}
		}
		return (credential.type() == CredentialType.BASIC) ? new CredentialPlacement(Kind.BASIC, null)
				: new CredentialPlacement(Kind.BEARER, null);
	}

	/**
	 * @param credential the task's credential
	 * @return the single secret value a bearer, header or query placement sends: the access token of an OAuth2
	 * credential, the key of an API key or static credential
	 * @throws ActionInputException for a basic credential, or when the secret part is missing
	 */
	public static String token(Credential credential) {
		String token = switch (credential.type()) {
			case OAUTH2 -> credential.accessToken();
			case API_KEY, STATIC -> credential.apiKey();
			case BASIC -> throw new ActionInputException(INPUT, "credential " + describe(credential)
					+ " is a basic (username and password) credential; use credentialPlacement basic");
		};
		if (token == null) {
			throw new ActionInputException(INPUT, "credential " + describe(credential) + " has no "
					+ ((credential.type() == CredentialType.OAUTH2) ? "access token" : "key"));
		}
		return token;
	}

	/**
	 * @param credential a credential
	 * @return its key or id and type, for messages
	 */
	public static String describe(Credential credential) {
		String name = (credential.key() != null) ? credential.key() : credential.id();
		return "'" + name + "' (" + credential.type().wireName() + ")";
	}

	@Override
	public String toString() {
		return (this.name != null) ? this.kind.name().toLowerCase(Locale.ROOT) + ":" + this.name
				: this.kind.name().toLowerCase(Locale.ROOT);
	}

	private static ActionInputException invalid(String source, String value) {
		return new ActionInputException(INPUT, source + " is '" + value
				+ "'; expected auto, none, bearer, basic, header:<Name> or query:<param>");
	}

}
