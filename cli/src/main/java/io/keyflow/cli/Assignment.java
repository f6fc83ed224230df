package io.keyflow.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One {@code KEY=VALUE} argument of {@code credential set}: {@code KEY=-} reads the value from stdin, {@code KEY=@file}
 * from a file; one trailing line break is dropped from what is read (as {@code echo} and editors add one). Never
 * prints the value.
 *
 * @param key the credential key
 * @param value the secret
 */
record Assignment(String key, String value) {

	@Override
	public String toString() {
		return this.key + "=(redacted)";
	}

	/**
	 * @param arguments the {@code KEY=VALUE} arguments
	 * @param stdin where {@code KEY=-} reads from (at most one argument may)
	 * @return the assignments, in order
	 * @throws ExitCodes.UsageException naming the argument (by position and key, never its value)
	 */
	static List<Assignment> parse(List<String> arguments, InputStream stdin) {
		if (arguments.stream().filter((argument) -> argument.endsWith("=-")).count() > 1) {
			throw new ExitCodes.UsageException("only one KEY=- may read its value from stdin");
		}
		java.util.ArrayList<Assignment> assignments = new java.util.ArrayList<>();
		for (int i = 0; i < arguments.size(); i++) {
			String argument = arguments.get(i);
			int equals = argument.indexOf('=');
			if (equals <= 0) {
				throw new ExitCodes.UsageException("argument " + (i + 1) + " is not KEY=VALUE (KEY=- reads stdin, "
						+ "KEY=@file reads a file)");
			}
			String key = argument.substring(0, equals);
			String value = argument.substring(equals + 1);
			if (value.equals("-")) {
				value = read(stdin, key, "stdin");
			}
			else if (value.startsWith("@")) {
				Path file = Path.of(value.substring(1));
				try (InputStream in = Files.newInputStream(file)) {
					value = read(in, key, "file " + file);
				}
				catch (IOException ex) {
					throw new ExitCodes.UsageException("cannot read the value of " + key + " from file " + file + ": "
							+ ex.getClass().getSimpleName());
				}
			}
			assignments.add(new Assignment(key, value));
		}
		return assignments;
	}

	private static String read(InputStream in, String key, String source) {
		String value;
		try {
			value = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new ExitCodes.UsageException("cannot read the value of " + key + " from " + source);
		}
		if (value.endsWith("\r\n")) {
			value = value.substring(0, value.length() - 2);
		}
		else if (value.endsWith("\n")) {
			value = value.substring(0, value.length() - 1);
		}
		if (value.isEmpty()) {
			throw new ExitCodes.UsageException("the value of " + key + " from " + source + " is empty");
		}
		return value;
	}

}
