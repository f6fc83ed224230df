package io.keyflow.plugin.autoconfigure;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * One of Keyflow's background jobs (principal cleanup, usage flush, audit retention): runs every interval on one
 * daemon thread, stopped with the application context. A failed run is logged and tried again at the next one; it
 * never affects a task.
 */
final class KeyflowJob implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger("io.keyflow.engine");

	private final String name;

	private final Duration interval;

	private final Runnable work;

	private final String failure;

	private final boolean runAtStop;

	private ScheduledExecutorService executor;

	private boolean running;

	/**
	 * @param name the thread's name
	 * @param interval how often; {@code null} or not positive: never (but at stop, if {@code runAtStop})
	 * @param work what to do
	 * @param failure the log message of a failed run, with its code
	 * @param runAtStop whether to run once more when the context stops (to write what is pending)
	 */
	KeyflowJob(String name, Duration interval, Runnable work, String failure, boolean runAtStop) {
		this.name = name;
		this.interval = interval;
		this.work = work;
		this.failure = failure;
		this.runAtStop = runAtStop;
	}

	@Override
	public synchronized void start() {
		this.running = true;
		if (this.interval == null || this.interval.isZero() || this.interval.isNegative()) {
			return;
		}
		this.executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, this.name);
			thread.setDaemon(true);
			return thread;
		});
		long millis = this.interval.toMillis();
		this.executor.scheduleWithFixedDelay(this::run, millis, millis, TimeUnit.MILLISECONDS);
	}

	void run() {
		try {
			this.work.run();
		}
		catch (RuntimeException ex) {
			log.warn("{}: {}", this.failure, ex.getClass().getName());
		}
	}

	@Override
	public synchronized void stop() {
		if (!this.running) {
			return;
		}
		this.running = false;
		if (this.executor != null) {
			this.executor.shutdownNow();
			this.executor = null;
		}
		if (this.runAtStop) {
			run();
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.running;
	}

	@Override
	public String toString() {
		return "KeyflowJob[" + this.name + ", every " + this.interval + "]";
	}

}
