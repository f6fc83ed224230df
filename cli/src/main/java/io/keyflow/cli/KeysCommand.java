package io.keyflow.cli;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import io.keyflow.api.CredentialNotFoundException;
import io.keyflow.client.KeyOperation;
import io.keyflow.client.KeyflowClientException;
import io.keyflow.client.KeyringStatus;
import io.keyflow.client.KeyringStatus.EncryptionKey;
import io.keyflow.client.Keys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code keyflow keys generate|status|re-encrypt}. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Encryption keys.",
		subcommands = { KeysCommand.Generate.class, KeysCommand.Status.class, KeysCommand.ReEncrypt.class })
final class KeysCommand extends CommandGroup {


	@Command(name = "generate", mixinStandardHelpOptions = true,
			description = { "Print a new AES-256 key: 44 base64 characters and a line break, nothing else.",
					"export KEYFLOW_ENCRYPTION_KEY=$(keyflow keys generate)" })
	static final class Generate implements Runnable {

		@Spec
		CommandSpec spec;

		@Override
		public void run() {
			// as the engine's GenerateKey: 32 random bytes, standard base64 (no server needed)
			byte[] key = new byte[32];
			new SecureRandom().nextBytes(key);
			this.spec.commandLine().getOut().print(Base64.getEncoder().encodeToString(key) + "\n");
			this.spec.commandLine().getOut().flush();
		}

	}

	@Command(name = "status", mixinStandardHelpOptions = true,
			description = { "Show the server's keyring, one line per key: its id, whether it is the primary key, "
					+ "and how many rows it encrypts; then the rows not under the primary key and the last "
					+ "re-encryption. Never key material. Needs an unbound admin key." })
	static final class Status implements Runnable {

		@ParentCommand
		KeysCommand parent;

		@Spec
		CommandSpec spec;

		@Override
		public void run() {
			KeyringStatus status = olderServer(() -> this.parent.keyflow.client().keys().status());
			EncryptionKey primary = status.primary();
			Output.line(this.spec, "primary key: " + ((primary != null) ? primary.id() : "(none)"));
			for (EncryptionKey key : status.keys()) {
				Output.line(this.spec, "key " + key.id() + (key.primary() ? " (primary)" : "")
						+ (key.inKeyring() ? "" : " (NOT in the keyring)") + ": " + key.total() + " rows ("
						+ key.credentials() + " credentials, " + key.oauth2Clients() + " OAuth2 clients, "
						+ key.oauth2Flows() + " OAuth2 flows)"
						+ ((key.description() != null) ? "; " + key.description() : ""));
			}
			Output.line(this.spec, "rows not under the primary key: " + status.remaining());
			Output.line(this.spec, "last re-encryption: "
					+ ((status.reEncryption() != null) ? progress(status.reEncryption()) : "none"));
		}

	}

	@Command(name = "re-encrypt", mixinStandardHelpOptions = true,
			description = { "Start moving every row to the primary key, the step before an old key can be removed "
					+ "from KEYFLOW_ENCRYPTION_KEY. The server runs it in the background; this prints its state "
					+ "after the start (or resumes an interrupted run; a running one is left running).",
					"With --wait, print its progress until it ends: exit 0 when DONE, 5 when it ends FAILED or "
							+ "INTERRUPTED or is still running after --timeout. Needs an unbound admin key." })
	static final class ReEncrypt implements Runnable {

		@ParentCommand
		KeysCommand parent;

		@Spec
		CommandSpec spec;

		@Option(names = "--wait", description = "Wait until the re-encryption ends, printing its progress.")
		boolean await;

		@Option(names = "--timeout", defaultValue = "600", paramLabel = "SECONDS",
				description = "How long --wait waits (default: ${DEFAULT-VALUE} seconds).")
		long timeoutSeconds;

		@Option(names = "--interval", defaultValue = "1000", paramLabel = "MILLISECONDS", hidden = true,
				description = "How often --wait asks for the progress.")
		long intervalMillis;

		@Override
		public void run() {
			if (this.timeoutSeconds <= 0 || this.intervalMillis <= 0) {
				throw new ExitCodes.UsageException("--timeout and --interval must be positive");
			}
			Keys keys = this.parent.keyflow.client().keys();
			KeyOperation operation = olderServer(keys::reEncrypt);
			Output.line(this.spec, "re-encryption " + progress(operation));
			if (!this.await) {
				return;
			}
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(this.timeoutSeconds);
			while (operation.running()) {
				if (System.nanoTime() - deadline > 0) {
					throw new IllegalStateException("re-encryption still RUNNING after " + this.timeoutSeconds
							+ " seconds; it goes on in the server: see keyflow keys status");
				}
				pause(this.intervalMillis);
				KeyOperation next = keys.reEncryption().orElse(operation);
				if (next.processed() != operation.processed() || !next.state().equals(operation.state())) {
					Output.line(this.spec, "re-encryption " + progress(next));
				}
				operation = next;
			}
			if (!operation.done()) {
				throw new IllegalStateException("re-encryption ended " + operation.state()
						+ ((operation.error() != null) ? ": " + operation.error() : "")
						+ "; start it again with keyflow keys re-encrypt");
			}
		}

		private static void pause(long millis) {
			try {
				Thread.sleep(millis);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("interrupted while waiting for the re-encryption", ex);
			}
		}

	}

	/** @return e.g. {@code DONE: 12 rows moved, 0 remaining} */
	static String progress(KeyOperation operation) {
		return operation.state() + ": " + operation.processed() + " rows moved"
				+ ((operation.remaining() != null) ? ", " + operation.remaining() + " remaining" : "")
				+ ((operation.error() != null) ? "; " + operation.error() : "");
	}

	// a server without the key endpoints answers 404 (GET /keys even reads as "no credential keys")
	private static <T> T olderServer(java.util.function.Supplier<T> call) {
		try {
			return call.get();
		}
		catch (RuntimeException ex) {
			KeyflowClientException client = KeyflowClientException.of(ex);
			if (ex instanceof CredentialNotFoundException || (client != null && client.getStatus() == 404)) {
				throw new KeyflowClientException(404, "NOT_FOUND", null, "this Keyflow server has no key endpoints "
						+ "(/api/credentials/keys); upgrade it, or use the engine's own key rotation steps in "
						+ "docs/operations.md", ex);
			}
			throw ex;
		}
	}

}
