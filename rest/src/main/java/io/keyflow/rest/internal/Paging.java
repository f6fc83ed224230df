package io.keyflow.rest.internal;

/**
 * One page of a list: either {@code page} (from 0) and {@code size}, or {@code offset} and {@code limit}; not both
 * styles at once. Defaults: the first 50; at most {@value #MAX_LIMIT} per page.
 *
 * @param offset how many to skip
 * @param limit at most how many to return
 */
record Paging(int offset, int limit) {

	static final int DEFAULT_LIMIT = 50;

	static final int MAX_LIMIT = 200;

	/** The largest offset accepted; deeper pages are not a use case and would only load the database. */
	static final int MAX_OFFSET = 1_000_000;

	static Paging parse(String page, String size, String offset, String limit) {
		boolean pageStyle = page != null || size != null;
		boolean offsetStyle = offset != null || limit != null;
		if (pageStyle && offsetStyle) {
			throw RestException.badRequest("page", "use either page and size, or offset and limit, not both");
		}
		if (pageStyle) {
			int s = number("size", size, DEFAULT_LIMIT, 1, MAX_LIMIT);
			int p = number("page", page, 0, 0, MAX_OFFSET / s);
			return new Paging(p * s, s);
		}
		return new Paging(number("offset", offset, 0, 0, MAX_OFFSET), number("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT));
	}

	private static int number(String name, String value, int fallback, int min, int max) {
		if (value == null) {
			return fallback;
		}
		int parsed;
		try {
			parsed = (value.length() <= 9) ? Integer.parseInt(value) : Integer.MIN_VALUE;
		}
		catch (NumberFormatException ex) {
			parsed = Integer.MIN_VALUE;
		}
		if (parsed < min || parsed > max) {
			throw RestException.badRequest(name, name + " must be a whole number from " + min + " to " + max);
		}
		return parsed;
	}

}
