package io.keyflow.plugin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.camunda.bpm.engine.ProcessEngine;
import org.springframework.dao.ConcurrencyFailureException;

import io.keyflow.api.CredentialConflictException;
import io.keyflow.api.CredentialInfo;
import io.keyflow.api.CredentialNotFoundException;
import io.keyflow.api.InvalidCredentialException;
import io.keyflow.plugin.internal.KeyflowLog;
import io.keyflow.plugin.internal.engine.JobResumer;
import io.keyflow.plugin.internal.jdbc.KeyflowJdbc;
import io.keyflow.plugin.internal.request.CredentialRequestTable;

/**
 * Credential requests: what tasks wanted and could not get. Fulfilling one stores the credential and gives every
 * job waiting on it its retries back in one transaction (with the Spring Boot starter the engine joins Keyflow's
 * transaction on the shared data source): either both happen or neither. Of two fulfilments racing, one wins and
 * the other is refused as a conflict.
 * <p>
 * Security: a request never holds a secret; the secret travels only in the draft given to {@link #fulfil}.
 */
public class CredentialRequestService {

	static final int MAX_REASON_LENGTH = 1000;

	private final CredentialRequestTable table;

	private final CredentialService credentials;

	private final KeyflowJdbc db;

	private final Duration resumeDelay;

	private volatile ProcessEngine engine;

	/**
	 * @param resumeDelay how long after a fulfilment the resumed jobs are due: the resolution cache's TTL, so that
	 * no node still answers a cached "not found" when they run
	 */
	CredentialRequestService(CredentialRequestTable table, CredentialService credentials, KeyflowJdbc db,
			Duration resumeDelay) {
		this.resumeDelay = Objects.requireNonNull(resumeDelay, "resumeDelay cannot be null");
		this.table = Objects.requireNonNull(table, "table cannot be null");
		this.credentials = Objects.requireNonNull(credentials, "credentials cannot be null");
		this.db = Objects.requireNonNull(db, "db cannot be null");
	}

	/** Called by the engine plugin once the engine is built. */
	void useEngine(ProcessEngine engine) {
		this.engine = engine;
	}

	/**
	 * @param tenantIds the tenants to list ({@code null} element: tenant-less), or {@code null} for all
	 * @param status only requests in this status, or {@code null}
	 * @param principalId only requests for this principal's credential, or {@code null}
	 * @param provider only requests for this provider, or {@code null}
	 * @param first the first row (0-based)
	 * @param max at most this many
	 * @return the requests, newest first
	 */
	public List<CredentialRequest> list(Collection<String> tenantIds, CredentialRequest.Status status,
			String principalId, String provider, int first, int max) {
		return this.table.list(new CredentialRequestTable.Filter(tenantIds, status, principalId, provider, first, max));
	}

	/**
	 * @param id a request id
	 * @return the request
	 */
	public Optional<CredentialRequest> get(String id) {
		return (id == null) ? Optional.empty() : this.table.find(id);
	}

	/**
	 * @param request a request
	 * @return the open failed-job incidents of the jobs waiting on it
	 */
	public List<String> incidentIds(CredentialRequest request) {
		ProcessEngine processEngine = this.engine;
		return (processEngine == null) ? List.of() : JobResumer.incidentIds(processEngine, request.jobIds());
	}

	/**
	 * Stores the credential a request asked for and resumes the jobs waiting on it, atomically.
	 * @param id the request id
	 * @param draft the credential; its tenant, key, provider, principal and type must be what was requested
	 * @param actor who fulfils it (validated text, for the record)
	 * @return the stored credential's clear part and the resumed jobs
	 * @throws CredentialNotFoundException if there is no such request
	 * @throws CredentialConflictException if it is no longer open (fulfilled or rejected, perhaps just now by
	 * another caller); nothing was stored
	 * @throws InvalidCredentialException if the draft is not what was requested, or is invalid; nothing was stored
	 */
	public Fulfilment fulfil(String id, CredentialDraft draft, String actor) {
		Objects.requireNonNull(draft, "draft cannot be null");
		CredentialRequest request = requireOpen(id);
		checkMatches(request, draft);
		return this.db.inTransaction(() -> {
			claim(request, CredentialRequest.Status.FULFILLED, actor, null);
			List<String> resumed = resume(request);
			CredentialInfo saved = this.credentials.save(draft);
			KeyflowLog.credentialRequestClosed(request.id(), "fulfilled", resumed.size());
			return new Fulfilment(saved, resumed);
		});
	}

