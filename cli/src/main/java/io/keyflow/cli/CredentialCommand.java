package io.keyflow.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

import io.keyflow.api.CredentialNotFoundException;
import io.keyflow.api.CredentialQuery;
import io.keyflow.api.CredentialType;
import io.keyflow.client.CredentialDetails;
import io.keyflow.client.KeyflowClient;
import io.keyflow.client.NewCredential;
import io.keyflow.client.SavedCredential;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code keyflow credential set|list|get|delete}. */
@Command(name = "credential", mixinStandardHelpOptions = true, description = "Store, list, show and delete credentials.",
		subcommands = { CredentialCommand.Set.class, CredentialCommand.ListCredentials.class, CredentialCommand.Get.class,
				CredentialCommand.Delete.class })
final class CredentialCommand extends CommandGroup {


	static CredentialDetails byKey(KeyflowClient client, String key) {
		return client.credentials()
			.findByKey(key)
			.orElseThrow(() -> new CliNotFound("no credential with key " + key));
	}

	@Command(name = "set", mixinStandardHelpOptions = true,
			description = { "Create or replace credentials by key, all or none (one atomic batch).",
					"KEY=- reads the value from stdin, KEY=@file from a file (one trailing line break dropped). "
							+ "Values are never printed." })
	static final class Set implements Runnable {

		@ParentCommand
		CredentialCommand parent;

		@Spec
		CommandSpec spec;

		@Option(names = "--type", defaultValue = "static",
				description = "static (default) or api_key.")
		String type;

		@Option(names = "--service", description = "The service the credentials are for (e.g. openai).")
		String service;

		@Parameters(arity = "1..*", paramLabel = "KEY=VALUE", description = "UPPER_SNAKE_CASE key and its secret.")
		List<String> assignments;

		@Override
		public void run() {
			CredentialType credentialType = CredentialType.fromWireName(this.type);
			if (credentialType != CredentialType.STATIC && credentialType != CredentialType.API_KEY) {
				throw new ExitCodes.UsageException("--type must be static or api_key");
			}
			List<NewCredential> credentials = Assignment.parse(this.assignments, System.in).stream()
				.map((assignment) -> ((credentialType == CredentialType.API_KEY)
						? NewCredential.apiKey(assignment.key(), assignment.value())
						: NewCredential.staticValue(assignment.key(), assignment.value())).service(this.service).build())
				.toList();
			List<SavedCredential> saved = this.parent.client().credentials().saveAll(credentials);
			PrintWriter out = this.spec.commandLine().getOut();
			saved.forEach((item) -> out.println(item.credential().key() + "\t" + (item.created() ? "created" : "updated")));
			out.flush();
		}

	}

	@Command(name = "list", mixinStandardHelpOptions = true,
			description = "List credentials, one per line: key, type, service, principal, status, id (tab-separated).")
	static final class ListCredentials implements Runnable {

		@ParentCommand
		CredentialCommand parent;

		@Spec
		CommandSpec spec;

		@Option(names = "--service", description = "Only credentials of this service.")
		String service;

		@Option(names = "--principal", description = "Only credentials of this principal.")
		String principal;

		@Option(names = "--limit", defaultValue = "200", description = "At most this many, 1 to 200 (default 200).")
		int limit;

		@Override
		public void run() {
			PrintWriter out = this.spec.commandLine().getOut();
			this.parent.client()
				.credentials()
				.list(new CredentialQuery(null, this.principal, this.service, null, null, 0, this.limit))
				.items()
				.forEach((item) -> out.println(String.join("\t", text(item.key()), item.type().wireName(),
						text(item.service()), text(item.principalId()), text(item.status()), item.id())));
			out.flush();
		}

		private static String text(String value) {
			return (value != null) ? value : "-";
		}

	}

	@Command(name = "get", mixinStandardHelpOptions = true,
			description = "Show a credential's metadata as JSON (never its secret).")
	static final class Get implements Runnable {

		@ParentCommand
		CredentialCommand parent;

		@Spec
		CommandSpec spec;

		@Parameters(paramLabel = "KEY", description = "The credential's key.")
		String key;

		@Override
		public void run() {
			CredentialDetails found = byKey(this.parent.client(), this.key);
			Map<String, Object> json = new java.util.LinkedHashMap<>();
			json.put("id", found.id());
			json.put("key", found.key());
			json.put("name", found.name());
			json.put("type", found.type().wireName());
			json.put("service", found.service());
			json.put("principalId", found.principalId());
			json.put("tenantId", found.tenantId());
			json.put("status", found.status());
			json.put("scopes", found.scopes());
			json.put("tokenExpiresAt", text(found.tokenExpiresAt()));
			json.put("metadata", found.metadata());
			json.put("allowedProcesses", found.policy().allowedProcesses());
			json.put("allowedOrigins", found.policy().allowedOrigins());
			json.put("sealed", found.policy().sealed());
			json.put("createdAt", text(found.createdAt()));
			json.put("updatedAt", text(found.updatedAt()));
			Output.json(this.spec, json);
		}

		private static String text(Object value) {
			return (value != null) ? value.toString() : null;
		}

	}

	@Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a credential by key.")
	static final class Delete implements Runnable {

		@ParentCommand
		CredentialCommand parent;

		@Spec
		CommandSpec spec;

		@Parameters(paramLabel = "KEY", description = "The credential's key.")
		String key;

		@Override
		public void run() {
			KeyflowClient client = this.parent.client();
			CredentialDetails found = byKey(client, this.key);
			if (!client.credentials().delete(found.id())) {
				throw new CliNotFound("no credential with key " + this.key);
			}
			Output.line(this.spec, this.key + "\tdeleted");
		}

	}

	/** "Not found" found by the CLI itself (a key no credential has): exit code 2 like a 404. */
	static final class CliNotFound extends CredentialNotFoundException {

		private static final long serialVersionUID = 1L;

		CliNotFound(String message) {
			super(message);
			initCause(new io.keyflow.client.KeyflowClientException(404, "NOT_FOUND", "key", message, null));
		}

	}

}
