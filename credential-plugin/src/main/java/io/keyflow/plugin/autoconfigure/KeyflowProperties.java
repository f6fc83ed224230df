package io.keyflow.plugin.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Keyflow's configuration, under the {@code keyflow} prefix.
 */
@ConfigurationProperties("keyflow")
public class KeyflowProperties {

	/** Whether Keyflow plugs into the engine. */
	private boolean enabled = true;

	/**
	 * The process variable that names the process's principal (the user whose credentials tasks use).
	 * Camunda sets it from the start event's camunda:initiator attribute.
	 */
	private String principalVariable = "initiator";

	/**
	 * Credential stores by name in lookup order, e.g. vault-kv,local. Stores not named are asked after the
	 * named ones. Writes go to the first writable store ("local").
	 */
	private List<String> stores = new ArrayList<>(List.of("local"));

	private final Encryption encryption = new Encryption();

	private final Database database = new Database();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getPrincipalVariable() {
		return this.principalVariable;
	}

	public void setPrincipalVariable(String principalVariable) {
		this.principalVariable = principalVariable;
	}

	public List<String> getStores() {
		return this.stores;
	}

	public void setStores(List<String> stores) {
		this.stores = stores;
	}

	public Encryption getEncryption() {
		return this.encryption;
	}

	public Database getDatabase() {
		return this.database;
	}

	/**
	 * The local store's encryption.
	 */
	public static class Encryption {

		/**
		 * One or more base64-encoded 32-byte AES keys, comma-separated, the primary (used for new writes)
		 * first. Usually set through the KEYFLOW_ENCRYPTION_KEY environment variable.
		 */
		private String key;

		public String getKey() {
			return this.key;
		}

		public void setKey(String key) {
			this.key = key;
		}

		@Override
		public String toString() {
			return "Encryption[key=" + ((this.key != null) ? "(set)" : "(unset)") + "]";
		}

	}

	/**
	 * Keyflow's tables.
	 */
	public static class Database {

		/** Whether Keyflow creates its tables at start-up when they are missing. */
		private boolean schemaUpdate = true;

		public boolean isSchemaUpdate() {
			return this.schemaUpdate;
		}

		public void setSchemaUpdate(boolean schemaUpdate) {
			this.schemaUpdate = schemaUpdate;
		}

	}

}
