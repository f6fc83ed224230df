package io.keyflow.plugin;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Captures every log event of the application (any logger, any level that is enabled), with messages,
 * arguments and stack traces, for leak scans. {@link Initializer} attaches a capture before the application
 * context refreshes, so a scan can cover the whole start-up.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> {

	private final List<String> lines = new CopyOnWriteArrayList<>();

	/**
	 * @return a started capture attached to the root logger
	 */
	public static LogCapture attach() {
		LogCapture capture = new LogCapture();
		capture.setName("keyflow-leak-capture");
		capture.start();
		((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(capture);
		return capture;
	}

	public void detach() {
		((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(this);
		stop();
	}

	@Override
	protected void append(ILoggingEvent event) {
		StringBuilder line = new StringBuilder(event.getLevel() + " " + event.getLoggerName() + " "
				+ event.getFormattedMessage());
		for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
			line.append("\n").append(t.getClassName()).append(": ").append(t.getMessage());
			for (StackTraceElementProxy element : t.getStackTraceElementProxyArray()) {
				line.append("\n\tat ").append(element.getSTEAsString());
			}
		}
		this.lines.add(line.toString());
	}

	public String text() {
		return String.join("\n", this.lines);
	}

	public int size() {
		return this.lines.size();
	}

	/**
	 * Attaches a capture when the test's application context is prepared: after Spring Boot has set up logging
	 * (which drops appenders attached before), before any bean is created. The capture is a bean of the context,
	 * which {@link LeakScan} scans, so a scan covers the whole start-up.
	 */
	public static final class Initializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

		@Override
		public void initialize(ConfigurableApplicationContext context) {
			context.getBeanFactory().registerSingleton(LogCapture.class.getName(), attach());
		}

	}

}
