package io.keyflow.plugin.internal.audit;

import java.util.regex.Pattern;

/**
 * How a request-supplied string appears in a log line: as it is when it matches its pattern, otherwise quoted and
 * escaped, so that no value can end a line, start a forged one or hide behind control characters.
 */
public final class LogText {

	/** Printable ASCII without space, quote or backslash: shown as it is. */
	private static final Pattern PLAIN = Pattern.compile("[\\x21\\x23-\\x5b\\x5d-\\x7e]{1,255}");

	private static final int MAX_SHOWN = 64;

	private LogText() {
	}

	/**
	 * @param value a value from a request, or {@code null}
	 * @param pattern what the value should look like
	 * @return the value when it matches the pattern; otherwise the value {@linkplain #quoted quoted}
	 */
	public static String of(String value, Pattern pattern) {
		return (value == null || pattern.matcher(value).matches()) ? value : quoted(value);
	}

	/**
	 * @param value a value from a request, or {@code null}
	 * @return the value when it is plain printable ASCII; otherwise in double quotes with {@code "}, {@code \},
	 * control and non-ASCII characters escaped ({@code \n}, {@code \r}, {@code \t}, {@code \}{@code uXXXX}), cut
	 * after 64 characters
	 */
	public static String of(String value) {
		return (value == null || PLAIN.matcher(value).matches()) ? value : quoted(value);
	}

	public static String quoted(String value) {
		StringBuilder text = new StringBuilder("\"");
		int shown = Math.min(value.length(), MAX_SHOWN);
		for (int i = 0; i < shown; i++) {
			char c = value.charAt(i);
			switch (c) {
				case '"' -> text.append("\\\"");
				case '\\' -> text.append("\\\\");
				case '\n' -> text.append("\\n");
				case '\r' -> text.append("\\r");
				case '\t' -> text.append("\\t");
				default -> {
					if (c < 0x20 || c > 0x7e) {
						text.append(String.format("\\u%04x", (int) c));
					}
					else {
						text.append(c);
					}
				}
			}
		}
		return text.append((value.length() > MAX_SHOWN) ? "...\"" : "\"").toString();
	}

}
