package io.keyflow.client;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/** Reading the server's JSON answers leniently: an absent or null member is {@code null} or empty. */
final class Json {

	private Json() {
	}

	static String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value == null || value.isNull()) ? null : value.asText();
	}

	static boolean bool(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return value != null && value.asBoolean();
	}

	static Instant instant(JsonNode node, String field) {
		String value = text(node, field);
		return (value != null) ? Instant.parse(value) : null;
	}

	static Set<String> strings(JsonNode node, String field) {
		Set<String> strings = new LinkedHashSet<>();
		JsonNode value = node.get(field);
		if (value != null) {
			value.forEach((element) -> strings.add(element.asText()));
		}
		return strings;
	}

	static Map<String, String> stringMap(JsonNode node, String field) {
		Map<String, String> map = new LinkedHashMap<>();
		JsonNode value = node.get(field);
		if (value != null) {
			value.fields().forEachRemaining((member) -> map.put(member.getKey(), member.getValue().asText()));
		}
		return map;
	}

	/** @return the members as plain Java values (String, Number, Boolean, null, List, Map) */
	static Map<String, Object> objectMap(JsonNode node, String field) {
		JsonNode value = node.get(field);
		if (value == null || !value.isObject()) {
			return new LinkedHashMap<>();
		}
		Map<String, Object> map = new LinkedHashMap<>();
		value.fields().forEachRemaining((member) -> map.put(member.getKey(), plain(member.getValue())));
		return map;
	}

	static Object plain(JsonNode value) {
		if (value.isObject()) {
			Map<String, Object> map = new LinkedHashMap<>();
			value.fields().forEachRemaining((member) -> map.put(member.getKey(), plain(member.getValue())));
			return map;
		}
		if (value.isArray()) {
			List<Object> list = new ArrayList<>();
			value.forEach((element) -> list.add(plain(element)));
			return list;
		}
		if (value.isNumber()) {
			return value.numberValue();
		}
		if (value.isBoolean()) {
			return value.booleanValue();
		}
		return value.isNull() ? null : value.asText();
	}

	static <T> Page<T> page(JsonNode node, java.util.function.Function<JsonNode, T> item) {
		List<T> items = new ArrayList<>();
		node.path("items").forEach((element) -> items.add(item.apply(element)));
		return new Page<>(items, node.path("offset").asInt(), node.path("limit").asInt(items.size()),
				node.path("hasMore").asBoolean());
	}

}
