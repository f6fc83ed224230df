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
import io.keyflow.api.UsagePolicy;
import io.keyflow.plugin.internal.store.CompositeCredentialStore;

/**
 * Chooses the credential for a task: the explicit key if one is given (and nothing else); else, for a process
 * with a principal, the principal's credential for the provider, and the tenant's default only if the
 * requirement declares {@link CredentialFallback#TENANT}; for a process without a principal, the tenant's
 * default. A process with a principal never silently runs under another identity. Every lookup is scoped to
 * the task's tenant. A candidate is used only if its provider, type, scopes and status fit, and its usage policy
 * lets the task's process use it ({@code allowedProcesses}; in strict installations a keyed or tenant-default
 * credential must name its processes).
 */
public final class CredentialResolver {

	private final CredentialStore store;

	private final TokenRefresher refresher;

	private final boolean requireAllowedProcesses;

	private final ResolutionObserver observer;

	/**
	 * @param store where to look
	 * @param refresher refreshes OAuth2 tokens about to expire
	 */
	public CredentialResolver(CredentialStore store, TokenRefresher refresher) {
		this(store, refresher, false);
	}

	/**
	 * @param store where to look
	 * @param refresher refreshes OAuth2 tokens about to expire
	 * @param requireAllowedProcesses whether a keyed or tenant-default credential that names no allowed process is
	 * refused ({@code keyflow.policy.require-allowed-processes})
	 */
	public CredentialResolver(CredentialStore store, TokenRefresher refresher, boolean requireAllowedProcesses) {
		this(store, refresher, requireAllowedProcesses, ResolutionObserver.NONE);
	}

	/**
	 * @param store where to look
	 * @param refresher refreshes OAuth2 tokens about to expire
	 * @param requireAllowedProcesses whether a keyed or tenant-default credential that names no allowed process is
	 * refused
	 * @param observer told of every resolution (meters, usage, use audit)
	 */
	public CredentialResolver(CredentialStore store, TokenRefresher refresher, boolean requireAllowedProcesses,
			ResolutionObserver observer) {
		this.store = Objects.requireNonNull(store, "store cannot be null");
		this.refresher = Objects.requireNonNull(refresher, "refresher cannot be null");
		this.requireAllowedProcesses = requireAllowedProcesses;
		this.observer = Objects.requireNonNull(observer, "observer cannot be null");
	}

	/**
	 * @param requirement what the task needs
	 * @param tenantId the tenant of the task's process definition
	 * @param principalId the process's principal, or {@code null}
	 * @param explicitKey the evaluated explicit key, or {@code null}
	 * @param processDefinitionKey the key of the task's process definition, checked against usage policies
	 * @return the credential with a fresh token, or the reasons none was usable
	 */
	public Resolution resolve(CredentialRequirement requirement, String tenantId, String principalId,
			String explicitKey, String processDefinitionKey) {
		long started = System.nanoTime();
		Resolution resolution;
		try {
			resolution = lookUp(requirement, tenantId, principalId, explicitKey, processDefinitionKey);
		}
		catch (RuntimeException ex) {
			this.observer.failed(ex, System.nanoTime() - started);
			throw ex;
		}
		if (resolution.credential() != null) {
			this.observer.resolved(resolution.credential(), CompositeCredentialStore.lastAnswered(), principalId,
					processDefinitionKey, System.nanoTime() - started);
		}
		else {
			this.observer.missing(requirement.required(), System.nanoTime() - started);
		}
		return resolution;
	}

	private Resolution lookUp(CredentialRequirement requirement, String tenantId, String principalId,
			String explicitKey, String processDefinitionKey) {
		List<String> reasons = new ArrayList<>();
		Usable usable = new Usable(requirement, processDefinitionKey, reasons);
		if (explicitKey != null) {
			return finish(usable.check(this.store.findByKey(tenantId, explicitKey), "key '" + explicitKey + "'"),
					reasons);
		}
		String provider = requirement.provider();
		if (provider == null) {
			reasons.add("key '" + requirement.key() + "' evaluated to nothing and no provider is declared");
			return new Resolution(null, reasons);
		}
		if (principalId != null) {
			Credential credential = usable.check(this.store.findByPrincipal(tenantId, principalId, provider),
					"principal '" + principalId + "'");
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
		return finish(usable.check(this.store.findByPrincipal(tenantId, null, provider),
				"tenant default for '" + provider + "'"), reasons);
	}

	private Resolution finish(Credential credential, List<String> reasons) {
		if (credential != null && credential.type() == CredentialType.OAUTH2) {
			credential = this.refresher.refreshIfExpiring(credential);
		}
		return new Resolution(credential, reasons);
	}

	/** Checks candidates against one task's requirement and process, collecting the reasons of refusals. */
	private final class Usable {

		private final CredentialRequirement requirement;

		private final String processDefinitionKey;

		private final List<String> reasons;

		Usable(CredentialRequirement requirement, String processDefinitionKey, List<String> reasons) {
			this.requirement = requirement;
			this.processDefinitionKey = processDefinitionKey;
			this.reasons = reasons;
		}

		Credential check(Optional<Credential> candidate, String label) {
			Credential credential = usable(candidate, this.requirement, label, this.reasons);
			if (credential == null) {
				return null;
			}
			UsagePolicy policy = credential.info().policy();
			if (!policy.allowsProcess(this.processDefinitionKey)) {
				this.reasons.add(label + ": " + name(credential) + " may not be used by process '"
						+ this.processDefinitionKey + "': its allowedProcesses are " + policy.allowedProcesses());
				return null;
			}
			if (CredentialResolver.this.requireAllowedProcesses && policy.allowedProcesses().isEmpty()
					&& credential.principalId() == null) {
				this.reasons.add(label + ": " + name(credential) + " names no allowedProcesses, and "
						+ "keyflow.policy.require-allowed-processes is on; add this process to its allowedProcesses");
				return null;
			}
			return credential;
		}

		private static String name(Credential credential) {
			return "credential " + ((credential.key() != null) ? credential.key() + " " : "") + "(id " + credential.id()
					+ ")";
		}

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
		Set<String> missing = missingScopes(requirement, credential);
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

	private static Set<String> missingScopes(CredentialRequirement requirement, Credential credential) {
		if (requirement.scopes().isEmpty()) {
			return Set.of();
		}
		Set<String> missing = new TreeSet<>(requirement.scopes());
		missing.removeAll(credential.scopes());
		return missing;
	}

}
