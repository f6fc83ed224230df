package io.keyflow.rest.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.http.HttpHeaders;

/**
 * A local credential's entity tag: its revision, quoted ({@code "7"}). Get answers it as {@code ETag} (and list as
 * each item's {@code etag}); a create that replaces the credential may send it back as {@code If-Match} to fail with
 * 412 when someone else wrote in between, instead of overwriting what it never saw.
 */
final class ETags {

	private static final Pattern TAG = Pattern.compile("(?:W/)?\"([0-9]{1,9})\"");

	private ETags() {
	}

	static String of(int revision) {
		return "\"" + revision + "\"";
	}

	/**
	 * @param ifMatch the {@code If-Match} header, or {@code null}
	 * @return the revision it names, or {@code null} when absent
	 * @throws RestException BAD_REQUEST if it is not one entity tag as {@link #of} writes them
	 */
	static Integer revision(String ifMatch) {
		if (ifMatch == null) {
			return null;
		}
		Matcher matcher = TAG.matcher(ifMatch.trim());
		if (!matcher.matches()) {
			throw RestException.badRequest(HttpHeaders.IF_MATCH,
					"If-Match must be one entity tag as get or list answered it, e.g. \"3\"");
		}
		return Integer.valueOf(matcher.group(1));
	}

}
