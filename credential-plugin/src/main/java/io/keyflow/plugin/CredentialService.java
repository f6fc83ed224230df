package io.keyflow.plugin;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

import io.keyflow.api.Credential;
import io.keyflow.api.CredentialChangedException;
import io.keyflow.api.CredentialConflictException;
import io.keyflow.api.CredentialInfo;
import io.keyflow.api.CredentialQuery;
import io.keyflow.api.CredentialStatus;
import io.keyflow.api.CredentialType;
import io.keyflow.api.CredentialUsage;
import io.keyflow.api.InvalidCredentialException;
import io.keyflow.api.UsagePolicy;
import io.keyflow.plugin.internal.crypto.EncryptedTable;
import io.keyflow.plugin.internal.store.JdbcCredentialStore;
import io.keyflow.plugin.internal.usage.UsageTracker;

/**
 * Manages the credentials of the local store: what the REST API and the web page call. Validates every draft
 * before anything is written, and turns "save" into create or upsert:
 * <ul>
 * <li>with a principal: the credential of that (tenant, principal, provider) is replaced, or created;</li>
 * <li>else with a key: the credential of that (tenant, key) is replaced, or created;</li>
 * <li>else: a new credential with a new id.</li>
 * </ul>
 * An upsert replaces every field and every secret part, except a usage policy the draft does not name (it is kept,
 * so rotating a secret never drops its policy); the credential keeps its id and creation time, and
 * becomes {@link CredentialStatus#ACTIVE} again (saving new tokens is how an account is re-authorised).
 * <p>
 * Security: nothing returned carries a secret value; validation messages name fields, never values.
 */
public class CredentialService {

	/** A key: UPPER_SNAKE_CASE, at most 128 characters ({@link CredentialInfo#KEY_PATTERN}). */
	public static final Pattern KEY_PATTERN = CredentialInfo.KEY_PATTERN;

	/** A provider id: lower case, at most 64 characters. */
	public static final Pattern PROVIDER_PATTERN = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

	/** Rows per JDBC batch of {@link #importNew}. */
	private static final int IMPORT_BATCH_SIZE = 1_000;

	private static final UsagePolicy SEALED = new UsagePolicy(Set.of(), Set.of(), true);

	static final int MAX_SECRET_BYTES = 16 * 1024;

	static final int MAX_METADATA_ENTRIES = 50;

	static final int MAX_METADATA_BYTES = 8 * 1024;

	static final int MAX_NAME_LENGTH = 255;

	static final int MAX_PRINCIPAL_LENGTH = 255;

	static final int MAX_TENANT_LENGTH = 64;

	static final int MAX_SCOPES = 100;

	static final int MAX_SCOPE_LENGTH = 255;

	/** The size of the {@code SCOPES_} column, which holds the scopes space-separated. */
	static final int MAX_SCOPES_LENGTH = 4000;

	static final int RE_ENCRYPTION_BATCH_SIZE = 100;

