package io.keyflow.plugin.internal.engine;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.keyflow.api.CredentialFallback;
import io.keyflow.api.CredentialRequirement;
import io.keyflow.api.CredentialType;
import io.keyflow.api.InvalidCredentialException;

/**
 * A task's {@code credential.*} entries from its {@code camunda:properties}. Each entry that is present
 * overrides what the action class's annotation says.
 *
 * @param provider {@code credential.provider} or {@code credential.oauth2Provider}
 * @param required {@code credential.required}; {@code null} when absent
 * @param key {@code credential.key}, possibly an expression
 * @param scopes {@code credential.scopes}, comma or space separated
 * @param types {@code credential.types}, comma separated wire names; {@code oauth2} implied by
 * {@code credential.oauth2Provider}
 * @param fallback {@code credential.fallback} ({@code none} or {@code tenant}); {@code null} when absent
 * @param description {@code credential.description}: what the credential is for, shown on its credential request
 * @param obtain {@code credential.obtain}: how to obtain it, shown on its credential request
 */
record RequirementProperties(String provider, Boolean required, String key, Set<String> scopes,
		Set<CredentialType> types, CredentialFallback fallback, String description, String obtain) {

	static final String PREFIX = "credential.";

	static final String PROVIDER = PREFIX + "provider";

	static final String OAUTH2_PROVIDER = PREFIX + "oauth2Provider";

	static final String REQUIRED = PREFIX + "required";

	static final String KEY = PREFIX + "key";

	static final String SCOPES = PREFIX + "scopes";

	static final String TYPES = PREFIX + "types";

	static final String FALLBACK = PREFIX + "fallback";

	static final String DESCRIPTION = PREFIX + "description";

	static final String OBTAIN = PREFIX + "obtain";

	private static final Set<String> KNOWN = Set.of(PROVIDER, OAUTH2_PROVIDER, REQUIRED, KEY, SCOPES, TYPES, FALLBACK,
			DESCRIPTION, OBTAIN);

	/**
	 * @param properties all extension properties of the task
	 * @return the declared entries, or {@code null} when the task has no {@code credential.*} property with a
	 * value (a Modeler template may leave them all blank)
	 * @throws InvalidCredentialException for an unknown {@code credential.*} name or a malformed value
	 */
	static RequirementProperties read(Map<String, String> properties) {
		boolean any = false;
		for (Map.Entry<String, String> property : properties.entrySet()) {
			String name = property.getKey();
			if (name.startsWith(PREFIX)) {
				any |= (property.getValue() != null && !property.getValue().isBlank());
				if (!KNOWN.contains(name)) {
					throw new InvalidCredentialException(name, "unknown property '" + name + "'; expected one of "
							+ String.join(", ", KNOWN.stream().sorted().toList()));
				}
			}
		}
		if (!any) {
			return null;
		}
		String oauth2Provider = blankToNull(properties.get(OAUTH2_PROVIDER));
		Set<CredentialType> types = new LinkedHashSet<>();
		for (String type : split(properties.get(TYPES))) {
			types.add(CredentialType.fromWireName(type));
		}
		if (oauth2Provider != null && types.isEmpty()) {
			types.add(CredentialType.OAUTH2);
		}
		return new RequirementProperties((oauth2Provider != null) ? oauth2Provider : blankToNull(properties.get(PROVIDER)),
				parseRequired(properties.get(REQUIRED)), blankToNull(properties.get(KEY)),
				split(properties.get(SCOPES)), Set.copyOf(types), parseFallback(properties.get(FALLBACK)),
				blankToNull(properties.get(DESCRIPTION)), blankToNull(properties.get(OBTAIN)));
	}

	/**
	 * @param base the action class's requirement, or {@code null}
	 * @return the base with every entry present here applied on top
	 * @throws InvalidCredentialException when the result names neither a provider nor a key
	 */
	CredentialRequirement applyTo(CredentialRequirement base) {
		if (base == null) {
			return new CredentialRequirement(this.provider, (this.required == null) || this.required, this.scopes,
					this.types, this.key, this.fallback);
		}
		return new CredentialRequirement((this.provider != null) ? this.provider : base.provider(),
				(this.required != null) ? this.required : base.required(),
				this.scopes.isEmpty() ? base.scopes() : this.scopes,
				this.types.isEmpty() ? base.acceptedTypes() : this.types, (this.key != null) ? this.key : base.key(),
				(this.fallback != null) ? this.fallback : base.fallback());
	}

	private static CredentialFallback parseFallback(String value) {
		return (value == null || value.isBlank()) ? null : CredentialFallback.fromText(value);
	}

	private static Boolean parseRequired(String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		return switch (value.trim().toLowerCase(Locale.ROOT)) {
			case "true" -> Boolean.TRUE;
			case "false" -> Boolean.FALSE;
			default -> throw new InvalidCredentialException(REQUIRED, REQUIRED + " must be true or false");
		};
	}

	private static Set<String> split(String value) {
		if (value == null || value.isBlank()) {
			return Set.of();
		}
		return new LinkedHashSet<>(Arrays.stream(value.trim().split("[,\\s]+")).toList());
	}

	private static String blankToNull(String value) {
		return (value == null || value.isBlank()) ? null : value.trim();
	}

}
