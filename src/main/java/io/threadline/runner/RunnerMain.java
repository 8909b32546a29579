package io.threadline.runner;

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
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.threadline.process.ChildProcess;
import io.threadline.recorder.BatchCodec;
import io.threadline.recorder.DrainWarmup;
import io.threadline.recorder.EventKind;
import io.threadline.recorder.Native;
import io.threadline.recorder.RecordCost;
import io.threadline.recorder.Recorder;
import io.threadline.sampler.DeadlockDetector;
import io.threadline.sampler.JfrContention;
import io.threadline.sampler.SchedSampler;
import io.threadline.scenario.Figure;
import io.threadline.scenario.Params;
import io.threadline.scenario.Scenario;
import io.threadline.scenario.ScenarioCatalogue;

/**
 * The runner JVM: a plain JVM (no Spring) that runs one scenario on real threads and
 * streams its events to the server on stdout. Started ahead of time by the server, it
 * loads what a run needs, says READY, and blocks on stdin until the job arrives, so a
 * click starts the run at once.
 *
 * <p>
 * Stdout carries binary frames only; anything a scenario prints goes to stderr, which the
 * server logs. The runner exits when the run ends; the server kills it (and its children)
 * on cancel or deadline.
 */
public final class RunnerMain {

	/** The exit code of a runner whose server went away during the run. */
	static final int SERVER_GONE = 3;

	private final DataOutputStream out;

	/** The cost of recording one event, measured as the runner warmed up. */
	private double nanosPerEvent;

	/** Started before the job arrives; null when JFR is off. */
	private JfrContention jfr;

	private RunnerMain(DataOutputStream out) {
		this.out = out;
	}

	public static void main(String[] args) {
		try {
			System.exit(serve());
		}
		catch (Throwable ex) {
			// A failure outside a run (its stdout gone before READY: the server died
			// while
			// this runner warmed up). Halts: returning would leave the JVM alive, held by
			// the flight recorder's non-daemon thread, with nobody to end it.
			ex.printStackTrace();
			Runtime.getRuntime().halt(SERVER_GONE);
		}
	}

