package io.keyflow.plugin.internal.principal;

/**
 * What Keyflow accepts as a principal id: 1 to 255 characters, none a control character (so it is safe in a log
 * line and fits the column).
 */
public final class PrincipalIds {

	private static final int MAX_LENGTH = 255;

	private PrincipalIds() {
	}

	/**
	 * @param principalId a candidate principal id
	 * @return whether it is one
	 */
	public static boolean valid(String principalId) {
		if (principalId == null || principalId.isEmpty() || principalId.length() > MAX_LENGTH || principalId.isBlank()) {
			return false;
		}
		// checked at every start: a loop rather than a regular expression (\p{Cntrl}: U+0000-U+001F, U+007F)
		for (int i = 0; i < principalId.length(); i++) {
			char c = principalId.charAt(i);
			if (c < 0x20 || c == 0x7F) {
				return false;
			}
		}
		return true;
	}

}
