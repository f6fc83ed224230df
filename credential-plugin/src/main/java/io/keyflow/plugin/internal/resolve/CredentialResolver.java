package io.keyflow.plugin.internal.resolve;

import io.keyflow.api.TokenRefresher;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.keyflow.api.Credential;
import io.keyflow.api.CredentialFallback;
import io.keyflow.api.CredentialRequirement;
import io.keyflow.api.CredentialStatus;
import io.keyflow.api.CredentialStore;
import io.keyflow.api.CredentialType;

/**
 * Chooses the credential for a task: the explicit key if one is given (and nothing else); else, for a process
 * with a principal, the principal's credential for the provider, and the tenant's default only if the
 * requirement declares {@link CredentialFallback#TENANT}; for a process without a principal, the tenant's
 * default. A process with a principal never silently runs under another identity. Every lookup is scoped to
 * the task's tenant. A candidate is used only if its provider, type, scopes and status fit.
 */
public final class CredentialResolver {

	private final CredentialStore store;

	private final TokenRefresher refresher;

	/**
	 * @param store where to look
	 * @param refresher refreshes OAuth2 tokens about to expire
	 */
	public CredentialResolver(CredentialStore store, TokenRefresher refresher) {
		this.store = Objects.requireNonNull(store, "store cannot be null");
		this.refresher = Objects.requireNonNull(refresher, "refresher cannot be null");
	}

	/**
	 * @param requirement what the task needs
	 * @param tenantId the tenant of the task's process definition
	 * @param principalId the process's principal, or {@code null}
	 * @param explicitKey the evaluated explicit key, or {@code null}
	 * @return the credential with a fresh token, or the reasons none was usable
	 */
	public Resolution resolve(CredentialRequirement requirement, String tenantId, String principalId,
			String explicitKey) {
		List<String> reasons = new ArrayList<>();
		if (explicitKey != null) {
			return finish(usable(this.store.findByKey(tenantId, explicitKey), requirement, "key '" + explicitKey + "'",
					reasons), reasons);
		}
		String provider = requirement.provider();
		if (provider == null) {
			reasons.add("key '" + requirement.key() + "' evaluated to nothing and no provider is declared");
			return new Resolution(null, reasons);
		}
		if (principalId != null) {
			Credential credential = usable(this.store.findByPrincipal(tenantId, principalId, provider), requirement,
					"principal '" + principalId + "'", reasons);
			if (credential != null) {
				return finish(credential, reasons);
			}
			if (requirement.fallback() != CredentialFallback.TENANT) {
				reasons.add("the tenant default for '" + provider + "' is not used for a process with a principal "
						+ "unless the task declares credential.fallback=tenant");
				return new Resolution(null, reasons);
			}
		}
		else {
			reasons.add("no principal: the process was started without an authenticated user or principal");
		}
		return finish(usable(this.store.findByPrincipal(tenantId, null, provider), requirement,
				"tenant default for '" + provider + "'", reasons), reasons);
	}

	private Resolution finish(Credential credential, List<String> reasons) {
		if (credential != null && credential.type() == CredentialType.OAUTH2) {
			credential = this.refresher.refreshIfExpiring(credential);
		}
		return new Resolution(credential, reasons);
	}

	private static Credential usable(Optional<Credential> candidate, CredentialRequirement requirement, String label,
			List<String> reasons) {
		if (candidate.isEmpty()) {
			reasons.add(label + ": not found");
			return null;
		}
		Credential credential = candidate.get();
		String provider = credential.provider();
		if (requirement.provider() != null && provider != null && !provider.equals(requirement.provider())) {
			reasons.add(label + ": belongs to provider '" + provider + "'");
			return null;
		}
		if (!requirement.accepts(credential.type())) {
			reasons.add(label + ": type " + credential.type().wireName() + " is not accepted");
			return null;
		}
		Set<String> missing = new TreeSet<>(requirement.scopes());
		missing.removeAll(credential.scopes());
		if (!missing.isEmpty()) {
			reasons.add(label + ": lacks scopes " + missing);
			return null;
		}
		if (credential.info().status() == CredentialStatus.NEEDS_REAUTHORIZATION) {
			reasons.add(label + ": credential " + ((credential.key() != null) ? credential.key() + " " : "")
					+ "(id " + credential.id() + ") needs re-authorisation (the provider refused its refresh token); "
					+ "connect the account again");
			return null;
		}
		return credential;
	}

}
