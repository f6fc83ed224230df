package io.keyflow.vault;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An HTTP server that plays the parts of HashiCorp Vault's HTTP API that Keyflow uses, with response bodies
 * shaped as in Vault's API documentation, and records every request (method, path, query, headers, body) so
 * that contract tests can assert exactly what Keyflow sends. It is not Vault: the Testcontainers tests run the
 * real one where Docker exists.
 * <p>
 * Played: KV v2 read ({@code GET /v1/<mount>/data/<path>}) and list ({@code LIST} or
 * {@code GET ?list=true} on {@code /v1/<mount>/metadata/<path>}); transit {@code datakey/wrapped},
 * {@code decrypt}, {@code rewrap} (AES-256-GCM under versioned keys, ciphertexts {@code vault:vN:base64});
 * AppRole and Kubernetes login; token {@code lookup-self}, {@code renew-self}, {@code revoke-self};
 * {@code sys/health}. Tokens are checked: an unknown token gets 403 "permission denied".
 */
public final class VaultContractServer implements AutoCloseable {

	/** One recorded request. Header names are lower case. */
	public record Request(String method, String path, String query, Map<String, String> headers, String body) {

		public String header(String name) {
			return this.headers.get(name.toLowerCase(Locale.ROOT));
		}

		public Map<String, Object> json() {
			try {
				return JSON.readValue(this.body, new TypeReference<>() {
				});
			}
			catch (IOException ex) {
				throw new IllegalStateException("request body is not JSON", ex);
			}
		}

		@Override
		public String toString() {
			return this.method + " " + this.path + ((this.query != null) ? "?" + this.query : "");
		}

	}

	private static final ObjectMapper JSON = new ObjectMapper();

	private final SecureRandom random = new SecureRandom();

	private final List<Request> requests = new CopyOnWriteArrayList<>();

	private final Map<String, Map<String, Object>> kv = new ConcurrentHashMap<>();

	private final Map<String, List<byte[]>> transitKeys = new ConcurrentHashMap<>();

	private final Set<String> tokens = ConcurrentHashMap.newKeySet();

	private final Map<String, String> appRoles = new ConcurrentHashMap<>();

	private final Map<String, String> kubernetesRoles = new ConcurrentHashMap<>();

	/** Every data key this server generated, base64, so tests can compare what Keyflow unwrapped. */
	private final List<String> generatedDataKeys = new CopyOnWriteArrayList<>();

	private volatile int failWith;

	private volatile int loginLeaseSeconds = 3600;

	private volatile int renewLeaseSeconds = 3600;

	private volatile CountDownLatch renewed = new CountDownLatch(1);

	private final int port;

	private HttpServer server;

	private VaultContractServer(int port) {
		this.port = port;
	}

	/**
	 * @return a started server on a free local port
	 */
	public static VaultContractServer start() {
		VaultContractServer server = new VaultContractServer(0);
		server.listen();
		return server;
	}

