package io.keyflow.cli;

import java.io.PrintWriter;

import io.keyflow.client.CredentialRequestDetails;
import io.keyflow.client.KeyflowClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code keyflow request list|get|reject}: credential requests, what failing tasks wait for. */
@Command(name = "request", mixinStandardHelpOptions = true,
		description = "Credential requests: what failing tasks wait for. Fulfil one by storing the credential it "
				+ "asks for (the web page, or POST /api/credentials/requests/{id}/fulfil).",
		subcommands = { RequestCommand.List.class, RequestCommand.Get.class, RequestCommand.Reject.class })
final class RequestCommand extends CommandGroup {


	@Command(name = "list", mixinStandardHelpOptions = true,
			description = { "List credential requests, newest first, one per line: id, status, the key or service "
					+ "wanted, principal, accepted types, waiting jobs (tab-separated, - for none). Needs a viewer key." })
	static final class List implements Runnable {

		@ParentCommand
		RequestCommand parent;

		@Spec
		CommandSpec spec;

		@Option(names = "--status", defaultValue = "OPEN",
				description = "OPEN (default), FULFILLED, REJECTED or ALL.")
		String status;

		@Option(names = "--principal", description = "Only requests for this principal's credential.")
		String principal;

		@Option(names = "--provider", description = "Only requests for this provider or service.")
		String provider;

		@Option(names = "--limit", defaultValue = "200", description = "At most this many, 1 to 200 (default 200).")
		int limit;

		@Override
		public void run() {
			CredentialRequestDetails.Status wanted = status(this.status);
			PrintWriter out = this.spec.commandLine().getOut();
			this.parent.client()
				.requests()
				.list(wanted, this.principal, this.provider, 0, this.limit)
				.items()
				.forEach((item) -> out.println(String.join("\t", item.id(), item.status().name(),
						text((item.key() != null) ? item.key() : item.service()), text(item.principalId()),
						item.types().isEmpty() ? "-" : String.join(",", new java.util.TreeSet<>(item.types())),
						item.jobIds().size() + " jobs")));
			out.flush();
		}

		private static CredentialRequestDetails.Status status(String status) {
			if ("ALL".equalsIgnoreCase(status)) {
				return null;
			}
			for (CredentialRequestDetails.Status candidate : CredentialRequestDetails.Status.values()) {
				if (candidate.name().equalsIgnoreCase(status)) {
					return candidate;
				}
			}
			throw new ExitCodes.UsageException("--status must be OPEN, FULFILLED, REJECTED or ALL");
		}

		private static String text(String value) {
			return (value != null) ? value : "-";
		}

	}

	@Command(name = "get", mixinStandardHelpOptions = true,
			description = "Show a credential request as JSON: what is wanted, by which task, its jobs and incidents "
					+ "(never a secret).")
	static final class Get implements Runnable {

		@ParentCommand
		RequestCommand parent;

		@Spec
		CommandSpec spec;

		@Parameters(paramLabel = "ID", description = "The request's id.")
		String id;

		@Override
		public void run() {
			Output.json(this.spec, this.parent.client().requests().get(this.id)
				.orElseThrow(() -> new CredentialCommand.CliNotFound("no credential request " + this.id)));
		}

	}

	@Command(name = "reject", mixinStandardHelpOptions = true,
			description = "Reject a credential request: its jobs keep their incidents; the reason is audited. "
					+ "Prints ID<TAB>rejected. Needs an editor key.")
	static final class Reject implements Runnable {

		@ParentCommand
		RequestCommand parent;

		@Spec
		CommandSpec spec;

		@Parameters(paramLabel = "ID", description = "The request's id.")
		String id;

		@Option(names = "--reason", required = true, description = "Why (1 to 1000 printable characters).")
		String reason;

		@Override
		public void run() {
			CredentialRequestDetails rejected = this.parent.client().requests().reject(this.id, this.reason);
			Output.line(this.spec, rejected.id() + "\trejected");
		}

	}

}
