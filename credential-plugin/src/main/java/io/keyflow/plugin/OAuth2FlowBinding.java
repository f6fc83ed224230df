package io.keyflow.plugin;

/**
 * What binds an authorization-code flow to the one who started it, kept with the flow and checked at its callback.
 * <p>
 * Security: only a hash of the browser's binding value is ever given here or stored; {@link #toString()} prints
 * neither the hash nor more than the starter.
 *
 * @param startedBy who started the flow, e.g. {@code key:<API key id>} or {@code user:<Camunda user id>};
 * {@code null} when started by trusted code without an authenticated caller
 * @param browserHash the hex SHA-256 of the random value the starting browser holds (a cookie); {@code null} when
 * no browser is bound
 */
public record OAuth2FlowBinding(String startedBy, String browserHash) {

	/** A flow bound to nobody: it completes only through {@link OAuth2ConnectionService#callback(String, String)}. */
	public static final OAuth2FlowBinding NONE = new OAuth2FlowBinding(null, null);

	/**
	 * Checks the lengths the flow table holds.
	 */
	public OAuth2FlowBinding {
		if (startedBy != null && (startedBy.isBlank() || startedBy.length() > 300)) {
			throw new IllegalArgumentException("startedBy must be 1 to 300 non-blank characters");
		}
		if (browserHash != null && !browserHash.matches("[0-9a-f]{64}")) {
			throw new IllegalArgumentException("browserHash must be a hex SHA-256");
		}
	}

	@Override
	public String toString() {
		return "OAuth2FlowBinding[startedBy=" + this.startedBy + ", browserHash="
				+ ((this.browserHash != null) ? "(set)" : "null") + "]";
	}

}
