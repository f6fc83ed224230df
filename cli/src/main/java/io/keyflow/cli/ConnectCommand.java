package io.keyflow.cli;

import io.keyflow.client.OAuth2Connections.AuthorizationStart;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code keyflow connect PROVIDER}: starts an OAuth2 connection and prints the URL to open. */
@Command(name = "connect", mixinStandardHelpOptions = true,
		description = { "Start an OAuth2 connection and print the authorization URL (only the URL, one line).",
				"Open it in a browser and log in at the provider; Keyflow stores the credential when the provider "
						+ "sends the browser back." })
final class ConnectCommand implements Runnable {

	@ParentCommand
	KeyflowCommand keyflow;

	@Spec
	CommandSpec spec;

	@Parameters(paramLabel = "PROVIDER", description = "The provider id, e.g. github.")
	String provider;

	@Option(names = "--principal", description = "The user the connection is for (needs an admin key).")
	String principal;

	@Option(names = "--key", description = "The key of the credential to store (UPPER_SNAKE_CASE).")
	String key;

	@Override
	public void run() {
		if (this.principal == null && this.key == null) {
			throw new ExitCodes.UsageException("name --key KEY for a shared connection, or --principal USER for a "
					+ "user's own");
		}
		AuthorizationStart start = this.keyflow.client().oauth2().start(this.provider, this.key, this.principal);
		Output.line(this.spec, start.authorizationUrl().toString());
	}

}
