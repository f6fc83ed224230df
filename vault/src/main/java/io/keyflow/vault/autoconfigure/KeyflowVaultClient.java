package io.keyflow.vault.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URI;
import java.util.Locale;
import java.util.function.Supplier;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import io.keyflow.vault.internal.VaultRequestCounts;
import org.springframework.vault.authentication.AppRoleAuthentication;
import org.springframework.vault.authentication.AppRoleAuthenticationOptions;
import org.springframework.vault.authentication.AppRoleAuthenticationOptions.RoleId;
import org.springframework.vault.authentication.AppRoleAuthenticationOptions.SecretId;
import org.springframework.vault.authentication.ClientAuthentication;
import org.springframework.vault.authentication.KubernetesAuthentication;
import org.springframework.vault.authentication.KubernetesAuthenticationOptions;
import org.springframework.vault.authentication.LifecycleAwareSessionManager;
import org.springframework.vault.authentication.LifecycleAwareSessionManagerSupport.FixedTimeoutRefreshTrigger;
import org.springframework.vault.authentication.TokenAuthentication;
import org.springframework.vault.authentication.event.AuthenticationListener;
import org.springframework.vault.client.ClientHttpRequestFactoryFactory;
import org.springframework.vault.client.RestTemplateBuilder;
import org.springframework.vault.client.VaultEndpoint;
import org.springframework.vault.client.VaultHttpHeaders;
import org.springframework.vault.core.VaultOperations;
import org.springframework.vault.core.VaultTemplate;
import org.springframework.vault.support.ClientOptions;
import org.springframework.vault.support.SslConfiguration;
import org.springframework.util.ResourceUtils;
import org.springframework.web.client.RestOperations;

import io.keyflow.api.KeyflowConfigurationException;
import io.keyflow.api.UsagePolicy;
import io.keyflow.vault.autoconfigure.KeyflowVaultProperties.Authentication;
import io.keyflow.vault.internal.VaultLog;

/**
 * Keyflow's own Vault client, built from {@code keyflow.vault.*}: a {@link VaultTemplate} whose session is kept
 * by spring-vault's {@link LifecycleAwareSessionManager} (renewal before expiry, a new login at max TTL).
 * <p>
 * Deliberately not a {@link VaultOperations} bean: an application that uses Vault itself (e.g. Spring Cloud
 * Vault) keeps its own client and injection by type keeps working. Closing it revokes a token it obtained by
 * logging in (not a configured token) and stops its renewal thread.
 */
public final class KeyflowVaultClient implements DisposableBean {

	private final VaultTemplate operations;

	private final LifecycleAwareSessionManager sessionManager;

	private final ThreadPoolTaskScheduler scheduler;

	private final String description;

	private final VaultRequestCounts requests = new VaultRequestCounts();

	/**
	 * @param properties the configuration
	 * @throws io.keyflow.api.KeyflowConfigurationException if the address or the credentials of the login method are
	 * missing, if the address is plain http to another host than this one without
	 * {@code keyflow.vault.allow-insecure-http}, or if a configured CA file or trust store cannot be read
	 */
	public KeyflowVaultClient(KeyflowVaultProperties properties) {
		if (properties.getAddress() == null) {
			throw new KeyflowConfigurationException("keyflow.vault.address", "keyflow.vault is enabled but keyflow.vault.address is not set; set "
					+ "it to Vault's address, e.g. https://vault.example.com:8200");
		}
		checkTransport(properties);
		ClientHttpRequestFactory requests = ClientHttpRequestFactoryFactory.create(
				new ClientOptions(properties.getConnectTimeout(), properties.getReadTimeout()),
				sslConfiguration(properties.getSsl()));
		RestTemplateBuilder builder = RestTemplateBuilder.builder()
			.endpoint(VaultEndpoint.from(properties.getAddress()))
			.requestFactory(requests)
			.customizers((template) -> template.getInterceptors().add(this.requests));
		if (properties.getNamespace() != null && !properties.getNamespace().isBlank()) {
			builder.defaultHeader(VaultHttpHeaders.VAULT_NAMESPACE, properties.getNamespace());
		}
		RestOperations login = builder.build();
		Authentication authentication = properties.getAuthentication();
		this.scheduler = new ThreadPoolTaskScheduler();
		this.scheduler.setThreadNamePrefix("keyflow-vault-session-");
		this.scheduler.setDaemon(true);
		this.scheduler.initialize();
		this.sessionManager = new LifecycleAwareSessionManager(clientAuthentication(authentication, login),
				this.scheduler, login, new FixedTimeoutRefreshTrigger(authentication.getRefreshBeforeExpiry(),
						authentication.getExpiryThreshold()));
		this.operations = new VaultTemplate(builder, this.sessionManager);
		this.description = properties.getAddress() + " (" + authentication.getMethod() + ")";
		VaultLog.connected(String.valueOf(properties.getAddress()), authentication.getMethod().name(),
				properties.getNamespace());
	}

