package io.keyflow.example;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * In the {@code demo} profile only, and only when no key is configured: generates a throwaway encryption key
 * and keeps it next to the demo database ({@code data/demo/demo-encryption.key}), so the demo starts with nothing
 * set up and still reads its credentials after a restart. Says so loudly: a key on disk beside the data it
 * protects is for a demo, never for real credentials. Likewise the REST API's admin key
 * ({@code data/demo/demo-admin-api-key}), so the REST examples run against the demo.
 */
public class DemoEncryptionKey implements EnvironmentPostProcessor {

	static final String PROPERTY = "keyflow.encryption.key";

	static final String ADMIN_API_KEY_PROPERTY = "keyflow.rest.admin-api-key";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.acceptsProfiles(org.springframework.core.env.Profiles.of("demo"))) {
			return;
		}
		adminApiKey(environment);
		if (environment.getProperty(PROPERTY) != null) {
			return;
		}
		Path file = Path.of(environment.getProperty("keyflow.demo.key-file", "data/demo/demo-encryption.key"));
		String key = readOrCreate(file);
		environment.getPropertySources().addFirst(new MapPropertySource("keyflowDemoKey", Map.of(PROPERTY, key)));
		System.err.println("""

				************************************************************************
				*  KEYFLOW DEMO PROFILE: using a THROWAWAY encryption key stored in     *
				*  %s
				*  Never use the demo profile for real credentials. Set                *
				*  KEYFLOW_ENCRYPTION_KEY instead (see the README).                    *
				************************************************************************
				""".formatted(file.toAbsolutePath()));
	}

	/**
	 * The REST API's bootstrap admin key, unless one is set: kept beside the demo's database, so the README's REST
	 * examples run against the demo with {@code export KEYFLOW_ADMIN_API_KEY=$(cat data/demo/demo-admin-api-key)}.
	 */
	private static void adminApiKey(ConfigurableEnvironment environment) {
		if (environment.getProperty(ADMIN_API_KEY_PROPERTY) != null
				|| environment.getProperty("KEYFLOW_ADMIN_API_KEY") != null) {
			return;
		}
		Path file = Path.of(environment.getProperty("keyflow.demo.admin-api-key-file", "data/demo/demo-admin-api-key"));
		environment.getPropertySources()
			.addLast(new MapPropertySource("keyflowDemoAdminApiKey", Map.of(ADMIN_API_KEY_PROPERTY, readOrCreate(file))));
		System.err.println("KEYFLOW DEMO PROFILE: the REST API's admin key is in " + file.toAbsolutePath()
				+ " (export KEYFLOW_ADMIN_API_KEY=$(cat " + file + "))");
	}

	private static String readOrCreate(Path file) {
		try {
			if (Files.exists(file)) {
				return Files.readString(file, StandardCharsets.US_ASCII).trim();
			}
			byte[] key = new byte[32];
			new SecureRandom().nextBytes(key);
			String encoded = Base64.getEncoder().encodeToString(key);
			Files.createDirectories(file.toAbsolutePath().getParent());
			Files.writeString(file, encoded, StandardCharsets.US_ASCII);
			try {
				Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
			}
			catch (UnsupportedOperationException ex) {
				// not a POSIX file system; the demo key is throwaway anyway
			}
			return encoded;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read or create the demo key file " + file, ex);
		}
	}

}