	/**
	 * Rejects a request: its jobs keep their incidents.
	 * @param id the request id
	 * @param reason why (1 to {@value #MAX_REASON_LENGTH} characters)
	 * @param actor who rejects it
	 * @return the rejected request
	 * @throws CredentialNotFoundException if there is no such request
	 * @throws CredentialConflictException if it is no longer open
	 * @throws InvalidCredentialException if the reason is missing or too long
	 */
	public CredentialRequest reject(String id, String reason, String actor) {
		if (reason == null || reason.isBlank() || reason.length() > MAX_REASON_LENGTH) {
			throw new InvalidCredentialException("reason", "reason must be 1 to " + MAX_REASON_LENGTH + " characters");
		}
		CredentialRequest request = requireOpen(id);
		claim(request, CredentialRequest.Status.REJECTED, actor, reason.strip());
		KeyflowLog.credentialRequestClosed(request.id(), "rejected", 0);
		return this.table.find(id).orElseThrow();
	}

	/**
	 * Stores a credential and fulfils every open request it answers (the same tenant and key, or provider and
	 * principal), resuming their jobs, in one transaction: how an OAuth2 connection fulfils a request.
	 * @param draft the credential
	 * @param actor who stores it
	 * @return the stored credential's clear part
	 */
	CredentialInfo saveFulfilling(CredentialDraft draft, String actor) {
		return this.db.inTransaction(() -> {
			CredentialInfo saved = this.credentials.save(draft);
			List<String> wanted = new ArrayList<>();
			if (saved.key() != null) {
				wanted.add(CredentialRequestTable.wanted(saved.key(), null, null));
			}
			wanted.add(CredentialRequestTable.wanted(null, saved.provider(), saved.principalId()));
			for (String requestId : this.table.openFor(saved.tenantId(), wanted)) {
				CredentialRequest request = this.table.find(requestId).orElseThrow();
				if (this.table.close(requestId, CredentialRequest.Status.FULFILLED, actor, null)) {
					KeyflowLog.credentialRequestClosed(requestId, "fulfilled", resume(request).size());
				}
			}
			return saved;
		});
	}

	private CredentialRequest requireOpen(String id) {
		CredentialRequest request = get(id)
			.orElseThrow(() -> new CredentialNotFoundException("no credential request " + id));
		if (request.status() != CredentialRequest.Status.OPEN) {
			throw notOpen(request.id(), request.status());
		}
		return request;
	}

	private void claim(CredentialRequest request, CredentialRequest.Status status, String actor, String reason) {
		boolean claimed;
		try {
			claimed = this.table.close(request.id(), status, actor, reason);
		}
		catch (ConcurrencyFailureException ex) {
			// the other caller held the row until it gave up or committed
			claimed = false;
		}
		if (!claimed) {
			throw notOpen(request.id(), this.table.find(request.id()).map(CredentialRequest::status).orElse(null));
		}
	}

	private List<String> resume(CredentialRequest request) {
		ProcessEngine processEngine = this.engine;
		return (processEngine == null) ? List.of()
				: JobResumer.resume(processEngine, request.jobIds(), this.resumeDelay);
	}

	private static CredentialConflictException notOpen(String id, CredentialRequest.Status status) {
		return new CredentialConflictException("credential request " + id + " is "
				+ ((status != null) ? status.name() : "gone") + ", not OPEN; nothing was stored");
	}

	private static void checkMatches(CredentialRequest request, CredentialDraft draft) {
		mustEqual("tenantId", request.tenantId(), draft.tenantId(), true);
		mustEqual("key", request.key(), draft.key(), false);
		mustEqual("provider", request.provider(), draft.provider(), false);
		mustEqual("principalId", request.principalId(), draft.principalId(), true);
		if (!request.acceptedTypes().isEmpty() && !request.acceptedTypes().contains(draft.type())) {
			throw new InvalidCredentialException("type", "credential request " + request.id() + " accepts types "
					+ request.acceptedTypes().stream().map((type) -> type.wireName()).sorted().toList()
					+ "; nothing was stored");
		}
	}

	private static void mustEqual(String field, String requested, String given, boolean evenWhenAbsent) {
		if ((requested != null || evenWhenAbsent) && !Objects.equals(requested, given)) {
			throw new InvalidCredentialException(field, field + " must be "
					+ ((requested != null) ? "'" + requested + "'" : "absent")
					+ ", as the credential request asks; nothing was stored");
		}
	}

	/**
	 * @param credential the stored credential's clear part
	 * @param resumedJobIds the jobs given their retries back
	 */
	public record Fulfilment(CredentialInfo credential, List<String> resumedJobIds) {

		public Fulfilment {
			resumedJobIds = List.copyOf(resumedJobIds);
		}

	}

}