	private synchronized void listen() {
		try {
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(),
					(this.server != null) ? this.server.getAddress().getPort() : this.port), 0);
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot start the contract server", ex);
		}
		this.server.createContext("/", this::handle);
		this.server.start();
	}

	/** @return the address to configure as keyflow.vault.address */
	public URI address() {
		return URI.create("http://127.0.0.1:" + this.server.getAddress().getPort());
	}

	// ---- set-up

	public VaultContractServer token(String token) {
		this.tokens.add(token);
		return this;
	}

	public VaultContractServer appRole(String roleId, String secretId) {
		this.appRoles.put(roleId, secretId);
		return this;
	}

	public VaultContractServer kubernetesRole(String role, String jwt) {
		this.kubernetesRoles.put(role, jwt);
		return this;
	}

	/** Lease of tokens from logins and renewals, to drive spring-vault's renewal and re-login. */
	public VaultContractServer leases(int loginSeconds, int renewSeconds) {
		this.loginLeaseSeconds = loginSeconds;
		this.renewLeaseSeconds = renewSeconds;
		this.renewed = new CountDownLatch(1);
		return this;
	}

	/** @return counted down at the first token renewal after {@link #leases} */
	public CountDownLatch renewed() {
		return this.renewed;
	}

	/** Puts a KV v2 secret, e.g. {@code kv("secret", "keyflow/default/GITHUB", Map.of(...))}. */
	public VaultContractServer kv(String mount, String path, Map<String, Object> data) {
		this.kv.put(mount + "/" + path, new LinkedHashMap<>(data));
		return this;
	}

	public VaultContractServer transitKey(String name) {
		this.transitKeys.computeIfAbsent(name, (key) -> new CopyOnWriteArrayList<>(List.of(newKey())));
		return this;
	}

	/** Like {@code vault write -f transit/keys/<name>/rotate}. */
	public void rotateTransitKey(String name) {
		this.transitKeys.get(name).add(newKey());
	}

	public List<String> generatedDataKeys() {
		return List.copyOf(this.generatedDataKeys);
	}

	/** Every request from now on is answered with this status (e.g. 503), until {@link #recover()}. */
	public void failWith(int status) {
		this.failWith = status;
	}

	/** Stops listening: connections are refused, until {@link #recover()}. */
	public synchronized void refuseConnections() {
		this.server.stop(0);
	}

	/** Answers normally again (listening again if it was stopped). */
	public synchronized void recover() {
		this.failWith = 0;
		try {
			// a stopped HttpServer cannot start again: bind a new one on the same port
			InetSocketAddress address = this.server.getAddress();
			if (!isListening(address)) {
				this.server = HttpServer.create(address, 0);
				this.server.createContext("/", this::handle);
				this.server.start();
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot restart the contract server", ex);
		}
	}

	private static boolean isListening(InetSocketAddress address) {
		try (java.net.Socket socket = new java.net.Socket()) {
			socket.connect(address, 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	// ---- what was sent

	public List<Request> requests() {
		return List.copyOf(this.requests);
	}

	public List<Request> requests(String pathPrefix) {
		return this.requests.stream().filter((request) -> request.path().startsWith(pathPrefix)).toList();
	}

	public void clearRequests() {
		this.requests.clear();
	}

	// ---- the API

	private void handle(HttpExchange exchange) throws IOException {
		String body;
		try (InputStream in = exchange.getRequestBody()) {
			body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		Map<String, String> headers = new LinkedHashMap<>();
		exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
		String path = exchange.getRequestURI().getPath();
		String query = exchange.getRequestURI().getQuery();
		Request request = new Request(exchange.getRequestMethod(), path, query, headers, body);
		this.requests.add(request);
		try {
			if (this.failWith != 0) {
				respond(exchange, this.failWith, Map.of("errors", List.of("Vault is sealed")));
				return;
			}
			route(exchange, request);
		}
		catch (RuntimeException | GeneralSecurityException ex) {
			respond(exchange, 500, Map.of("errors", List.of("contract server: " + ex)));
		}
	}

	private void route(HttpExchange exchange, Request request) throws IOException, GeneralSecurityException {
		String path = request.path();
		if (path.equals("/v1/sys/health")) {
			respond(exchange, 200, health());
			return;
		}
		if (path.equals("/v1/auth/approle/login") && request.method().equals("POST")) {
			Map<String, Object> body = request.json();
			String secretId = this.appRoles.get(String.valueOf(body.get("role_id")));
			if (secretId == null || !secretId.equals(body.get("secret_id"))) {
				respond(exchange, 400, Map.of("errors", List.of("invalid role or secret ID")));
				return;
			}
			respond(exchange, 200, login());
			return;
		}
		if (path.equals("/v1/auth/kubernetes/login") && request.method().equals("POST")) {
			Map<String, Object> body = request.json();
			String jwt = this.kubernetesRoles.get(String.valueOf(body.get("role")));
			if (jwt == null || !jwt.equals(body.get("jwt"))) {
				respond(exchange, 403, Map.of("errors", List.of("permission denied")));
				return;
			}
			respond(exchange, 200, login());
			return;
		}
		String token = request.header("X-Vault-Token");
		if (token == null || !this.tokens.contains(token)) {
			respond(exchange, 403, Map.of("errors", List.of("permission denied")));
			return;
		}
		if (path.equals("/v1/auth/token/lookup-self")) {
			respond(exchange, 200, lookupSelf(token));
			return;
		}
		if (path.equals("/v1/auth/token/renew-self")) {
			Map<String, Object> auth = auth(token, this.renewLeaseSeconds);
			this.renewed.countDown();
			respond(exchange, 200, envelope(null, auth));
			return;
		}
		if (path.equals("/v1/auth/token/revoke-self")) {
			this.tokens.remove(token);
			respond(exchange, 204, null);
			return;
		}
		if (path.startsWith("/v1/transit/")) {
			transit(exchange, request, path.substring("/v1/transit/".length()));
			return;
		}
		int data = path.indexOf("/data/");
		int metadata = path.indexOf("/metadata/");
		if (data > 0 && request.method().equals("GET")) {
			String mount = path.substring(4, data);
			Map<String, Object> secret = this.kv.get(mount + "/" + path.substring(data + 6));
			if (secret == null) {
				respond(exchange, 404, Map.of("errors", List.of()));
				return;
			}
			Map<String, Object> kvMetadata = new LinkedHashMap<>();
			kvMetadata.put("created_time", "2018-03-22T02:24:06.945319214Z");
			kvMetadata.put("custom_metadata", null);
			kvMetadata.put("deletion_time", "");
			kvMetadata.put("destroyed", false);
			kvMetadata.put("version", 2);
			respond(exchange, 200, envelope(Map.of("data", secret, "metadata", kvMetadata), null));
			return;
		}
		boolean list = request.method().equals("LIST")
				|| (request.method().equals("GET") && "list=true".equals(request.query()));
		if (metadata > 0 && list) {
			String mount = path.substring(4, metadata);
			String folder = mount + "/" + path.substring(metadata + 10);
			String prefix = folder.endsWith("/") ? folder : folder + "/";
			Set<String> keys = new TreeSet<>();
			for (String stored : this.kv.keySet()) {
				if (stored.startsWith(prefix)) {
					String rest = stored.substring(prefix.length());
					keys.add(rest.contains("/") ? rest.substring(0, rest.indexOf('/') + 1) : rest);
				}
			}
			if (keys.isEmpty()) {
				respond(exchange, 404, Map.of("errors", List.of()));
				return;
			}
			respond(exchange, 200, envelope(Map.of("keys", List.copyOf(keys)), null));
			return;
		}
		respond(exchange, 405, Map.of("errors", List.of("1 error occurred:\n\t* unsupported operation\n\n")));
	}

	private void transit(HttpExchange exchange, Request request, String operation)
			throws IOException, GeneralSecurityException {
		String[] parts = operation.split("/");
		String keyName = parts[parts.length - 1];
		List<byte[]> versions = this.transitKeys.get(keyName);
		if (versions == null || !request.method().equals("POST")) {
			respond(exchange, 400, Map.of("errors", List.of("encryption key not found")));
			return;
		}
		Map<String, Object> body = request.json();
		if (operation.startsWith("datakey/wrapped/")) {
			Object bits = body.getOrDefault("bits", 256);
			byte[] key = new byte[Integer.parseInt(bits.toString()) / 8];
			this.random.nextBytes(key);
			String plaintext = Base64.getEncoder().encodeToString(key);
			this.generatedDataKeys.add(plaintext);
			respond(exchange, 200, envelope(Map.of("ciphertext", encrypt(versions, plaintext.getBytes(
					StandardCharsets.US_ASCII)), "key_version", versions.size()), null));
			return;
		}
		if (operation.startsWith("decrypt/")) {
			byte[] plaintext = decrypt(versions, String.valueOf(body.get("ciphertext")));
			respond(exchange, 200, envelope(Map.of("plaintext", new String(plaintext, StandardCharsets.US_ASCII)), null));
			return;
		}
		if (operation.startsWith("rewrap/")) {
			byte[] plaintext = decrypt(versions, String.valueOf(body.get("ciphertext")));
			respond(exchange, 200, envelope(Map.of("ciphertext", encrypt(versions, plaintext), "key_version",
					versions.size()), null));
			return;
		}
		respond(exchange, 405, Map.of("errors", List.of("unsupported operation")));
	}

	// transit stores the base64 plaintext it is given (datakey: base64 of the key) and returns it as such
	private String encrypt(List<byte[]> versions, byte[] base64Plaintext) throws GeneralSecurityException {
		int version = versions.size();
		byte[] nonce = new byte[12];
		this.random.nextBytes(nonce);
		Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
		cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(versions.get(version - 1), "AES"),
				new GCMParameterSpec(128, nonce));
		byte[] sealed = cipher.doFinal(base64Plaintext);
		return "vault:v" + version + ":" + Base64.getEncoder()
			.encodeToString(ByteBuffer.allocate(12 + sealed.length).put(nonce).put(sealed).array());
	}

	private byte[] decrypt(List<byte[]> versions, String ciphertext) throws GeneralSecurityException {
		String[] parts = ciphertext.split(":");
		int version = Integer.parseInt(parts[1].substring(1));
		byte[] raw = Base64.getDecoder().decode(parts[2]);
		Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
		cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(versions.get(version - 1), "AES"),
				new GCMParameterSpec(128, raw, 0, 12));
		return cipher.doFinal(raw, 12, raw.length - 12);
	}

	private byte[] newKey() {
		byte[] key = new byte[32];
		this.random.nextBytes(key);
		return key;
	}

	private Map<String, Object> login() {
		String token = "hvs." + UUID.randomUUID();
		this.tokens.add(token);
		return envelope(null, auth(token, this.loginLeaseSeconds));
	}

	private static Map<String, Object> auth(String token, int leaseSeconds) {
		Map<String, Object> auth = new LinkedHashMap<>();
		auth.put("renewable", true);
		auth.put("lease_duration", leaseSeconds);
		auth.put("metadata", null);
		auth.put("token_policies", List.of("default", "keyflow"));
		auth.put("accessor", "accessor-" + UUID.randomUUID());
		auth.put("client_token", token);
		return auth;
	}

	private static Map<String, Object> lookupSelf(String token) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("accessor", "8609694a-cdbc-db9b-d345-e782dbb562ed");
		data.put("creation_time", 1523979354);
		data.put("creation_ttl", 2764800);
		data.put("display_name", "token");
		data.put("entity_id", "");
		data.put("expire_time", null);
		data.put("explicit_max_ttl", 0);
		data.put("id", token);
		data.put("issue_time", "2018-04-17T11:35:54.466476078-04:00");
		data.put("meta", null);
		data.put("num_uses", 0);
		data.put("orphan", false);
		data.put("path", "auth/token/create");
		data.put("policies", List.of("default", "keyflow"));
		data.put("renewable", false);
		data.put("ttl", 0);
		data.put("type", "service");
		return envelope(data, null);
	}

	private static Map<String, Object> health() {
		Map<String, Object> health = new LinkedHashMap<>();
		health.put("initialized", true);
		health.put("sealed", false);
		health.put("standby", false);
		health.put("performance_standby", false);
		health.put("replication_performance_mode", "disabled");
		health.put("replication_dr_mode", "disabled");
		health.put("server_time_utc", 1516639589);
		health.put("version", "1.17.6");
		health.put("cluster_name", "vault-cluster-3bd69ca2");
		health.put("cluster_id", "00af5aa8-c87d-b5fc-e82e-97cd8dfaf731");
		return health;
	}

	private static Map<String, Object> envelope(Map<String, Object> data, Map<String, Object> auth) {
		Map<String, Object> envelope = new LinkedHashMap<>();
		envelope.put("request_id", UUID.randomUUID().toString());
		envelope.put("lease_id", "");
		envelope.put("renewable", false);
		envelope.put("lease_duration", 0);
		envelope.put("data", data);
		envelope.put("wrap_info", null);
		envelope.put("warnings", null);
		envelope.put("auth", auth);
		return envelope;
	}

	private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
		if (body == null) {
			exchange.sendResponseHeaders(status, -1);
			exchange.close();
			return;
		}
		byte[] bytes = JSON.writeValueAsBytes(body);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	/** @return a copy of the requests as lines, for readable assertion failures */
	public List<String> lines() {
		List<String> lines = new ArrayList<>();
		this.requests.forEach((request) -> lines.add(request.toString()));
		return lines;
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
