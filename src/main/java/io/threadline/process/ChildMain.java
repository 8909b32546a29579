package io.threadline.process;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.threadline.recorder.BatchCodec;
import io.threadline.recorder.EventKind;
import io.threadline.recorder.Recorder;
import io.threadline.runner.Frame;
import io.threadline.runner.FrameIO;

/**
 * A child process's JVM: records its threads on its parent's time origin and streams them
 * on stdout as {@link Frame#EVENTS} (the runner merges them), says {@link Frame#READY},
 * runs its {@link ChildTask} and ends with {@link Frame#RESULT} or {@link Frame#ERROR}.
 *
 * <p>
 * Arguments: {@code name originNanos maxThreads taskClass [taskArgs...]}. Stdin carries
 * lines from the parent; when it ends the parent has gone (or closed us), and the child
 * halts at once: no child outlives its runner, even one killed with SIGKILL.
 */
public final class ChildMain {

	/** Exit status of a child whose parent went away. */
	static final int ORPHANED = 125;

	private ChildMain() {
	}

	public static void main(String[] args) throws Exception {
		DataOutputStream frames = new DataOutputStream(
				new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16));
		System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
		String name = args[0];
		long origin = Long.parseLong(args[1]);
		int maxThreads = Integer.parseInt(args[2]);
		ChildTask task = (ChildTask) Class.forName(args[3], true, Thread.currentThread().getContextClassLoader())
			.getDeclaredConstructor()
			.newInstance();
		String[] taskArgs = Arrays.copyOfRange(args, 4, args.length);
		BlockingQueue<String> lines = new LinkedBlockingQueue<>();
		Thread.ofPlatform().name("threadline-child-stdin").daemon().start(() -> readStdin(lines));

		Recorder recorder = Recorder.startAt(origin,
				batch -> FrameIO.write(frames, Frame.EVENTS, BatchCodec.encode(batch)), 1 << 14, maxThreads, 2,
				TimeUnit.MILLISECONDS);
		recorder.onThreadLimit(ex -> {
			recorder.close();
			FrameIO.write(frames, Frame.ERROR, bytes(ex.getMessage()));
			Runtime.getRuntime().halt(1);
		});
		FrameIO.write(frames, Frame.READY, new byte[0]);
		String result = null;
		Throwable failure = null;
		try {
			recorder.lane(); // main is the process's first lane
			result = task.run(new ChildContext(name, frames, lines), taskArgs);
		}
		catch (Throwable ex) {
			failure = ex;
		}
		finally {
			recorder.emit(EventKind.THREAD_END, 0, 0);
			recorder.close();
		}
		if (failure != null) {
			StringWriter sw = new StringWriter();
			sw.append(String.valueOf(failure.getMessage())).append('\n');
			failure.printStackTrace(new PrintWriter(sw));
			FrameIO.write(frames, Frame.ERROR, bytes(sw.toString()));
			System.exit(1);
		}
		FrameIO.write(frames, Frame.RESULT, bytes((result != null) ? result : ""));
		System.exit(0);
	}

	private static void readStdin(BlockingQueue<String> lines) {
		try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
			for (String line; (line = in.readLine()) != null;) {
				lines.add(line);
			}
		}
		catch (IOException ex) {
			// the same as the end of input: the parent is gone
		}
		Runtime.getRuntime().halt(ORPHANED);
	}

	private static byte[] bytes(String s) {
		return s.getBytes(StandardCharsets.UTF_8);
	}

}
