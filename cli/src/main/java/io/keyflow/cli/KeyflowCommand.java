package io.keyflow.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.util.Map;

import io.keyflow.client.KeyflowClient;
import io.keyflow.client.KeyflowClientException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code keyflow}: Keyflow's REST API from a shell. Reads {@code KEYFLOW_URL} and {@code KEYFLOW_API_KEY} from the
 * environment (the key never as an argument, where {@code ps} would show it). Results go to stdout, one line per
 * item; errors to stderr as one line {@code keyflow: <message>}, with the exit codes of {@link ExitCodes}.
 */
@Command(name = "keyflow", mixinStandardHelpOptions = true, versionProvider = KeyflowCommand.Version.class,
		description = "Keyflow credentials, connections and keys from a shell.%n"
				+ "Environment: KEYFLOW_URL (the application's base URL, e.g. http://localhost:8080) and "
				+ "KEYFLOW_API_KEY (an API key, sent as a bearer token).",
		footer = { "%nExit codes: 0 ok, 1 usage or invalid input, 2 not found, 3 refused (conflict, read-only store), "
				+ "4 not authenticated or not allowed, 5 server error or unreachable." },
		subcommands = { CredentialCommand.class, ConnectCommand.class, KeysCommand.class, RequestCommand.class })
public final class KeyflowCommand implements Runnable {

	@Option(names = "--url", description = "The application's base URL (default: $KEYFLOW_URL).")
	String url;

	private final Map<String, String> environment;

	KeyflowCommand(Map<String, String> environment) {
		this.environment = environment;
	}

	public static void main(String[] args) {
		System.exit(run(System.getenv(), args));
	}

	static int run(Map<String, String> environment, String... args) {
		CommandLine commandLine = new CommandLine(new KeyflowCommand(environment));
		PrintWriter err = commandLine.getErr();
		commandLine.setParameterExceptionHandler((ex, arguments) -> {
			err.println("keyflow: " + ex.getMessage());
			err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
			return ExitCodes.USAGE;
		});
		commandLine.setExecutionExceptionHandler((ex, line, parsed) -> {
			KeyflowClientException client = KeyflowClientException.of(ex);
			String code = (client != null && client.getCode() != null) ? " [" + client.getStatus() + " "
					+ client.getCode() + "]" : "";
			line.getErr().println("keyflow: " + ex.getMessage() + code);
			return ExitCodes.of(ex);
		});
		return commandLine.execute(args);
	}

	@Override
	public void run() {
		throw new CommandLine.ParameterException(new CommandLine(this), "name a command: credential, connect, keys or request");
	}

	/**
	 * @return a client for KEYFLOW_URL (or --url) and KEYFLOW_API_KEY
	 * @throws ExitCodes.UsageException if no URL is set or it is not an http(s) URL
	 */
	KeyflowClient client() {
		String base = (this.url != null) ? this.url : this.environment.get("KEYFLOW_URL");
		if (base == null || base.isBlank()) {
			throw new ExitCodes.UsageException("set KEYFLOW_URL to the application's base URL, e.g. "
					+ "export KEYFLOW_URL=http://localhost:8080");
		}
		String apiKey = this.environment.get("KEYFLOW_API_KEY");
		try {
			return KeyflowClient.builder(URI.create(base.trim()))
				.apiKey((apiKey != null && !apiKey.isBlank()) ? apiKey.trim() : null)
				.build();
		}
		catch (IllegalArgumentException ex) {
			throw new ExitCodes.UsageException("KEYFLOW_URL must be an http or https URL with a host, e.g. "
					+ "http://localhost:8080");
		}
	}

	/** The version from the jar's manifest. */
	static final class Version implements CommandLine.IVersionProvider {

		@Override
		public String[] getVersion() {
			String version = KeyflowCommand.class.getPackage().getImplementationVersion();
			return new String[] { "keyflow " + ((version != null) ? version : "(development build)") };
		}

	}

}
