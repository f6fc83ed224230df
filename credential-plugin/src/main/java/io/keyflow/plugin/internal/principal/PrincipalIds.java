package io.keyflow.plugin.internal.principal;

import java.util.regex.Pattern;

/**
 * What Keyflow accepts as a principal id: 1 to 255 characters, none a control character (so it is safe in a log
 * line and fits the column).
 */
public final class PrincipalIds {

	private static final Pattern VALID = Pattern.compile("[^\\p{Cntrl}]{1,255}");

	private PrincipalIds() {
	}

	/**
	 * @param principalId a candidate principal id
	 * @return whether it is one
	 */
	public static boolean valid(String principalId) {
		return principalId != null && !principalId.isBlank() && VALID.matcher(principalId).matches();
	}

}