	/** Warms up, says READY, runs the job the server sends; the exit code. */
	private static int serve() throws IOException {
		DataOutputStream frames = new DataOutputStream(
				new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16));
		System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
		RunnerMain runner = new RunnerMain(frames);
		// First: JFR takes a second or more to start, hidden while the runner is warm.
		runner.jfr = JfrContention.startFromSystemProperty();
		runner.warmUp();
		runner.frame(Frame.READY, new byte[0]);
		BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		Job job = Job.readFrom(stdin);
		if (job == null) {
			// The server shut down before giving us work. Exits rather than returns:
			// the flight recorder's threads would keep the JVM alive.
			return 0;
		}
		int code = runner.run(job, stdin);
		frames.flush();
		return code;
	}

	/**
	 * The server is gone: nobody will read this run's events or end it, and a deadlocked
	 * scenario would hold its threads forever. Ends the run's child processes and halts
	 * (no shutdown hooks: a scenario's threads may hold the locks they would need).
	 */
	private static void serverGone() {
		System.err.println("threadline runner: the server closed this runner's stdin; ending the run");
		ChildProcess.endAll();
		Runtime.getRuntime().halt(SERVER_GONE);
	}

	/**
	 * Loads and links what every run uses, so the first event is not paying for class
	 * loading.
	 */
	private void warmUp() {
		Native.currentCpu();
		Native.currentTid();
		ScenarioCatalogue.all().forEach(Scenario::parameters);
		// Compiles the drain's merge and encoder, which the measure below does not reach
		// (its drain hands its batches to no one).
		DrainWarmup.run();
		// Also compiles the record path before the run's first event.
		this.nanosPerEvent = RecordCost.perEventNanos();
	}

	int run(Job job, BufferedReader commands) {
		Scenario scenario = ScenarioCatalogue.find(job.scenario()).orElse(null);
		if (scenario == null) {
			error("unknown scenario '" + job.scenario() + "'", null);
			return 2;
		}
		Params params;
		try {
			params = Params.validate(scenario, job.params());
		}
		catch (RuntimeException ex) {
			error(ex.getMessage(), null);
			return 2;
		}
		List<Figure> figures = new ArrayList<>();
		Throwable failure = null;
		Recorder recorder = Recorder.start(batch -> frame(Frame.EVENTS, BatchCodec.encode(batch)), 1 << 14,
				job.maxThreads(), 2, TimeUnit.MILLISECONDS);
		recorder.onThreadLimit(ex -> {
			// Ends the run at once: the thread that hit the limit may belong to a pool
			// that would swallow the exception and leave the scenario waiting for work
			// that never comes.
			recorder.close();
			error(ex.getMessage() + " (the server's threadline.runs.max-threads)", null);
			Runtime.getRuntime().halt(1);
		});
		// Finds deadlocks while the scenario runs; stopped before the recorder closes, so
		// that every cycle it records is drained.
		DeadlockDetector detector = DeadlockDetector.start(recorder);
		// Commands from the server during the run (the dashboard's "break the deadlock").
		new Commands(recorder, line -> frame(Frame.REPLY, line.getBytes(StandardCharsets.UTF_8))).serve(commands,
				RunnerMain::serverGone);
		SchedSampler sampler = SchedSampler.start(recorder, job.samplerHz());
		if (this.jfr != null) {
			this.jfr.attach(recorder);
		}
		ChildProcess.limit(job.maxProcesses());
		int orphans = 0;
		try {
			recorder.lane(); // the driver thread ("main") is the run's first lane
			figures.addAll(scenario.run(params));
		}
		catch (Throwable ex) {
			failure = ex;
		}
		finally {
			// Child processes still alive when the scenario returns are killed, and
			// their ends merged, before recording stops.
			orphans = ChildProcess.endAll();
			sampler.close();
			detector.close();
			recorder.emit(EventKind.THREAD_END, 0, 0);
			if (this.jfr != null) {
				// Hands over the run's last waits first: up to a second, until JFR's
				// next flush (it flushes once a second), after the driver's lane ended.
				this.jfr.close();
			}
			recorder.close();
		}
		long stalls = recorder.stalls();
		long events = recorder.eventCount();
		if (failure != null) {
			error(describe(failure), failure);
			return 1;
		}
		if (orphans > 0) {
			figures.add(new Figure("Child processes still alive at the end, killed", orphans, "processes"));
		}
		figures.addAll(sampler.figures());
		if (this.jfr != null) {
			figures.addAll(this.jfr.figures());
		}
		figures.add(new Figure("Events recorded", events, "events"));
		figures.add(new Figure("Recorder stalls (a full ring waited for the drain)", stalls, "stalls"));
		figures.addAll(new RecordingOverhead(events, this.nanosPerEvent, recorder.drainCpuNanos(),
				sampler.ownCpuNanos() + detector.ownCpuNanos(), sampler.onCpuNanos())
			.figures());
		StringBuilder sb = new StringBuilder();
		for (Figure f : figures) {
			sb.append(clean(f.name())).append('\t').append(f.value()).append('\t').append(clean(f.unit())).append('\n');
		}
		frame(Frame.RESULT, sb.toString().getBytes(StandardCharsets.UTF_8));
		return 0;
	}

	private static String describe(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String msg = root.getMessage();
		return root.getClass().getSimpleName() + ((msg != null) ? ": " + msg : "");
	}

	private static String clean(String s) {
		return (s == null) ? "" : s.replace('\t', ' ').replace('\n', ' ');
	}

	private void error(String message, Throwable detail) {
		StringWriter sw = new StringWriter();
		sw.append(message).append('\n');
		if (detail != null) {
			detail.printStackTrace(new PrintWriter(sw));
		}
		frame(Frame.ERROR, sw.toString().getBytes(StandardCharsets.UTF_8));
	}

	/** Writes one frame; called from the drain thread and from main. */
	private void frame(Frame type, byte[] payload) {
		FrameIO.write(this.out, type, payload);
	}

}
