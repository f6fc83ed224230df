package io.keyflow.rest.internal;

import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Metadata values of any JSON type over a store that keeps strings: a string is stored as it is; a number, boolean,
 * null, array or object is stored as its compact JSON text, and its name is listed in the reserved entry
 * {@value #JSON_VALUES} (a JSON array of names), so the REST answers give back the value with its JSON type. The
 * core's limits (50 entries, 8 KiB of names and values, the reserved entry included) bound the size.
 */
final class MetadataJson {

	/** The reserved metadata entry naming the entries whose value is JSON text. */
	static final String JSON_VALUES = "keyflow.jsonValues";

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final TypeReference<Set<String>> NAMES = new TypeReference<>() {
	};

	private MetadataJson() {
	}

	/**
	 * @param value the {@code metadata} member of a body, or {@code null}
	 * @param field the field name to report
	 * @return the metadata to store
	 * @throws RestException if the member is not an object or uses the reserved name
	 */
	static Map<String, String> read(JsonNode value, String field) {
		Map<String, String> metadata = new LinkedHashMap<>();
		if (value == null || value.isNull()) {
			return metadata;
		}
		if (!value.isObject()) {
			throw RestException.badRequest(field, field + " must be a JSON object");
		}
		Set<String> typed = new LinkedHashSet<>();
		for (Iterator<Map.Entry<String, JsonNode>> members = value.fields(); members.hasNext();) {
			Map.Entry<String, JsonNode> member = members.next();
			if (JSON_VALUES.equals(member.getKey())) {
				throw RestException.badRequest(field, field + " cannot have an entry named " + JSON_VALUES
						+ " (Keyflow reserves it)");
			}
			if (member.getValue().isTextual()) {
				metadata.put(member.getKey(), member.getValue().textValue());
			}
			else {
				metadata.put(member.getKey(), member.getValue().toString());
				typed.add(member.getKey());
			}
		}
		if (!typed.isEmpty()) {
			metadata.put(JSON_VALUES, text(typed));
		}
		return metadata;
	}

	/**
	 * @param metadata stored metadata
	 * @return it for a JSON answer: the listed entries as JSON values, the reserved entry left out
	 */
	static Map<String, Object> write(Map<String, String> metadata) {
		Set<String> typed = typedNames(metadata.get(JSON_VALUES));
		Map<String, Object> json = new LinkedHashMap<>();
		metadata.forEach((name, value) -> {
			if (!JSON_VALUES.equals(name)) {
				json.put(name, typed.contains(name) ? parse(value) : value);
			}
		});
		return json;
	}

	private static Set<String> typedNames(String listed) {
		if (listed == null) {
			return Set.of();
		}
		try {
			return JSON.readValue(listed, NAMES);
		}
		catch (IOException ex) {
			return Set.of();
		}
	}

	// stored by read(); a value written otherwise through the Java API stays the string it is
	private static Object parse(String value) {
		try {
			return JSON.readTree(value);
		}
		catch (IOException ex) {
			return value;
		}
	}

	private static String text(Set<String> names) {
		try {
			return JSON.writeValueAsString(names);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
