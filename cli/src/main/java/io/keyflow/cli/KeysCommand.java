package io.keyflow.cli;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

import io.keyflow.api.CredentialNotFoundException;
import io.keyflow.client.KeyflowClientException;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code keyflow keys generate|status|re-encrypt}. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Encryption keys.",
		subcommands = { KeysCommand.Generate.class, KeysCommand.Status.class, KeysCommand.ReEncrypt.class })
final class KeysCommand implements Runnable {

	@ParentCommand
	KeyflowCommand keyflow;

	@Spec
	CommandSpec spec;

	@Override
	public void run() {
		throw new picocli.CommandLine.ParameterException(this.spec.commandLine(),
				"name a subcommand: generate, status or re-encrypt");
	}

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
			description = "Show the server's keyring: key ids, which is primary, and how many credentials each "
					+ "encrypts (JSON; never key material). Needs an admin key.")
	static final class Status implements Runnable {

		@ParentCommand
		KeysCommand parent;

		@Spec
		CommandSpec spec;

		@Override
		public void run() {
			Output.json(this.spec, olderServer(() -> this.parent.keyflow.client().keys().status()));
		}

	}

	@Command(name = "re-encrypt", mixinStandardHelpOptions = true,
			description = "Move every credential to the primary key, the step before an old key can be removed "
					+ "from KEYFLOW_ENCRYPTION_KEY (JSON answer). Needs an admin key.")
	static final class ReEncrypt implements Runnable {

		@ParentCommand
		KeysCommand parent;

		@Spec
		CommandSpec spec;

		@Override
		public void run() {
			Output.json(this.spec, olderServer(() -> this.parent.keyflow.client().keys().reEncrypt()));
		}

	}

	// a server without the key endpoints answers 404 (GET /keys even reads as "no credential keys")
	private static Map<String, Object> olderServer(java.util.function.Supplier<Map<String, Object>> call) {
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