	private static final Pattern PART_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,31}");

	/** How often an unconditional upsert is tried when it loses a race with another node. */
	static final int UPSERT_ATTEMPTS = 5;

	private final JdbcCredentialStore store;

	// upserts of one credential on this node run one at a time (striped by natural key, so memory stays bounded)
	private final Lock[] upsertLocks = new Lock[64];

	private final List<EncryptedTable> encryptedTables;

	private final boolean sealedByDefault;

	private KeyflowAudit audit;

	private UsageTracker usage;

	CredentialService(JdbcCredentialStore store) {
		this(store, List.of());
	}

	/**
	 * @param store the local store
	 * @param otherEncryptedTables further tables under the same keyring (OAuth2 client secrets, flows), which
	 * {@link #reEncryptAll()} moves to the primary key too
	 */
	CredentialService(JdbcCredentialStore store, List<? extends EncryptedTable> otherEncryptedTables) {
		this(store, otherEncryptedTables, false);
	}

	/**
	 * @param store the local store
	 * @param otherEncryptedTables further tables under the same keyring
	 * @param sealedByDefault whether a draft that does not say otherwise is sealed
	 * ({@code keyflow.policy.sealed-by-default})
	 */
	CredentialService(JdbcCredentialStore store, List<? extends EncryptedTable> otherEncryptedTables,
			boolean sealedByDefault) {
		this.sealedByDefault = sealedByDefault;
		this.store = Objects.requireNonNull(store, "store cannot be null");
		for (int i = 0; i < this.upsertLocks.length; i++) {
			this.upsertLocks[i] = new ReentrantLock();
		}
		List<EncryptedTable> tables = new ArrayList<>();
		tables.add(store);
		tables.addAll(otherEncryptedTables);
		this.encryptedTables = List.copyOf(tables);
	}

	/**
	 * @param audit records every change and re-encryption run
	 * @param usage the usage of credentials by tasks
	 */
	void observe(KeyflowAudit audit, UsageTracker usage) {
		this.audit = audit;
		this.usage = usage;
	}

	/**
	 * Creates a credential, or replaces the one with the same (principal, provider) or key in the tenant.
	 * @param draft what to store
	 * @return the stored credential's clear part
	 * @throws InvalidCredentialException if the draft breaks a rule; nothing was stored
	 * @throws CredentialConflictException if the key, or the (principal, provider) pair, belongs to another
	 * credential of the tenant; nothing was stored
	 */
	public CredentialInfo save(CredentialDraft draft) {
		return save(draft, null);
	}

	/**
	 * {@link #save(CredentialDraft)}, optionally conditional. Without a revision, upserts of the same credential are
	 * serialized: on this node one at a time, and a race lost to another node is retried, so the last writer wins
	 * and nobody gets a conflict that is only a race.
	 * @param draft what to store
	 * @param expectedRevision the revision of the credential the draft replaces, as {@link #revisions} gave it (an
	 * HTTP {@code If-Match}), or {@code null} for an unconditional upsert
	 * @return the stored credential's clear part
	 * @throws CredentialChangedException if a revision is given and the credential the draft replaces does not
	 * exist or is at another revision; nothing was stored
	 * @throws InvalidCredentialException if the draft breaks a rule; nothing was stored
	 * @throws CredentialConflictException if the key, or the (principal, provider) pair, belongs to another
	 * credential of the tenant; nothing was stored
	 */
	public CredentialInfo save(CredentialDraft draft, Integer expectedRevision) {
		validate(draft);
		Lock lock = this.upsertLocks[Math.floorMod(naturalKey(draft).hashCode(), this.upsertLocks.length)];
		lock.lock();
		try {
			if (expectedRevision != null) {
				return upsert(draft, expectedRevision);
			}
			for (int attempt = 1;; attempt++) {
				try {
					return upsert(draft, null);
				}
				catch (CredentialConflictException ex) {
					// another node created the row between our lookup and our insert, or changed it between read
					// and write: look again, and this time update what it wrote; a real conflict fails every time
					if (attempt == UPSERT_ATTEMPTS) {
						throw ex;
					}
				}
			}
		}
		finally {
			lock.unlock();
		}
	}

	/**
	 * Saves several drafts atomically, each as {@link #save} does: all are stored, or none is.
	 * @param drafts what to store, in order (a later draft of the same key replaces an earlier one)
	 * @return the stored credentials' clear parts, in the order of the drafts
	 * @throws InvalidCredentialException if a draft breaks a rule, its field named {@code [index].field}
	 * (e.g. {@code [2].key}); nothing was stored
	 * @throws CredentialConflictException if a draft conflicts with another credential; nothing was stored
	 */
	public List<CredentialInfo> saveAll(List<CredentialDraft> drafts) {
		Objects.requireNonNull(drafts, "drafts cannot be null");
		for (int i = 0; i < drafts.size(); i++) {
			try {
				check(drafts.get(i));
			}
			catch (InvalidCredentialException ex) {
				throw new InvalidCredentialException("[" + i + "]." + ex.getField(),
						"draft " + i + ": " + ex.getMessage());
			}
		}
		return this.store.inTransaction(() -> drafts.stream().map(this::save).toList());
	}

	/**
	 * Checks a draft against every rule {@link #save} applies, without storing it.
	 * @param draft a draft
	 * @throws InvalidCredentialException naming the field that breaks a rule
	 */
	public void check(CredentialDraft draft) {
		validate(draft);
	}

	/**
	 * @param tenantId the tenant ({@code null} for tenant-less)
	 * @param ids credential ids of the local store
	 * @return each existing one's revision, for {@link #save(CredentialDraft, Integer)} (an HTTP {@code ETag})
	 */
	public Map<String, Integer> revisions(String tenantId, Collection<String> ids) {
		return this.store.revisions(tenantId, ids);
	}

	// what identifies the credential an upsert replaces: two drafts for it take the same lock
	private static String naturalKey(CredentialDraft draft) {
		return Objects.toString(draft.tenantId(), "") + "\n" + ((draft.principalId() != null)
				? draft.principalId() + "\n" + draft.provider() : Objects.toString(draft.key(), ""));
	}

	private CredentialInfo upsert(CredentialDraft draft, Integer expectedRevision) {
		Optional<CredentialInfo> existing = findExisting(draft);
		if (expectedRevision != null && existing.isEmpty()) {
			throw new CredentialChangedException("no credential with this " + ((draft.principalId() != null)
					? "principal and provider" : "key") + " exists any more; If-Match names a credential that was "
					+ "deleted (send the request without If-Match to create it)");
		}
		Credential credential = credential(draft, existing.map(CredentialInfo::id).orElseGet(() -> UUID.randomUUID().toString()),
				existing.map(CredentialInfo::policy));
		CredentialInfo saved = this.store.save(credential, expectedRevision).info();
		if (this.audit != null) {
			this.audit.recordChange(AuditRecord.of(existing.isPresent() ? "credential.update" : "credential.create",
					AuditRecord.JAVA).tenantId(saved.tenantId()).credential(saved.id(), saved.key())
				.onBehalfOf(saved.principalId()));
		}
		return saved;
	}

	/**
	 * Creates many new credentials at once, in batched inserts within one transaction: for loading a large number
	 * (a migration, the benchmarks). Each draft is validated and encrypted as {@link #save} does, but never
	 * replaces a stored credential.
	 * @param drafts what to store; each gets a new id
	 * @return how many credentials were stored
	 * @throws InvalidCredentialException if a draft breaks a rule; nothing was stored
	 * @throws CredentialConflictException if a key, or a (principal, provider) pair, is taken (by a stored credential
	 * or by another draft); nothing was stored
	 */
	public int importNew(List<CredentialDraft> drafts) {
		drafts.forEach(CredentialService::validate);
		List<Credential> credentials = drafts.stream()
			.map((draft) -> credential(draft, UUID.randomUUID().toString(), Optional.empty()))
			.toList();
		int stored = this.store.insertAll(credentials, IMPORT_BATCH_SIZE);
		if (this.audit != null) {
			this.audit.recordChange(AuditRecord.of("credential.import", AuditRecord.JAVA)
				.subject(stored + " new credentials"));
		}
		return stored;
	}

	private Credential credential(CredentialDraft draft, String id, Optional<UsagePolicy> storedPolicy) {
		CredentialInfo info = CredentialInfo.builder(draft.type())
			.id(id)
			.tenantId(draft.tenantId())
			.key(draft.key())
			.name(draft.name())
			.provider(draft.provider())
			.principalId(draft.principalId())
			.scopes(draft.scopes())
			.expiresAt(draft.expiresAt())
			.status(CredentialStatus.ACTIVE)
			.metadata(draft.metadata())
			// a draft that names no policy keeps the stored one: replacing a secret must not widen where it may go
			.policy((draft.policy() != null) ? draft.policy()
					: storedPolicy.orElse(this.sealedByDefault ? SEALED : UsagePolicy.NONE))
			.build();
		Map<String, String> secrets = new LinkedHashMap<>(draft.secrets());
		// an absent optional part (refreshToken: null) is not stored
		secrets.values().removeIf(Objects::isNull);
		return Credential.of(info, secrets);
	}

	// never decrypts: the upsert replaces the secret parts anyway
	private Optional<CredentialInfo> findExisting(CredentialDraft draft) {
		CredentialQuery query;
		if (draft.principalId() != null) {
			query = new CredentialQuery(draft.tenantId(), draft.principalId(), draft.provider(), null, null, 0, 1);
		}
		else if (draft.key() != null) {
			query = new CredentialQuery(draft.tenantId(), null, null, null, draft.key(), 0, 1);
		}
		else {
			return Optional.empty();
		}
		return this.store.list(query).stream().findFirst();
	}

	/**
	 * @param tenantId the tenant ({@code null} for tenant-less)
	 * @param id the credential id
	 * @return the credential's clear part, if it exists in that tenant
	 */
	public Optional<CredentialInfo> get(String tenantId, String id) {
		return this.store.findInfoById(tenantId, id).map((info) -> withUsage(List.of(info)).get(0));
	}

	/**
	 * @param query the filter
	 * @return the matching credentials' clear part, ordered by key then creation time
	 */
	public List<CredentialInfo> list(CredentialQuery query) {
		return list(query, null, null);
	}

	/**
	 * @param query the filter
	 * @param usedSince only credentials a task used at or after this time; {@code null} for no such filter
	 * @param unusedSince only credentials no task used at or after this time (never used ones included);
	 * {@code null} for no such filter
	 * @return the matching credentials' clear part with their {@linkplain CredentialInfo#usage() usage}, ordered by
	 * key then creation time. Uses are written every {@code keyflow.usage.flush-interval}: the filters and figures lag
	 * by up to that interval
	 */
	public List<CredentialInfo> list(CredentialQuery query, Instant usedSince, Instant unusedSince) {
		return withUsage(this.store.list(query, usedSince, unusedSince));
	}

	private List<CredentialInfo> withUsage(List<CredentialInfo> infos) {
		if (this.usage == null || infos.isEmpty()) {
			return infos;
		}
		Map<String, CredentialUsage> found = this.usage.find(infos.stream().map(CredentialInfo::id).toList());
		if (found.isEmpty()) {
			return infos;
		}
		return infos.stream()
			.map((info) -> found.containsKey(info.id()) ? info.toBuilder().usage(found.get(info.id())).build() : info)
			.toList();
	}

	/**
	 * @param tenantId the tenant ({@code null} for tenant-less)
	 * @param id the credential id
	 * @return whether a credential was deleted
	 */
	public boolean delete(String tenantId, String id) {
		Optional<CredentialInfo> info = (this.audit != null) ? this.store.findInfoById(tenantId, id) : Optional.empty();
		boolean deleted = this.store.delete(tenantId, id);
		if (deleted && this.usage != null) {
			this.usage.forget(id);
		}
		if (deleted && this.audit != null) {
			this.audit.recordChange(AuditRecord.of("credential.delete", AuditRecord.JAVA).tenantId(tenantId)
				.credential(id, info.map(CredentialInfo::key).orElse(null))
				.onBehalfOf(info.map(CredentialInfo::principalId).orElse(null)));
		}
		return deleted;
	}

	/**
	 * Binds every credential written before 0.2 to all the columns that decide its use (see the store); Keyflow
	 * runs this at start-up, in batches, while tasks keep using the credentials.
	 * @return how many credentials were moved
	 */
	public int upgradeBindings() {
		int total = 0;
		int moved;
		while ((moved = this.store.upgradeBindings(RE_ENCRYPTION_BATCH_SIZE)) > 0) {
			total += moved;
		}
		if (total > 0 && this.audit != null) {
			this.audit.record(AuditRecord.of("credential.upgrade-bindings", AuditRecord.SYSTEM)
				.subject(total + " credentials bound to every column that decides their use"));
		}
		return total;
	}

	/**
	 * Moves every credential, OAuth2 client secret and pending flow to the keyring's primary key, in batches; the
	 * last step of a key rotation before the old key can be removed. Safe while the engine runs. Each run is audited
	 * ({@code keys.re-encrypt}) with how many rows it moved, or how it failed.
	 * @return how many rows were re-encrypted
	 * @throws io.keyflow.api.DecryptionException if a row does not decrypt (naming it); the ones before it stay moved
	 */
	public int reEncryptAll() {
		int total = 0;
		try {
			for (EncryptedTable table : this.encryptedTables) {
				int moved;
				while ((moved = table.reEncrypt(RE_ENCRYPTION_BATCH_SIZE)) > 0) {
					total += moved;
				}
			}
		}
		catch (RuntimeException ex) {
			if (this.audit != null) {
				this.audit.record(AuditRecord.of("keys.re-encrypt", AuditRecord.JAVA)
					.subject(total + " rows moved to the primary key before the failure")
					.failure(ex.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT)));
			}
			throw ex;
		}
		if (this.audit != null) {
			this.audit.record(AuditRecord.of("keys.re-encrypt", AuditRecord.JAVA)
				.subject(total + " rows moved to the primary key"));
		}
		return total;
	}

	private static void validate(CredentialDraft draft) {
		Objects.requireNonNull(draft, "draft cannot be null");
		if (draft.type() == null) {
			throw new InvalidCredentialException("type", "type is required: one of api_key, static, basic, oauth2");
		}
		if (draft.tenantId() != null && (draft.tenantId().isBlank() || draft.tenantId().length() > MAX_TENANT_LENGTH)) {
			throw new InvalidCredentialException("tenantId", "tenantId must be 1 to " + MAX_TENANT_LENGTH
					+ " non-blank characters, or absent for the tenant-less scope");
		}
		if (draft.key() != null && !KEY_PATTERN.matcher(draft.key()).matches()) {
			throw new InvalidCredentialException("key", "key must be UPPER_SNAKE_CASE: a letter A-Z, then up to 127 "
					+ "letters A-Z, digits or '_' (e.g. GITHUB_ACME)");
		}
		if (draft.principalId() != null
				&& (draft.principalId().isBlank() || draft.principalId().length() > MAX_PRINCIPAL_LENGTH)) {
			throw new InvalidCredentialException("principalId",
					"principalId must be 1 to " + MAX_PRINCIPAL_LENGTH + " non-blank characters");
		}
		if (draft.provider() != null && !PROVIDER_PATTERN.matcher(draft.provider()).matches()) {
			throw new InvalidCredentialException("provider", "provider must be a lower-case id of up to 64 "
					+ "characters: a-z or 0-9, then a-z, 0-9, '_', '.' or '-' (e.g. github)");
		}
		if (draft.principalId() != null && draft.provider() == null) {
			throw new InvalidCredentialException("provider", "provider is required when principalId is set");
		}
		if (draft.key() == null && draft.principalId() == null) {
			throw new InvalidCredentialException("key", "a credential needs a key, or a principalId and a provider");
		}
		if (draft.name() != null && draft.name().length() > MAX_NAME_LENGTH) {
			throw new InvalidCredentialException("name", "name must be at most " + MAX_NAME_LENGTH + " characters");
		}
		validateScopes(draft.scopes());
		validateMetadata(draft.metadata());
		validateSecrets(draft.type(), draft.secrets());
	}

	private static void validateScopes(Set<String> scopes) {
		if (scopes.size() > MAX_SCOPES) {
			throw new InvalidCredentialException("scopes", "at most " + MAX_SCOPES + " scopes are allowed");
		}
		int total = 0;
		for (String scope : scopes) {
			// stored space-separated: a scope with whitespace would come back as two
			if (scope == null || scope.isEmpty() || scope.length() > MAX_SCOPE_LENGTH
					|| scope.chars().anyMatch(Character::isWhitespace)) {
				throw new InvalidCredentialException("scopes", "each scope must be 1 to " + MAX_SCOPE_LENGTH
						+ " characters without whitespace");
			}
			total += scope.length() + 1;
		}
		if (total - 1 > MAX_SCOPES_LENGTH) {
			throw new InvalidCredentialException("scopes", "the scopes together, space-separated, must be at most "
					+ MAX_SCOPES_LENGTH + " characters");
		}
	}

	private static void validateMetadata(Map<String, String> metadata) {
		if (metadata.size() > MAX_METADATA_ENTRIES) {
			throw new InvalidCredentialException("metadata",
					"metadata can have at most " + MAX_METADATA_ENTRIES + " entries");
		}
		int bytes = 0;
		for (Map.Entry<String, String> entry : metadata.entrySet()) {
			if (entry.getKey() == null || entry.getKey().isEmpty() || entry.getValue() == null) {
				throw new InvalidCredentialException("metadata",
						"metadata names must be non-empty and values non-null");
			}
			bytes += utf8Length(entry.getKey()) + utf8Length(entry.getValue());
		}
		if (bytes > MAX_METADATA_BYTES) {
			throw new InvalidCredentialException("metadata",
					"metadata names and values together must be at most " + MAX_METADATA_BYTES + " bytes (UTF-8)");
		}
	}

	private static void validateSecrets(CredentialType type, Map<String, String> secrets) {
		List<String> required = type.requiredSecretParts();
		List<String> allowed = type.allowedSecretParts();
		for (Map.Entry<String, String> entry : secrets.entrySet()) {
			String part = entry.getKey();
			if (part == null || !allowed.contains(part)) {
				// a part name is not a secret, but only a name-like one is quoted, in case a value was pasted there
				String shown = (part != null && PART_NAME.matcher(part).matches()) ? "'" + part + "'" : "a part";
				throw new InvalidCredentialException("secrets", "secrets has " + shown + " that type "
						+ type.wireName() + " does not have; allowed: " + String.join(", ", allowed));
			}
			if (entry.getValue() != null && utf8Length(entry.getValue()) > MAX_SECRET_BYTES) {
				throw new InvalidCredentialException("secrets." + part,
						"secret part " + part + " must be at most " + MAX_SECRET_BYTES + " bytes (UTF-8)");
			}
			if (entry.getValue() != null && entry.getValue().isEmpty()) {
				throw new InvalidCredentialException("secrets." + part,
						"secret part " + part + " cannot be empty; leave it out instead");
			}
		}
		for (String part : required) {
			if (secrets.get(part) == null) {
				throw new InvalidCredentialException("secrets." + part,
						"secret part " + part + " is required for type " + type.wireName());
			}
		}
	}

	private static int utf8Length(String value) {
		return value.getBytes(StandardCharsets.UTF_8).length;
	}

}
