package io.keyflow.plugin.internal.resolve;

import java.util.List;
import java.util.Optional;

import io.keyflow.api.Credential;

/**
 * The outcome of resolving a requirement: the credential, or why each candidate was not used.
 *
 * @param credential the usable credential, or {@code null}
 * @param reasons secret-free reasons, one per step that did not yield a usable credential
 */
public record Resolution(Credential credential, List<String> reasons) {

	public Resolution {
		reasons = List.copyOf(reasons);
	}

	public Optional<Credential> found() {
		return Optional.ofNullable(this.credential);
	}

	@Override
	public String toString() {
		return "Resolution[credential=" + this.credential + ", reasons=" + this.reasons + "]";
	}

}
