package io.keyflow.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.keyflow.api.CredentialNotFoundException;
import io.keyflow.api.CredentialQuery;

/**
 * {@code /api/credentials}: list, get, save (create or replace), save atomically in a batch, delete, refresh and
 * reveal. Calls act on the client's tenant ({@link KeyflowClient.Builder#tenantId}).
 */
public final class Credentials {

	private static final String BASE = "/api/credentials";

	private final Transport http;

	private final String tenantId;

	Credentials(Transport http, String tenantId) {
		this.http = http;
		this.tenantId = tenantId;
	}

	/**
	 * @param query the filter and page ({@code tenantId} of the query is ignored: the client's tenant applies)
	 * @return one page of matching credentials, ordered by key then creation time
	 */
	public Page<CredentialDetails> list(CredentialQuery query) {
		return Json.page(this.http.get(BASE, Transport.query("tenantId", this.tenantId, "principalId",
				query.principalId(), "service", query.provider(), "type",
				(query.type() != null) ? query.type().wireName() : null, "key", query.key(), "offset", query.offset(),
				"limit", query.limit())), CredentialDetails::of);
	}

	/** @return the first page (up to 100) of every credential of the tenant */
	public Page<CredentialDetails> list() {
		return list(new CredentialQuery(this.tenantId, null, null, null, null, 0, 100));
	}

	/** @return the credential with this id, if it exists in the tenant */
	public Optional<CredentialDetails> get(String id) {
		try {
			return Optional.of(CredentialDetails.of(this.http.get(BASE + "/" + Transport.segment(id), tenant())));
		}
		catch (CredentialNotFoundException ex) {
			return Optional.empty();
		}
	}

	/** @return the credential with this key, if it exists in the tenant */
	public Optional<CredentialDetails> findByKey(String key) {
		return list(new CredentialQuery(this.tenantId, null, null, null, key, 0, 1)).items().stream().findFirst();
	}

	/**
	 * Creates the credential, or replaces the one with the same key (or principal and service).
	 * @return the stored credential
	 * @throws io.keyflow.api.InvalidCredentialException naming the field the server refused; nothing stored
	 * @throws io.keyflow.api.CredentialConflictException if the key belongs to another credential
	 */
	public SavedCredential save(NewCredential credential) {
		return save(credential, null);
	}

	/**
	 * Replaces the credential only if it is still at the revision read ({@code If-Match}); the server serializes
	 * concurrent saves of one credential, so of several saves with the same tag one wins.
	 * @param ifMatch the {@link CredentialDetails#etag()} of a {@link #get} or {@link #list}, or {@code null} for an
	 * unconditional save
	 * @return the stored credential
	 * @throws io.keyflow.api.CredentialChangedException if the credential changed or was deleted since it was read;
	 * nothing stored: read it again
	 */
	public SavedCredential save(NewCredential credential, String ifMatch) {
		Transport.Answer answer = this.http.exchange("POST", BASE, tenant(), credential.body(),
				java.util.Collections.singletonMap("If-Match", ifMatch));
		return SavedCredential.of(answer.json(), answer.status() == 201);
	}

	/**
	 * Saves every credential, atomically: all are stored, or none is ({@code POST /api/credentials/batch}).
	 * @return the stored credentials, in the order given
	 * @throws io.keyflow.api.InvalidCredentialException whose field names the item, e.g. {@code credentials[2].key};
	 * nothing stored
	 * @throws io.keyflow.api.CredentialConflictException if one conflicts with another credential; nothing stored
	 */
	public List<SavedCredential> saveAll(List<NewCredential> credentials) {
		List<Map<String, Object>> items = credentials.stream().map(NewCredential::body).toList();
		JsonNode answer = this.http.post(BASE + "/batch", tenant(), Map.of("credentials", items));
		List<SavedCredential> saved = new ArrayList<>();
		answer.path("credentials").forEach((item) -> saved.add(SavedCredential.of(item, item.path("created").asBoolean())));
		return saved;
	}

	/**
	 * @return {@code true} when deleted, {@code false} when no such credential exists in the tenant
	 * @throws io.keyflow.api.ReadOnlyStoreException if a read-only store holds it
	 */
	public boolean delete(String id) {
		try {
			this.http.delete(BASE + "/" + Transport.segment(id), tenant());
			return true;
		}
		catch (CredentialNotFoundException ex) {
			return false;
		}
	}

	/**
	 * Refreshes an OAuth2 credential's tokens now.
	 * @return the credential after the refresh
	 * @throws CredentialNotFoundException if it does not exist
	 * @throws io.keyflow.api.TokenEndpointException if the provider refused
	 */
	public CredentialDetails refresh(String id) {
		return CredentialDetails.of(this.http.post(BASE + "/" + Transport.segment(id) + "/refresh", tenant(), null));
	}

	/**
	 * The audited admin reveal (an admin key).
	 * @return the credential with its secret parts
	 * @throws CredentialNotFoundException if it does not exist
	 */
	public RevealedCredential reveal(String id) {
		JsonNode json = this.http.post(BASE + "/" + Transport.segment(id) + "/reveal", tenant(), null);
		return new RevealedCredential(CredentialDetails.of(json), Json.stringMap(json, "secrets"));
	}

	private Map<String, Object> tenant() {
		return Transport.query("tenantId", this.tenantId);
	}

}
