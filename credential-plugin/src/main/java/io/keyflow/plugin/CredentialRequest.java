package io.keyflow.plugin;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import io.keyflow.api.CredentialType;

/**
 * What a task wanted and could not get: a credential that is missing, or one that needs re-authorisation. It
 * names the credential (a key, or a provider and a principal), never holds a secret, and links every job that
 * waits on it. Fulfilling it stores the credential and gives those jobs their retries back.
 *
 * @param id the request id
 * @param tenantId the tenant, {@code null} for the tenant-less scope
 * @param kind why it was raised
 * @param key the wanted credential's key, or {@code null} when it is wanted by provider and principal
 * @param provider the provider, or {@code null}
 * @param principalId the principal whose credential is wanted, or {@code null}
 * @param credentialId the credential that needs re-authorisation ({@link Kind#REAUTHORIZE}), else {@code null}
 * @param acceptedTypes the types the task accepts; empty: any
 * @param scopes the scopes the task needs
 * @param processDefinitionKey the process that needs it (the first that asked)
 * @param activityId the activity that needs it (the first that asked)
 * @param description what it is for ({@code credential.description}), or {@code null}
 * @param obtain how to obtain it ({@code credential.obtain}), or {@code null}
 * @param status where it stands
 * @param reason the rejection reason, or {@code null}
 * @param resolvedBy who fulfilled or rejected it, or {@code null}
 * @param createdAt when the first task asked
 * @param resolvedAt when it was fulfilled or rejected, or {@code null}
 * @param jobIds the jobs waiting (or that waited) on it
 */
public record CredentialRequest(String id, String tenantId, Kind kind, String key, String provider,
		String principalId, String credentialId, Set<CredentialType> acceptedTypes, Set<String> scopes,
		String processDefinitionKey, String activityId, String description, String obtain, Status status,
		String reason, String resolvedBy, Instant createdAt, Instant resolvedAt, List<String> jobIds) {

	public CredentialRequest {
		acceptedTypes = Set.copyOf(acceptedTypes);
		scopes = Set.copyOf(scopes);
		jobIds = List.copyOf(jobIds);
	}

	/** Why a request was raised. */
	public enum Kind {

		/** No usable credential was found. */
		MISSING,

		/** The credential exists but its provider refused the refresh token: connect it again. */
		REAUTHORIZE

	}

	/** Where a request stands. */
	public enum Status {

		OPEN, FULFILLED, REJECTED

	}

}
