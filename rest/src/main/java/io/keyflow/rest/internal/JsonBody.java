package io.keyflow.rest.internal;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Reads the fields of a JSON request body strictly: the body must be an object, every field must be known, and
 * every field must have its JSON type (no coercion of numbers into strings). Error messages name fields, never
 * their values.
 */
final class JsonBody {

	private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");

	private final JsonNode node;

	private JsonBody(JsonNode node) {
		this.node = node;
	}

	/**
	 * Parses strictly, whatever the host application configured for its own ObjectMapper: trailing content and
	 * duplicate fields are refused, so no two readers of one body can see different requests.
	 */
	private static final ObjectMapper STRICT = JsonMapper.builder()
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.build();

	/**
	 * @param raw the request body
	 * @param allowed the fields the endpoint takes
	 * @return the body
	 * @throws RestException BAD_REQUEST if the body is not one JSON object or has an unknown field
	 */
	static JsonBody parse(byte[] raw, Set<String> allowed) {
		JsonNode node;
		try {
			node = (raw != null && raw.length > 0) ? STRICT.readTree(raw) : null;
		}
		catch (IOException ex) {
			// the parser's message may quote the body: not passed on
			throw RestException.badRequest("body", "the body must be one well-formed JSON object (application/json, UTF-8)");
		}
		return of(node, allowed);
	}

	/**
	 * @param node the parsed body
	 * @param allowed the fields the endpoint takes
	 * @return the body
	 * @throws RestException BAD_REQUEST if the body is not an object or has an unknown field
	 */
	static JsonBody of(JsonNode node, Set<String> allowed) {
		if (node == null || !node.isObject()) {
			throw RestException.badRequest("body", "the body must be a JSON object");
		}
		for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
			String name = names.next();
			if (!allowed.contains(name)) {
				String shown = FIELD_NAME.matcher(name).matches() ? "'" + name + "'" : "a field";
				throw RestException.badRequest(FIELD_NAME.matcher(name).matches() ? name : "body",
						"the body has " + shown + " this endpoint does not take; it takes: " + String.join(", ", allowed));
			}
		}
		return new JsonBody(node);
	}

	boolean has(String field) {
		JsonNode value = this.node.get(field);
		return value != null && !value.isNull();
	}

	/**
	 * @return the string, or {@code null} when absent or JSON null
	 */
	String text(String field) {
		JsonNode value = this.node.get(field);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isTextual()) {
			throw wrongType(field, "a string");
		}
		return value.textValue();
	}

	String requiredText(String field) {
		String value = text(field);
		if (value == null || value.isBlank()) {
			throw RestException.badRequest(field, field + " is required");
		}
		return value;
	}

	boolean bool(String field, boolean fallback) {
		JsonNode value = this.node.get(field);
		if (value == null || value.isNull()) {
			return fallback;
		}
		if (!value.isBoolean()) {
			throw wrongType(field, "true or false");
		}
		return value.booleanValue();
	}

	/**
	 * @return the strings of an array; empty when absent
	 */
	Set<String> strings(String field) {
		JsonNode value = this.node.get(field);
		Set<String> strings = new LinkedHashSet<>();
		if (value == null || value.isNull()) {
			return strings;
		}
		if (!value.isArray()) {
			throw wrongType(field, "an array of strings");
		}
		for (JsonNode element : value) {
			if (!element.isTextual()) {
				throw wrongType(field, "an array of strings");
			}
			strings.add(element.textValue());
		}
		return strings;
	}

	/**
	 * @return the string members of an object; empty when absent
	 */
	Map<String, String> stringMap(String field) {
		JsonNode value = this.node.get(field);
		Map<String, String> map = new LinkedHashMap<>();
		if (value == null || value.isNull()) {
			return map;
		}
		if (!value.isObject()) {
			throw wrongType(field, "an object of string values");
		}
		for (Iterator<Map.Entry<String, JsonNode>> members = value.fields(); members.hasNext();) {
			Map.Entry<String, JsonNode> member = members.next();
			if (!member.getValue().isTextual()) {
				throw wrongType(field, "an object of string values");
			}
			map.put(member.getKey(), member.getValue().textValue());
		}
		return map;
	}

	/**
	 * @return the member as it was sent, or {@code null} when absent
	 */
	JsonNode node(String field) {
		return this.node.get(field);
	}

	/**
	 * @return the members of an array; empty when absent
	 */
	java.util.List<JsonNode> array(String field) {
		JsonNode value = this.node.get(field);
		if (value == null || value.isNull()) {
			return java.util.List.of();
		}
		if (!value.isArray()) {
			throw wrongType(field, "an array");
		}
		java.util.List<JsonNode> elements = new java.util.ArrayList<>();
		value.forEach(elements::add);
		return elements;
	}

	Instant instant(String field) {
		String value = text(field);
		if (value == null) {
			return null;
		}
		try {
			return Instant.parse(value);
		}
		catch (DateTimeParseException ex) {
			throw RestException.badRequest(field, field + " must be an ISO-8601 instant, e.g. 2030-01-31T12:00:00Z");
		}
	}

	private static RestException wrongType(String field, String expected) {
		return RestException.badRequest(field, field + " must be " + expected);
	}

}
