package io.keyflow.plugin.internal.engine;

import java.util.Optional;

import io.keyflow.api.CredentialRequirement;
import io.keyflow.api.RequiresCredential;

import org.springframework.util.ClassUtils;

/**
 * The {@link RequiresCredential} requirement of action classes, read once per class.
 */
final class ActionAnnotations {

	private static final ClassValue<Optional<CredentialRequirement>> CACHE = new ClassValue<>() {
		@Override
		protected Optional<CredentialRequirement> computeValue(Class<?> type) {
			// Spring may hand out a CGLIB subclass; the annotation sits on the user class
			RequiresCredential annotation = ClassUtils.getUserClass(type).getAnnotation(RequiresCredential.class);
			return Optional.ofNullable(annotation).map(CredentialRequirement::from);
		}
	};

	private ActionAnnotations() {
	}

	static CredentialRequirement of(Class<?> type) {
		return CACHE.get(type).orElse(null);
	}

	static CredentialRequirement ofInstance(Object instance) {
		if (instance == null) {
			return null;
		}
		Class<?> type = org.springframework.aop.support.AopUtils.getTargetClass(instance);
		return of(type);
	}

}
