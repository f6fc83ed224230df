package io.keyflow.plugin;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.stream.Stream;

import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A headless Chromium for the web page tests of rest and example-workflows, driven through Debian's chromedriver
 * with explicit binaries, so Selenium Manager never downloads a browser or a driver. {@link #start()} skips the
 * calling test class (a JUnit assumption) where {@code /usr/bin/chromium} or {@code /usr/bin/chromedriver} is
 * missing; CI installs both ({@code .ci/run}). Each instance has its own throwaway profile, removed by
 * {@link #close()}.
 */
public final class HeadlessChromium implements AutoCloseable {

	private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Paths.get("/usr/bin/chromedriver");

	private final WebDriver driver;

	private final Path profile;

	private HeadlessChromium(WebDriver driver, Path profile) {
		this.driver = driver;
		this.profile = profile;
	}

	/**
	 * @return a started browser
	 * @throws org.opentest4j.TestAbortedException if chromium or chromedriver is not installed
	 * @throws IOException if the profile folder cannot be made
	 */
	public static HeadlessChromium start() throws IOException {
		assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
				"needs /usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium chromium-driver)");
		Path profile = Files.createTempDirectory("keyflow-chromium");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
				"--user-data-dir=" + profile, "--window-size=1280,1000");
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		return new HeadlessChromium(new ChromeDriver(service, options), profile);
	}

	/** @return the browser */
	public WebDriver driver() {
		return this.driver;
	}

	/** Quits the browser and removes its profile. */
	@Override
	public void close() throws IOException {
		this.driver.quit();
		try (Stream<Path> files = Files.walk(this.profile)) {
			files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
		}
	}

}
