package io.keyflow.architecture;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration reference ({@code docs/configuration.md}) against the {@code @ConfigurationProperties} of
 * every module (the metadata Spring Boot's configuration processor writes into each jar): every property is
 * documented, no documented property is gone, and a documented default is the one the code has.
 */
class ConfigurationReferenceTests {

	static final Path REFERENCE = Path.of("..", "docs", "configuration.md");

	/** A table row: | `keyflow.name` | default | meaning |. */
	static final Pattern ROW = Pattern.compile("^\\|\\s*`(keyflow\\.[a-z0-9.<>\\-]+)`[^|]*\\|\\s*([^|]*?)\\s*\\|", Pattern.MULTILINE);

	@Test
	void referenceWhenComparedWithTheMetadataThenEveryPropertyAndNoOtherIsDocumented() throws IOException {
		Map<String, JsonNode> properties = metadata();
		Map<String, String> documented = documented();
		assertThat(properties).as("properties in the metadata").isNotEmpty();

		Set<String> undocumented = new TreeSet<>();
		for (Map.Entry<String, JsonNode> property : properties.entrySet()) {
			String name = property.getKey();
			boolean map = property.getValue().path("type").asText().startsWith("java.util.Map");
			if (!documented.containsKey(name)
					&& !(map && documented.keySet().stream().anyMatch((doc) -> doc.startsWith(name + ".")))) {
				undocumented.add(name);
			}
		}
		Set<String> unknown = new TreeSet<>();
		for (String name : documented.keySet()) {
			if (!properties.containsKey(name) && properties.entrySet()
				.stream()
				.noneMatch((p) -> p.getValue().path("type").asText().startsWith("java.util.Map")
						&& name.startsWith(p.getKey() + "."))) {
				unknown.add(name);
			}
		}

		assertThat(undocumented).as("properties missing from " + REFERENCE).isEmpty();
		assertThat(unknown).as("documented properties the code does not have").isEmpty();
	}

	@Test
	void referenceWhenAPropertyHasADefaultThenTheDocumentedDefaultIsThatValue() throws IOException {
		Map<String, JsonNode> properties = metadata();
		Map<String, String> documented = documented();
		Map<String, String> wrong = new TreeMap<>();
		properties.forEach((name, property) -> {
			JsonNode value = property.get("defaultValue");
			if (value != null && !value.isArray() && documented.containsKey(name)) {
				String expected = value.asText();
				String cell = documented.get(name).replace("`", "");
				if (!cell.equalsIgnoreCase(expected)) {
					wrong.put(name, "documented '" + cell + "', code '" + expected + "'");
				}
			}
		});
		assertThat(wrong).as("defaults in " + REFERENCE).isEmpty();
	}

	private static Map<String, JsonNode> metadata() throws IOException {
		Map<String, JsonNode> properties = new TreeMap<>();
		ObjectMapper json = new ObjectMapper();
		for (URL url : Collections.list(ConfigurationReferenceTests.class.getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json"))) {
			try (InputStream in = url.openStream()) {
				for (JsonNode property : json.readTree(in).path("properties")) {
					String name = property.path("name").asText();
					if (name.startsWith("keyflow.") && !property.has("deprecation")) {
						properties.put(name, property);
					}
				}
			}
		}
		return properties;
	}

	private static Map<String, String> documented() throws IOException {
		Map<String, String> documented = new TreeMap<>();
		Matcher row = ROW.matcher(Files.readString(REFERENCE));
		while (row.find()) {
			documented.put(row.group(1), row.group(2));
		}
		return documented;
	}

}