	/**
	 * @param outcome {@code success}, {@code not_found}, {@code denied}, {@code client_error}, {@code server_error} or
	 * {@code unreachable}
	 * @return how many requests to Vault ended so since start-up (the {@code keyflow.vault.requests} meter)
	 */
	public long requests(String outcome) {
		return this.requests.count(outcome);
	}

	// a Vault token and every secret travel on this connection: https, or http that stays on this host, or an
	// explicit, loudly logged opt-in
	private static void checkTransport(KeyflowVaultProperties properties) {
		URI address = properties.getAddress();
		String scheme = (address.getScheme() != null) ? address.getScheme().toLowerCase(Locale.ROOT) : "";
		if (scheme.equals("https")) {
			return;
		}
		if (!scheme.equals("http") || address.getHost() == null) {
			throw new KeyflowConfigurationException("keyflow.vault.address", "keyflow.vault.address must be an "
					+ "https:// address, e.g. https://vault.example.com:8200; it is " + address);
		}
		if (UsagePolicy.isLoopbackName(address.getHost())) {
			VaultLog.loopbackHttp(address.toString());
		}
		else if (properties.isAllowInsecureHttp()) {
			VaultLog.insecureHttp(address.toString());
		}
		else {
			throw new KeyflowConfigurationException("keyflow.vault.address", "keyflow.vault.address is " + address
					+ ": plain http would send the Vault token and every secret unencrypted. Use Vault's https:// "
					+ "address (with keyflow.vault.ssl.ca-certificate or keyflow.vault.ssl.trust-store if its CA is not "
					+ "one the JVM trusts); for a test set-up only, set keyflow.vault.allow-insecure-http=true");
		}
	}

	private static SslConfiguration sslConfiguration(KeyflowVaultProperties.Ssl ssl) {
		boolean pem = ssl.getCaCertificate() != null && !ssl.getCaCertificate().isBlank();
		boolean store = ssl.getTrustStore() != null && !ssl.getTrustStore().isBlank();
		if (pem && store) {
			throw new KeyflowConfigurationException("keyflow.vault.ssl", "set either keyflow.vault.ssl.ca-certificate "
					+ "(a PEM file) or keyflow.vault.ssl.trust-store, not both");
		}
		if (pem) {
			Resource resource = resource("keyflow.vault.ssl.ca-certificate", ssl.getCaCertificate());
			VaultLog.customCa("keyflow.vault.ssl.ca-certificate", ssl.getCaCertificate());
			return SslConfiguration.forTrustStore(SslConfiguration.KeyStoreConfiguration.of(resource)
				.withStoreType(SslConfiguration.PEM_KEYSTORE_TYPE));
		}
		if (store) {
			Resource resource = resource("keyflow.vault.ssl.trust-store", ssl.getTrustStore());
			char[] password = (ssl.getTrustStorePassword() != null) ? ssl.getTrustStorePassword().toCharArray()
					: new char[0];
			String type = (ssl.getTrustStoreType() != null && !ssl.getTrustStoreType().isBlank())
					? ssl.getTrustStoreType().trim().toUpperCase(Locale.ROOT) : "PKCS12";
			VaultLog.customCa("keyflow.vault.ssl.trust-store", ssl.getTrustStore());
			return SslConfiguration.forTrustStore(SslConfiguration.KeyStoreConfiguration.of(resource, password, type));
		}
		return SslConfiguration.unconfigured();
	}

