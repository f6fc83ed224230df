package io.keyflow.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A credential with its secret parts, as the audited admin reveal answers. {@link #toString()} names the parts,
 * never their values.
 */
public final class RevealedCredential {

	private final CredentialDetails credential;

	private final Map<String, String> secrets;

	RevealedCredential(CredentialDetails credential, Map<String, String> secrets) {
		this.credential = credential;
		this.secrets = Collections.unmodifiableMap(new LinkedHashMap<>(secrets));
	}

	public CredentialDetails credential() {
		return this.credential;
	}

	/** @return the secret parts by name (apiKey, value, username, password, accessToken, refreshToken) */
	public Map<String, String> secrets() {
		return this.secrets;
	}

	/** @return one secret part, or {@code null} */
	public String secret(String part) {
		return this.secrets.get(part);
	}

	@Override
	public String toString() {
		return "RevealedCredential[" + this.credential + ", secrets=" + this.secrets.keySet() + "]";
	}

}
