package io.threadline.run;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Keeps one runner JVM started in advance, so a run does not wait for a JVM to start.
 * Only the run thread calls it, one run at a time; a new warm runner is started after a
 * run ends, never during one (a JVM starting up would steal CPU from the run being
 * measured).
 */
final class RunnerPool implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(RunnerPool.class);

	private final RunnerLauncher launcher;

	private final boolean keepWarm;

	private RunnerProcess warm;

	/**
	 * Closed with the server: no more warm runners (one started now would outlive it).
	 */
	private boolean closed;

	RunnerPool(RunnerLauncher launcher, boolean keepWarm) {
		this.launcher = launcher;
		this.keepWarm = keepWarm;
	}

	/** A runner ready for a job: the warm one if it is still alive, else a new one. */
	synchronized RunnerProcess take() throws IOException {
		RunnerProcess r = this.warm;
		this.warm = null;
		if (r != null && r.isAlive()) {
			return r;
		}
		return this.launcher.launch();
	}

	/** Starts the next warm runner, if warm runners are enabled and none is waiting. */
	synchronized void replenish() {
		if (this.closed || !this.keepWarm || (this.warm != null && this.warm.isAlive())) {
			return;
		}
		try {
			this.warm = this.launcher.launch();
			notifyAll(); // awaitWarmPid
		}
		catch (IOException ex) {
			logger.warn("Could not start a warm runner; the next run will start its own", ex);
		}
	}

	synchronized Long warmPid() {
		return (this.warm != null && this.warm.isAlive()) ? this.warm.pid() : null;
	}

	/**
	 * The warm runner's pid once one has been started, waiting up to {@code timeout} for
	 * it; null if none was by then.
	 */
	synchronized Long awaitWarmPid(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		for (long left; warmPid() == null && (left = deadline - System.nanoTime()) > 0;) {
			TimeUnit.NANOSECONDS.timedWait(this, left);
		}
		return warmPid();
	}

	@Override
	public synchronized void close() {
		this.closed = true;
		if (this.warm != null) {
			this.warm.kill();
			this.warm = null;
		}
	}

}
