package io.keyflow.starter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The README's application: each fenced block that follows a {@code <!-- readme-app: PATH -->} marker, by PATH,
 * with the list indentation removed.
 */
final class ReadmeSnippets {

	private static final Pattern SNIPPET = Pattern.compile(
			"<!-- readme-app: (\\S+) -->\\s*\\n([ \\t]*)```[a-z]*\\n(.*?)\\n[ \\t]*```", Pattern.DOTALL);

	private ReadmeSnippets() {
	}

	/** @return the snippets by path, in README order */
	static Map<String, String> read() {
		// the tests run in the module's directory; the README is the repository's
		Path readme = Path.of("..", "README.md");
		String text;
		try {
			text = Files.readString(readme, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Map<String, String> snippets = new LinkedHashMap<>();
		Matcher matcher = SNIPPET.matcher(text);
		while (matcher.find()) {
			String indent = matcher.group(2);
			String body = matcher.group(3).replaceAll("(?m)^" + Pattern.quote(indent), "");
			snippets.put(matcher.group(1), body + "\n");
		}
		return snippets;
	}

}
