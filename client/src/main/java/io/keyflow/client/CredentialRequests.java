package io.keyflow.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.keyflow.api.CredentialNotFoundException;

/**
 * {@code /api/credentials/requests}: what tasks wanted and could not get. Listing and reading needs a viewer key;
 * fulfilling and rejecting an editor key (a request for a principal's credential: an admin key). Calls act on the
 * client's tenant ({@link KeyflowClient.Builder#tenantId}).
 */
public final class CredentialRequests {

	private static final String BASE = "/api/credentials/requests";

	private final Transport http;

	private final String tenantId;

	CredentialRequests(Transport http, String tenantId) {
		this.http = http;
		this.tenantId = tenantId;
	}

	/**
	 * @param status only requests in this state, or {@code null} for all
	 * @param principalId only requests for this principal's credential, or {@code null}
	 * @param provider only requests for this provider or service, or {@code null}
	 * @param offset how many to skip
	 * @param limit the page size (at most 200)
	 * @return one page, newest first
	 */
	public Page<CredentialRequestDetails> list(CredentialRequestDetails.Status status, String principalId,
			String provider, int offset, int limit) {
		return Json.page(this.http.get(BASE, Transport.query("tenantId", this.tenantId, "status",
				(status != null) ? status.name() : null, "principalId", principalId, "provider", provider, "offset",
				offset, "limit", limit)), CredentialRequestDetails::of);
	}

	/** @return the first page (up to 200) of the tenant's open requests, newest first */
	public Page<CredentialRequestDetails> listOpen() {
		return list(CredentialRequestDetails.Status.OPEN, null, null, 0, 200);
	}

	/** @return the request with this id, if it exists in a tenant this key may act on */
	public Optional<CredentialRequestDetails> get(String id) {
		try {
			return Optional.of(CredentialRequestDetails.of(this.http.get(path(id), null)));
		}
		catch (CredentialNotFoundException ex) {
			return Optional.empty();
		}
	}

	/**
	 * Stores the credential the request asks for and resumes its waiting jobs, in one transaction.
	 * @param credential what the request asks for: its key or service, principal, tenant and one of its types
	 * @return the fulfilled request, the stored credential and the resumed jobs
	 * @throws io.keyflow.api.InvalidCredentialException if the credential is not what the request asks; nothing
	 * stored
	 * @throws io.keyflow.api.CredentialConflictException ({@code REQUEST_NOT_OPEN}) if it was fulfilled or rejected
	 * meanwhile
	 * @throws CredentialNotFoundException if there is no such request
	 */
	public Fulfilment fulfil(String id, NewCredential credential) {
		JsonNode answer = this.http.post(path(id) + "/fulfil", null, credential.body());
		List<String> resumed = new ArrayList<>();
		answer.path("resumedJobIds").forEach((job) -> resumed.add(job.asText()));
		return new Fulfilment(CredentialRequestDetails.of(answer.path("request")),
				CredentialDetails.of(answer.path("credential")), resumed);
	}

	/**
	 * Rejects the request: its jobs keep their incidents; the reason is audited.
	 * @param reason 1 to 1000 printable characters on one line
	 * @return the rejected request
	 * @throws io.keyflow.api.CredentialConflictException ({@code REQUEST_NOT_OPEN}) if it is no longer open
	 */
	public CredentialRequestDetails reject(String id, String reason) {
		return CredentialRequestDetails.of(this.http.post(path(id) + "/reject", null, Map.of("reason", reason)));
	}

	private static String path(String id) {
		return BASE + "/" + Transport.segment(id);
	}

	/**
	 * The answer to a fulfilment.
	 *
	 * @param request the request, now {@code FULFILLED}
	 * @param credential the stored credential (metadata only)
	 * @param resumedJobIds the jobs whose retries were restored
	 */
	public record Fulfilment(CredentialRequestDetails request, CredentialDetails credential,
			List<String> resumedJobIds) {

		public Fulfilment {
			resumedJobIds = List.copyOf(resumedJobIds);
		}

	}

}