	// file:, classpath: and other URLs as Spring reads them; a plain path is a file
	private static Resource resource(String property, String location) {
		Resource resource = ResourceUtils.isUrl(location) ? new DefaultResourceLoader().getResource(location)
				: new FileSystemResource(location);
		if (!resource.exists() || !resource.isReadable()) {
			throw new KeyflowConfigurationException(property, property + " names " + location
					+ ", which does not exist or cannot be read");
		}
		return resource;
	}

	private static ClientAuthentication clientAuthentication(Authentication authentication, RestOperations login) {
		return switch (authentication.getMethod()) {
			case TOKEN -> {
				if (authentication.getToken() == null || authentication.getToken().isBlank()) {
					throw new KeyflowConfigurationException("keyflow.vault.authentication", "keyflow.vault.authentication.method is TOKEN but "
							+ "keyflow.vault.authentication.token is not set (e.g. from VAULT_TOKEN)");
				}
				yield new TokenAuthentication(authentication.getToken());
			}
			case APPROLE -> {
				KeyflowVaultProperties.AppRole appRole = authentication.getAppRole();
				if (appRole.getRoleId() == null || appRole.getSecretId() == null) {
					throw new KeyflowConfigurationException("keyflow.vault.authentication", "keyflow.vault.authentication.method is APPROLE but "
							+ "keyflow.vault.authentication.app-role.role-id or .secret-id is not set");
				}
				yield new AppRoleAuthentication(AppRoleAuthenticationOptions.builder()
					.path(appRole.getPath())
					.roleId(RoleId.provided(appRole.getRoleId()))
					.secretId(SecretId.provided(appRole.getSecretId()))
					.build(), login);
			}
			case KUBERNETES -> {
				KeyflowVaultProperties.Kubernetes kubernetes = authentication.getKubernetes();
				if (kubernetes.getRole() == null) {
					throw new KeyflowConfigurationException("keyflow.vault.authentication", "keyflow.vault.authentication.method is KUBERNETES but "
							+ "keyflow.vault.authentication.kubernetes.role is not set");
				}
				yield new KubernetesAuthentication(KubernetesAuthenticationOptions.builder()
					.path(kubernetes.getPath())
					.role(kubernetes.getRole())
					.jwtSupplier(serviceAccountToken(Path.of(kubernetes.getJwtPath())))
					.build(), login);
			}
		};
	}

	// read at every login, not once: projected service account tokens rotate while the pod runs
	private static Supplier<String> serviceAccountToken(Path file) {
		return () -> {
			try {
				return Files.readString(file, StandardCharsets.US_ASCII).trim();
			}
			catch (IOException ex) {
				throw new UncheckedIOException("cannot read the Kubernetes service account token at " + file, ex);
			}
		};
	}

	/**
	 * @return the authenticated Vault client
	 */
	public VaultOperations operations() {
		return this.operations;
	}

	/**
	 * @param listener notified of logins, renewals, expiry (a token at its max TTL is dropped and the next
	 * request logs in again) and revocation of Keyflow's session; for metrics and alerts
	 */
	public void addAuthenticationListener(AuthenticationListener listener) {
		this.sessionManager.addAuthenticationListener(listener);
	}

	@Override
	public void destroy() {
		try {
			this.sessionManager.destroy();
		}
		finally {
			this.scheduler.shutdown();
		}
	}

	@Override
	public String toString() {
		return "KeyflowVaultClient[" + this.description + "]";
	}

}
