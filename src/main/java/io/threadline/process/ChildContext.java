package io.threadline.process;

import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import io.threadline.runner.Frame;
import io.threadline.runner.FrameIO;

/**
 * A child process's line channel to the scenario that started it: {@link #send} goes up
 * as a frame on the child's stdout (between event batches), {@link #receive} reads the
 * lines the parent wrote to the child's stdin. Meant for control (a port, "ready", "go"),
 * not for measuring IPC: it shares the pipe with the event stream.
 */
public final class ChildContext {

	private final String name;

	private final DataOutputStream out;

	private final BlockingQueue<String> in;

	ChildContext(String name, DataOutputStream out, BlockingQueue<String> in) {
		this.name = name;
		this.out = out;
		this.in = in;
	}

	/** The name the parent gave this process. */
	public String name() {
		return this.name;
	}

	/** Sends one line to the parent ({@link ChildProcess#nextMessage}). */
	public void send(String line) {
		FrameIO.write(this.out, Frame.MESSAGE, line.getBytes(StandardCharsets.UTF_8));
	}

	/** The next line from the parent, waiting for it. */
	public String receive() throws InterruptedException {
		return this.in.take();
	}

	/** The next line from the parent, or null if none came within {@code timeout}. */
	public String receive(Duration timeout) throws InterruptedException {
		return this.in.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
	}

}
