package io.keyflow.architecture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README and the reference in {@code docs/}: every relative link points to a file that exists and, with a
 * {@code #fragment}, to a heading in it, so moving a section cannot leave a dead link behind.
 */
class DocumentationLinksTests {

	static final Path ROOT = Path.of("..");

	static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

	static final Pattern HEADING = Pattern.compile("^#{1,6} (.+)$", Pattern.MULTILINE);

	@Test
	void linksWhenFollowedThenEveryFileAndHeadingExists() throws IOException {
		List<String> dead = new ArrayList<>();
		List<Path> documents = new ArrayList<>();
		documents.add(ROOT.resolve("README.md"));
		try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
			docs.filter((file) -> file.toString().endsWith(".md")).sorted().forEach(documents::add);
		}
		for (Path document : documents) {
			Matcher link = LINK.matcher(withoutCode(Files.readString(document)));
			while (link.find()) {
				String target = link.group(1);
				if (target.matches("^[a-z]+:.*") || target.startsWith("<")) {
					continue;
				}
				int hash = target.indexOf('#');
				String file = (hash < 0) ? target : target.substring(0, hash);
				Path resolved = file.isEmpty() ? document : document.getParent().resolve(file).normalize();
				if (!Files.exists(resolved)) {
					dead.add(document.getFileName() + ": " + target + " (no such file)");
				}
				else if (hash >= 0 && resolved.toString().endsWith(".md")
						&& !anchors(Files.readString(resolved)).contains(target.substring(hash + 1))) {
					dead.add(document.getFileName() + ": " + target + " (no such heading)");
				}
			}
		}
		assertThat(documents).hasSizeGreaterThan(5);
		assertThat(dead).isEmpty();
	}

	private static Set<String> anchors(String markdown) {
		Set<String> anchors = new HashSet<>();
		Matcher heading = HEADING.matcher(withoutCode(markdown));
		while (heading.find()) {
			anchors.add(heading.group(1).trim().toLowerCase(Locale.ROOT).replaceAll("[^\\w\\- ]", "").replace(' ', '-'));
		}
		return anchors;
	}

	private static String withoutCode(String markdown) {
		return markdown.replaceAll("(?s)```.*?```", "");
	}

}
