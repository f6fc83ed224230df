package io.keyflow.actions.internal;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The actions' JSON reading and writing, on one shared Jackson mapper. Parsed JSON is plain Java: maps, lists,
 * strings, numbers, booleans and {@code null}.
 */
public final class Json {

	private static final ObjectMapper MAPPER = new ObjectMapper()
		// big numbers stay exact instead of turning into doubles
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

	private Json() {
	}

	/**
	 * @param value maps, lists and scalars
	 * @return the JSON text
	 */
	public static String write(Object value) {
		try {
			return MAPPER.writeValueAsString(value);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON", ex);
		}
	}

	/**
	 * @param text JSON text
	 * @return the parsed value
	 * @throws IOException when the text is not JSON
	 */
	public static Object read(String text) throws IOException {
		return MAPPER.readValue(text, Object.class);
	}

	/**
	 * @param text JSON text
	 * @return the parsed value, or {@code null} when the text is empty or not JSON
	 */
	public static Object readOrNull(String text) {
		if (text == null || text.isBlank()) {
			return null;
		}
		try {
			return read(text);
		}
		catch (IOException ex) {
			return null;
		}
	}

	static Map<String, Object> readObject(String text) throws IOException {
		return MAPPER.readValue(text, new TypeReference<Map<String, Object>>() {
		});
	}

	static List<Object> readArray(String text) throws IOException {
		return MAPPER.readValue(text, new TypeReference<List<Object>>() {
		});
	}

	/**
	 * @param json a parsed JSON object, or anything else
	 * @param path field names to follow
	 * @return the value at the path, or {@code null} when any step is missing or not an object
	 */
	public static Object at(Object json, String... path) {
		Object current = json;
		for (String name : path) {
			if (!(current instanceof Map<?, ?> map)) {
				return null;
			}
			current = map.get(name);
		}
		return current;
	}

	/**
	 * @param json a parsed JSON object
	 * @param path field names to follow
	 * @return the value at the path as text, or {@code null}
	 */
	public static String textAt(Object json, String... path) {
		Object value = at(json, path);
		return (value == null || value instanceof Map || value instanceof List) ? null : value.toString();
	}

	/**
	 * @param json a parsed JSON object
	 * @param path field names to follow
	 * @return the integral value at the path, or {@code null}
	 */
	public static Long longAt(Object json, String... path) {
		return (at(json, path) instanceof Number number) ? number.longValue() : null;
	}

}
