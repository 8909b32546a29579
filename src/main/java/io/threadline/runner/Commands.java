package io.threadline.runner;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.function.Consumer;

import io.threadline.recorder.Recorder;
import io.threadline.trace.LockGraph;

/**
 * Commands the server sends a runner on its stdin once the job is under way, one
 * {@code name=value} line each, answered by one {@link Frame#REPLY} line. Read on a
 * daemon thread of its own, which never records (it has no lane): the run's picture is
 * what the scenario's threads did.
 *
 * <p>
 * The one command today: {@code interrupt=<lane>}, "break the deadlock" from the
 * dashboard. The answer is {@code <outcome> <lane>}, the outcome one of
 * <ul>
 * <li>{@code interrupted}: the thread was waiting for a traced lock or permit in a wait
 * an interrupt ends, and has been interrupted (it backs off as the scenario says);</li>
 * <li>{@code monitor}: it is blocked entering a {@code synchronized} block, which no
 * interrupt ends;</li>
 * <li>{@code uninterruptible}: it waits in a {@code lock()}, which ignores
 * interrupts;</li>
 * <li>{@code not-waiting}: it waits for no lock;</li>
 * <li>{@code no-thread}: the run has no thread of that lane in this JVM.</li>
 * </ul>
 */
final class Commands {

	static final String INTERRUPT = "interrupt";

	private final Recorder recorder;

	private final Consumer<String> reply;

	Commands(Recorder recorder, Consumer<String> reply) {
		this.recorder = recorder;
		this.reply = reply;
	}

	/**
	 * Reads commands until stdin ends, then runs {@code serverGone}: the server never
	 * closes a runner's stdin while it lives, so the end of it means the server died
	 * (killed, or its machine restarted) or is killing this runner.
	 */
	void serve(BufferedReader in, Runnable serverGone) {
		Thread.ofPlatform().daemon().name("threadline-commands").start(() -> {
			try {
				for (String line; (line = in.readLine()) != null;) {
					if (!line.isBlank()) {
						this.reply.accept(handle(line.strip()));
					}
				}
			}
			catch (IOException ex) {
				// stdin broken: the same as its end
			}
			serverGone.run();
		});
	}

	/** One command line to its answer. */
	String handle(String line) {
		int eq = line.indexOf('=');
		String name = (eq < 0) ? line : line.substring(0, eq);
		String value = (eq < 0) ? "" : line.substring(eq + 1);
		if (!name.equals(INTERRUPT)) {
			return "unknown-command " + name;
		}
		int lane;
		try {
			lane = Integer.parseInt(value);
		}
		catch (NumberFormatException ex) {
			return "no-thread " + value;
		}
		return interrupt(lane) + " " + lane;
	}

	private String interrupt(int lane) {
		Thread thread = (lane > 0) ? this.recorder.threadOf(lane) : null;
		if (thread == null || !thread.isAlive()) {
			return "no-thread";
		}
		if (LockGraph.interruptIfInterruptible(thread)) {
			return "interrupted";
		}
		if (LockGraph.isWaiting(thread)) {
			return "uninterruptible";
		}
		// A thread blocked entering a monitor: the only BLOCKED state the JVM has.
		return (thread.getState() == Thread.State.BLOCKED) ? "monitor" : "not-waiting";
	}

}
