package io.keyflow.plugin;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import org.springframework.test.context.junit.jupiter.SpringExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The leak scan of a test class on a real engine, written once: tests register every secret they store or see
 * ({@link Secrets}, a test parameter), the application log is captured from the first test on (from the start-up
 * where the context was prepared with {@link LogCapture.Initializer}), and after the class's last test, in whatever order they ran, every column of every table of the application's database and
 * the captured log are scanned for those secrets (in clear and base64). A class that registers no secret fails:
 * a scan for nothing would prove nothing.
 * <pre>
 * &#64;SpringBootTest(...)
 * &#64;ExtendWith(LeakScan.class)
 * class MyTests {
 *     &#64;Test void something(LeakScan.Secrets secrets) { secrets.add(apiKey); ... }
 * }
 * </pre>
 */
public final class LeakScan implements BeforeEachCallback, AfterAllCallback, ParameterResolver {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LeakScan.class);

	/**
	 * The secrets a test class stored or saw.
	 */
	public static final class Secrets {

		private final Set<String> values = ConcurrentHashMap.newKeySet();

		/**
		 * @param secret a value that must appear in no table and no log line
		 * @return the value
		 */
		public String add(String secret) {
			this.values.add(secret);
			return secret;
		}

		/**
		 * @param label what the secret is for
		 * @return a fresh random secret, registered
		 */
		public String fresh(String label) {
			return add("secret-" + label + "-" + UUID.randomUUID());
		}

		/** @return every registered secret */
		public Set<String> all() {
			return Set.copyOf(this.values);
		}

	}

	@Override
	public void beforeEach(ExtensionContext context) {
		log(context);
	}

	@Override
	public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
		Class<?> type = parameter.getParameter().getType();
		return type == Secrets.class || type == LogCapture.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
		if (parameter.getParameter().getType() == LogCapture.class) {
			return log(context);
		}
		return secrets(context);
	}

	private static LogCapture log(ExtensionContext context) {
		return classStore(context).getOrComputeIfAbsent(LogCapture.class, (key) -> {
			// the capture LogCapture.Initializer attached at start-up, unless an earlier class has detached it;
			// else one attached now, after the context started: Spring Boot resets logging while it starts
			LogCapture startup = SpringExtension.getApplicationContext(context)
				.getBeanProvider(LogCapture.class)
				.getIfAvailable();
			return (startup != null && startup.isStarted()) ? startup : LogCapture.attach();
		}, LogCapture.class);
	}

	/**
	 * @param context any context of the test class
	 * @return the secrets of the test class
	 */
	public static Secrets secrets(ExtensionContext context) {
		return classStore(context).getOrComputeIfAbsent(Secrets.class, (key) -> new Secrets(), Secrets.class);
	}

	@Override
	public void afterAll(ExtensionContext context) throws Exception {
		LogCapture log = classStore(context).remove(LogCapture.class, LogCapture.class);
		if (log == null) {
			return;
		}
		log.detach();
		Set<String> secrets = secrets(context).all();
		DataSource dataSource = SpringExtension.getApplicationContext(context).getBean(DataSource.class);
		assertThat(secrets).as("secrets registered for the leak scan").isNotEmpty();
		assertThat(log.size()).as("captured log lines").isPositive();
		// the scan reaches Camunda's runtime, history, incident and byte-array tables, and Keyflow's
		assertThat(LeakScanner.tableNames(dataSource)).contains("ACT_RU_VARIABLE", "ACT_HI_VARINST", "ACT_RU_INCIDENT",
				"ACT_HI_INCIDENT", "ACT_GE_BYTEARRAY", "ACT_HI_JOB_LOG", "KEYFLOW_CREDENTIAL");
		List<String> inDatabase = LeakScanner.scanDatabase(dataSource, secrets);
		List<String> inLog = LeakScanner.scanText("application log", log.text(), secrets);
		assertThat(inDatabase).as("secrets in the database").isEmpty();
		assertThat(inLog).as("secrets in the application log").isEmpty();
	}

	private static ExtensionContext.Store classStore(ExtensionContext context) {
		ExtensionContext classContext = context;
		while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
			classContext = classContext.getParent().get();
		}
		return classContext.getStore(NAMESPACE);
	}

}
