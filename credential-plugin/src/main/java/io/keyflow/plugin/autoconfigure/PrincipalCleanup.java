package io.keyflow.plugin.autoconfigure;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import io.keyflow.plugin.ProcessPrincipalService;

/**
 * Deletes, every {@code keyflow.principal.cleanup-interval}, the principal records of process instances whose
 * history the engine has removed. One daemon thread; stopped with the application context.
 */
final class PrincipalCleanup implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger("io.keyflow.engine");

	private final ProcessPrincipalService principals;

	private final Duration interval;

	private ScheduledExecutorService executor;

	PrincipalCleanup(ProcessPrincipalService principals, Duration interval) {
		this.principals = principals;
		this.interval = interval;
	}

	@Override
	public synchronized void start() {
		if (this.interval == null || this.interval.isZero() || this.interval.isNegative()) {
			return;
		}
		this.executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "keyflow-principal-cleanup");
			thread.setDaemon(true);
			return thread;
		});
		long millis = this.interval.toMillis();
		this.executor.scheduleWithFixedDelay(this::run, millis, millis, TimeUnit.MILLISECONDS);
	}

	private void run() {
		try {
			this.principals.removeOrphans();
		}
		catch (RuntimeException ex) {
			// the next run tries again; a failure here never affects a task
			log.warn("KEYFLOW-E013 Could not remove principal records of removed process instances: {}",
					ex.getClass().getName());
		}
	}

	@Override
	public synchronized void stop() {
		if (this.executor != null) {
			this.executor.shutdownNow();
			this.executor = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.executor != null;
	}

}
