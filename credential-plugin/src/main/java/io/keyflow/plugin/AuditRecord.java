package io.keyflow.plugin;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One audit event: who did what to which credential (or provider, key or API key), when, and how it ended. Never a
 * secret value: {@link KeyflowAudit} keeps a text field only as printable ASCII, and a credential id or key only
 * when it looks like one.
 *
 * @param id the event id (a UUID)
 * @param at when
 * @param actorId who acted: an API key id, {@code user:<id>}, or one of Keyflow's own actors ({@link #JAVA},
 * {@link #ENGINE}, {@link #SYSTEM})
 * @param actorName the actor's display name, or {@code null}
 * @param tenantId the tenant acted on; {@code null} for the tenant-less scope
 * @param action e.g. {@code credential.create}, {@code token.refresh}
 * @param credentialId the credential's id, when known
 * @param credentialKey the credential's key, when known
 * @param subject another subject: a provider id, an API key id, a process definition key, a count
 * @param outcome {@link #SUCCESS} or {@link #FAILURE}
 * @param errorCode the stable error code of a failure ({@code INVALID_GRANT}, a REST error code), or {@code null}
 * @param onBehalfOf the principal acted for (an admin's act for a user, or the principal of a task), or {@code null}
 */
public record AuditRecord(String id, Instant at, String actorId, String actorName, String tenantId, String action,
		String credentialId, String credentialKey, String subject, String outcome, String errorCode,
		String onBehalfOf) {

	public static final String SUCCESS = "success";

	public static final String FAILURE = "failure";

	/** The actor of changes made through the Java API ({@link CredentialService}, {@link OAuth2ConnectionService}). */
	public static final String JAVA = "keyflow:java";

	/** The actor of what the engine does while a task runs: uses and task-time refreshes. */
	public static final String ENGINE = "keyflow:engine";

	/** The actor of what Keyflow does at start-up and in its background jobs (migrations, re-encryption, retention). */
	public static final String SYSTEM = "keyflow:system";

	/** An action: lower case, dots, dashes and underscores, at most 32 characters (the column's size). */
	static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9._-]{0,31}");

	/** An error code: upper snake case, at most 32 characters. */
	static final Pattern ERROR_CODE = Pattern.compile("[A-Z][A-Z0-9_]{0,31}");

	public AuditRecord {
		Objects.requireNonNull(action, "action cannot be null");
		if (!ACTION.matcher(action).matches()) {
			throw new IllegalArgumentException("action must be lower case, at most 32 characters");
		}
		if (!SUCCESS.equals(outcome) && !FAILURE.equals(outcome)) {
			throw new IllegalArgumentException("outcome must be success or failure");
		}
		if (errorCode != null && !ERROR_CODE.matcher(errorCode).matches()) {
			throw new IllegalArgumentException("errorCode must be UPPER_SNAKE_CASE, at most 32 characters");
		}
		Objects.requireNonNull(actorId, "actorId cannot be null");
	}

	/**
	 * @param action what was done
	 * @param actorId who did it
	 * @return a builder of a successful event
	 */
	public static Builder of(String action, String actorId) {
		return new Builder(action, actorId);
	}

	/**
	 * Builds an {@link AuditRecord}; {@link KeyflowAudit#record(Builder)} sets its id and time.
	 */
	public static final class Builder {

		private final String action;

		private final String actorId;

		private String actorName;

		private String tenantId;

		private String credentialId;

		private String credentialKey;

		private String subject;

		private String outcome = SUCCESS;

		private String errorCode;

		private String onBehalfOf;

		private Builder(String action, String actorId) {
			this.action = action;
			this.actorId = actorId;
		}

		public Builder actorName(String actorName) {
			this.actorName = actorName;
			return this;
		}

		public Builder tenantId(String tenantId) {
			this.tenantId = tenantId;
			return this;
		}

		/**
		 * @param credentialId the credential's id
		 * @param credentialKey its key, or {@code null}
		 * @return this builder
		 */
		public Builder credential(String credentialId, String credentialKey) {
			this.credentialId = credentialId;
			this.credentialKey = credentialKey;
			return this;
		}

		public Builder subject(String subject) {
			this.subject = subject;
			return this;
		}

		/**
		 * @param errorCode the failure's stable code, or {@code null}
		 * @return this builder, for a failed event
		 */
		public Builder failure(String errorCode) {
			this.outcome = FAILURE;
			this.errorCode = errorCode;
			return this;
		}

		public Builder onBehalfOf(String onBehalfOf) {
			this.onBehalfOf = onBehalfOf;
			return this;
		}

		AuditRecord build(String id, Instant at) {
			return new AuditRecord(id, at, this.actorId, this.actorName, this.tenantId, this.action, this.credentialId,
					this.credentialKey, this.subject, this.outcome, this.errorCode, this.onBehalfOf);
		}

	}

}
