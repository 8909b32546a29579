package io.threadline.run;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.threadline.process.ChildProcess;
import io.threadline.runner.FrameIO;
import io.threadline.runner.Job;

/**
 * One runner JVM as the server sees it: its stdin (the job), its stdout (frames) and the
 * last lines of its stderr (for error messages). {@link #kill()} ends it with all its
 * descendants.
 */
final class RunnerProcess {

	private static final Log logger = LogFactory.getLog(RunnerProcess.class);

	private static final int STDERR_LINES = 40;

	/** How long a kill waits for the runner and its processes to be gone. */
	private static final Duration KILL_WAIT = Duration.ofSeconds(5);

	/** One frame read from the runner. */

	private final Process process;

	private final DataInputStream frames;

	private final Deque<String> stderrTail = new ArrayDeque<>();

	/** Its control group, or null where runners are not confined. */
	private final Cgroups.Group group;

	RunnerProcess(Process process, Cgroups.Group group) {
		this.process = process;
		this.group = group;
		if (group != null) {
			// Whatever the runner left (a child that outlived it) goes with its group.
			process.onExit().thenRun(group::close);
		}
		this.frames = new DataInputStream(new BufferedInputStream(process.getInputStream(), 1 << 16));
		Thread.ofVirtual().name("runner-stderr-" + process.pid()).start(this::drainStderr);
	}

	long pid() {
		return this.process.pid();
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	void send(Job job) throws IOException {
		Writer w = new OutputStreamWriter(this.process.getOutputStream(), StandardCharsets.UTF_8);
		job.writeTo(w);
	}

	/**
	 * Sends one command line after the job (see {@code io.threadline.runner.Commands}).
	 */
	void command(String line) throws IOException {
		Writer w = new OutputStreamWriter(this.process.getOutputStream(), StandardCharsets.UTF_8);
		w.write(line + "\n");
		w.flush();
	}

	/**
	 * The next frame, or null when the runner closed its stdout (it exited or was
	 * killed).
	 */
	FrameIO.Received read() throws IOException {
		return FrameIO.read(this.frames);
	}

	/**
	 * Kills the runner and every process it started, and waits (briefly) until they are
	 * gone.
	 */
	void kill() {
		ProcessHandle handle = this.process.toHandle();
		// Descendants first: once the runner is gone its children are re-parented and
		// harder to find.
		List<ProcessHandle> doomed = new ArrayList<>(handle.descendants().toList());
		doomed.forEach(ProcessHandle::destroyForcibly);
		handle.destroyForcibly();
		long deadline = System.nanoTime() + KILL_WAIT.toNanos();
		try {
			this.process.waitFor(KILL_WAIT.toNanos(), TimeUnit.NANOSECONDS);
			// A child started between the snapshot and the runner's end has been
			// re-parented since: its command line still names the runner.
			ProcessHandle.allProcesses().filter(p -> ChildProcess.startedBy(p, handle.pid())).forEach(p -> {
				p.destroyForcibly();
				doomed.add(p);
			});
			for (ProcessHandle p : doomed) {
				long left = deadline - System.nanoTime();
				if (left > 0) {
					p.onExit().get(left, TimeUnit.NANOSECONDS);
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			logger.warn("Processes of runner " + handle.pid() + " still alive after being killed", ex);
		}
		if (this.group != null) {
			this.group.close();
		}
	}

	/**
	 * The cgroup limit the runner's tree ran into, as a sentence, or null (none reached,
	 * or not confined).
	 */
	String limitReached() {
		return (this.group != null) ? this.group.limitReached() : null;
	}

	/**
	 * Waits for the runner to exit on its own and returns its exit code, killing it after
	 * the wait.
	 */
	int awaitExit(long timeout, TimeUnit unit) {
		try {
			if (this.process.waitFor(timeout, unit)) {
				return this.process.exitValue();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		kill();
		return this.process.isAlive() ? -1 : this.process.exitValue();
	}

	String stderrTail() {
		synchronized (this.stderrTail) {
			return String.join("\n", this.stderrTail);
		}
	}

	private void drainStderr() {
		try (BufferedReader r = new BufferedReader(
				new InputStreamReader(this.process.getErrorStream(), StandardCharsets.UTF_8))) {
			for (String line; (line = r.readLine()) != null;) {
				logger.debug("runner " + this.process.pid() + ": " + line);
				synchronized (this.stderrTail) {
					if (this.stderrTail.size() == STDERR_LINES) {
						this.stderrTail.removeFirst();
					}
					this.stderrTail.addLast(line);
				}
			}
		}
		catch (IOException ex) {
			// the runner was killed: its stderr is gone, nothing more to keep
		}
	}

}
