package io.keyflow.cli;

import java.util.ArrayList;
import java.util.List;

import io.keyflow.client.KeyflowClient;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A command that only groups subcommands ({@code credential}, {@code keys}, {@code request}): run on its own it is
 * a usage error naming its subcommands; its subcommands reach the client through it.
 */
abstract class CommandGroup implements Runnable {

	@ParentCommand
	KeyflowCommand keyflow;

	@Spec
	CommandSpec spec;

	@Override
	public void run() {
		List<String> names = new ArrayList<>(this.spec.subcommands().keySet());
		String last = names.remove(names.size() - 1);
		throw new ParameterException(this.spec.commandLine(),
				"name a subcommand: " + (names.isEmpty() ? last : String.join(", ", names) + " or " + last));
	}

	/** @return the client for the URL and API key the command line and environment name */
	KeyflowClient client() {
		return this.keyflow.client();
	}

}
