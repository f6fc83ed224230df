package io.keyflow.api;

import java.util.Collections;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What a task declares it needs: read from {@link RequiresCredential} on the action class or from the task's
 * {@code camunda:properties} ({@code credential.provider}, {@code credential.required}, {@code credential.key},
 * {@code credential.scopes}, {@code credential.types}, {@code credential.fallback}).
 *
 * @param provider the OAuth2 provider id or service name, e.g. {@code github}; {@code null} when only an
 * explicit key is given
 * @param required whether the task must fail when no credential is found
 * @param scopes scopes the credential must have been granted (all of them)
 * @param acceptedTypes the credential types the task can use; empty means any
 * @param key an explicit key, or an expression such as {@code ${tenantKey}} evaluated against the execution;
 * {@code null} to resolve by principal and tenant default
 * @param fallback whether the tenant's default may stand in when the process's principal has no usable
 * credential; {@link CredentialFallback#NONE} unless declared
 */
public record CredentialRequirement(String provider, boolean required, Set<String> scopes,
		Set<CredentialType> acceptedTypes, String key, CredentialFallback fallback) {

	/**
	 * Validates and copies the collections unmodifiable.
	 * @throws InvalidCredentialException if neither a provider nor a key is given
	 */
	public CredentialRequirement {
		provider = blankToNull(provider);
		key = blankToNull(key);
		if (provider == null && key == null) {
			throw new InvalidCredentialException("provider", "a credential requirement needs a provider or a key");
		}
		scopes = (scopes != null) ? Collections.unmodifiableSet(new LinkedHashSet<>(scopes)) : Set.of();
		acceptedTypes = (acceptedTypes == null || acceptedTypes.isEmpty()) ? Set.of()
				: Collections.unmodifiableSet(EnumSet.copyOf(acceptedTypes));
		fallback = (fallback != null) ? fallback : CredentialFallback.NONE;
	}

	/**
	 * A requirement without fallback to the tenant default ({@link CredentialFallback#NONE}).
	 * @param provider the provider id or service name, or {@code null}
	 * @param required whether the credential is required
	 * @param scopes required scopes
	 * @param acceptedTypes accepted types; empty means any
	 * @param key an explicit key or key expression, or {@code null}
	 * @throws InvalidCredentialException if neither a provider nor a key is given
	 */
	public CredentialRequirement(String provider, boolean required, Set<String> scopes,
			Set<CredentialType> acceptedTypes, String key) {
		this(provider, required, scopes, acceptedTypes, key, CredentialFallback.NONE);
	}

	/**
	 * @param provider the provider id
	 * @param required whether the credential is required
	 * @return a requirement for the provider, with no scopes, any type and no explicit key
	 */
	public static CredentialRequirement of(String provider, boolean required) {
		return new CredentialRequirement(provider, required, Set.of(), Set.of(), null);
	}

	/**
	 * Reads an annotation. {@code oauth2Provider} without {@code types} accepts OAuth2 credentials only.
	 * @param annotation the annotation on an action class
	 * @return the requirement it declares
	 */
	public static CredentialRequirement from(RequiresCredential annotation) {
		boolean oauth2 = !annotation.oauth2Provider().isBlank();
		String provider = oauth2 ? annotation.oauth2Provider() : annotation.service();
		Set<CredentialType> types = (annotation.types().length > 0) ? Set.copyOf(Arrays.asList(annotation.types()))
				: oauth2 ? Set.of(CredentialType.OAUTH2) : Set.of();
		return new CredentialRequirement(provider, annotation.required(),
				new LinkedHashSet<>(Arrays.asList(annotation.scopes())), types, annotation.key(), annotation.fallback());
	}

	/**
	 * @param type a credential type
	 * @return whether the task accepts that type
	 */
	public boolean accepts(CredentialType type) {
		return this.acceptedTypes.isEmpty() || this.acceptedTypes.contains(type);
	}

	private static String blankToNull(String value) {
		return (value == null || value.isBlank()) ? null : value.trim();
	}

}
