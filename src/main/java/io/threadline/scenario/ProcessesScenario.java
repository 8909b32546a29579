package io.threadline.scenario;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import io.threadline.process.ChildContext;
import io.threadline.process.ChildProcess;
import io.threadline.process.ChildProcessException;
import io.threadline.process.ChildTask;
import io.threadline.recorder.Recorder;
import io.threadline.trace.Marks;
import io.threadline.trace.Span;
import io.threadline.trace.TracedThreads;
import io.threadline.trace.Work;

/**
 * Processes against threads (§1.1–1.2, §4.1–4.2): what a process costs to start, that it
 * shares no memory with its siblings, and that its crash is its own. Every process here
 * is a real JVM started by the runner; one of them crashes on purpose.
 */
final class ProcessesScenario implements Scenario {

	static final String PROCESS_START_MS = "Process start-up, mean";

	static final String THREAD_START_US = "Thread start-up, median";

	static final String START_RATIO = "Process / thread start-up";

	static final String SEEN_BY_THREAD = "Value a sibling thread reads after the write";

	static final String SEEN_BY_PROCESS = "Value another process reads after the write";

	static final String SEEN_BY_PARENT = "Value the parent reads after a child's write";

	static final String FINISHED = "Worker processes that finished";

	static final String CRASHED = "Worker processes that crashed";

	static final String THREADS_LOST = "Threads that died with the crashed process";

	static final String SURVIVOR_WORK = "Work done by the other processes";

	/** The exit status of the worker that crashes: a fatal error, as a native crash. */
	static final int CRASH_STATUS = 3;

	static final int WRITTEN = 42;

	/** Chunks of each worker thread's work: the crash comes halfway through. */
	static final int CHUNKS = 20;

	/**
	 * A global variable: one per process. A write by a thread is seen by the other
	 * threads of its process, never by another process.
	 */
	static volatile int global;

	@Override
	public String id() {
		return "processes";
	}

	@Override
	public String title() {
		return "Processes vs threads";
	}

	@Override
	public String summary() {
		return "Real child processes: their start-up cost, their separate memory, and a crash that takes down one process and none of the others.";
	}

	@Override
	public String teaching() {
		return """
				Each process is a real JVM, a group of lanes of its own with its pid: the gap between a spawn and \
				the process's first lane is its start-up, hundreds of milliseconds against tens of microseconds \
				for a thread (§1.1–1.2). In the memory phase a thread's write of 42 is seen by its sibling, while the \
				writer process's 42 is not seen by the reader process or the parent: each has its own memory \
				(§1.1–1.2), so processes share through IPC only. In the crash phase one thread of one worker \
				ends its process abruptly: all that process's lanes stop at once, while the other processes \
				finish their work and the run reports the crash (§4.1–4.2).""";
	}

	@Override
	public String source() {
		return """
				// the writer process
				global = 42;                       //@write
				// the reader process: still 0
				return global;                     //@read

				// each thread of a worker process
				for (int c = 0; c < CHUNKS; c++) {
				    if (crash && c == CHUNKS / 2)
				        // ends every thread
				        Runtime.getRuntime().halt(3); //@crash
				    Work.cpu(work / CHUNKS);       //@work
				}
				""";
	}

	@Override
	public List<Param> parameters() {
		return List.of(Param.integer("processes", 3, 2, 6, "processes", "Worker processes in the crash phase"),
				Param.integer("threads", 2, 1, 4, "threads", "Threads in each worker process"),
				Param.integer("work", 40, 1, 200, "million iterations",
						"CPU work per worker thread: loop iterations of the sum of squares"),
				Param.flag("crash", true, "One thread of the middle worker ends its process halfway"));
	}

	@Override
	public List<Figure> run(Params params) throws Exception {
		int processes = params.getInt("processes");
		int threads = params.getInt("threads");
		long work = params.getInt("work") * 1_000_000L;
		boolean crash = params.getBoolean("crash");

		long threadStart;
		try (Span phase = Span.begin("Thread start-up · " + processes + " threads")) {
			threadStart = threadStartNanos(processes);
		}
		int[] seen;
		try (Span phase = Span.begin("Memory · threads and processes")) {
			seen = isolation();
		}
		List<ChildProcess> workers = new ArrayList<>();
		int crashAt = crash ? processes / 2 : -1;
		int finished = 0;
		int crashed = 0;
		long survivorChunks = 0;
		try (Span phase = Span.begin("Crash · " + processes + " processes × " + threads + " threads")) {
			for (int p = 0; p < processes; p++) {
				workers.add(ChildProcess.start("worker-" + (p + 1), Worker.class, Integer.toString(threads),
						Long.toString(work), Boolean.toString(p == crashAt)));
			}
			for (ChildProcess w : workers) {
				try {
					survivorChunks += Long.parseLong(w.awaitResult().strip());
					finished++;
				}
				catch (ChildProcessException ex) {
					crashed++;
				}
			}
		}
		double processStart = workers.stream()
			.mapToLong(ChildProcess::spawnNanos)
			.filter(n -> n > 0)
			.average()
			.orElse(0);
		long survivorShare = (long) (processes - (crash ? 1 : 0)) * threads * CHUNKS;
		return List.of(new Figure(PROCESS_START_MS, processStart / 1e6, "ms"),
				new Figure(THREAD_START_US, threadStart / 1e3, "µs"),
				new Figure(START_RATIO, processStart / Math.max(threadStart, 1), "x"),
				new Figure(SEEN_BY_THREAD, seen[0], "value"), new Figure(SEEN_BY_PROCESS, seen[1], "value"),
				new Figure(SEEN_BY_PARENT, seen[2], "value"), new Figure(FINISHED, finished, "processes"),
				new Figure(CRASHED, crashed, "processes"), new Figure(THREADS_LOST, crashed * threads, "threads"),
				new Figure(SURVIVOR_WORK, 100.0 * survivorChunks / Math.max(survivorShare, 1), "%"));
	}

	/**
	 * Median time from {@code Thread.start()} to the new thread running its first line,
	 * over {@code count} threads started one after another, after one unmeasured start
	 * that pays the one-time class loading (the child processes pay theirs in their
	 * start-up, as they would every time). Plain threads, not traced: a traced thread's
	 * first event sets up its recording ring, a cost of Threadline's, not of the thread.
	 */
	private static long threadStartNanos(int count) throws InterruptedException {
		long[] took = new long[count];
		for (int i = 0; i <= count; i++) {
			long[] ran = new long[1];
			long start = System.nanoTime();
			Thread t = Thread.ofPlatform().start(() -> ran[0] = System.nanoTime());
			t.join(); // join publishes ran[0]
			if (i > 0) {
				took[i - 1] = ran[0] - start;
			}
		}
		Arrays.sort(took);
		return took[count / 2];
	}

	/**
	 * A global written by one thread and read by its sibling, then written by one process
	 * and read by another and by the parent: {seen by the thread, by the process, by the
	 * parent}.
	 */
	private static int[] isolation() throws Exception {
		global = 0;
		ChildProcess writer = ChildProcess.start("writer", Isolation.class, "write");
		ChildProcess reader = ChildProcess.start("reader", Isolation.class, "read");
		writer.awaitResult(); // the writer has written 42 to its global
		reader.send("read now");
		int byProcess = Integer.parseInt(reader.awaitResult().strip());
		int byParent = global;

		CountDownLatch written = new CountDownLatch(1);
		int[] byThread = new int[1];
		Thread w = TracedThreads.start("writer-thread", () -> {
			Marks.mark("write");
			global = WRITTEN;
			written.countDown();
		});
		Thread r = TracedThreads.start("reader-thread", () -> {
			try {
				written.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			Marks.mark("read");
			byThread[0] = global;
		});
		TracedThreads.joinAll(List.of(w, r));
		global = 0;
		return new int[] { byThread[0], byProcess, byParent };
	}

	/**
	 * In a child: write 42 to this process's global, or wait for the word and read it.
	 */
	public static final class Isolation implements ChildTask {

		@Override
		public String run(ChildContext context, String[] args) throws Exception {
			if (args[0].equals("write")) {
				Marks.mark("write");
				global = WRITTEN;
				return Integer.toString(global);
			}
			context.receive(); // the parent says the writer has written
			Marks.mark("read");
			return Integer.toString(global);
		}

	}

	/**
	 * In a child: {@code threads} threads each doing CPU work in chunks; with the crash
	 * on, the first thread halts the whole process halfway through.
	 */
	public static final class Worker implements ChildTask {

		@Override
		public String run(ChildContext context, String[] args) throws Exception {
			int threads = Integer.parseInt(args[0]);
			long work = Long.parseLong(args[1]);
			boolean crash = Boolean.parseBoolean(args[2]);
			long[] chunks = new long[threads];
			List<Thread> started = new ArrayList<>();
			// In the process that crashes, every thread is halfway when the crash comes,
			// and
			// none can end before it: on a loaded machine a sibling could otherwise
			// finish
			// its work (and end normally) before the crashing thread got halfway.
			CountDownLatch halfway = new CountDownLatch(crash ? threads : 0);
			CountDownLatch never = new CountDownLatch(1);
			for (int t = 0; t < threads; t++) {
				int index = t;
				started.add(TracedThreads.start(context.name() + "-thread-" + (t + 1), () -> {
					for (int chunk = 0; chunk < CHUNKS; chunk++) {
						if (crash && chunk == CHUNKS / 2) {
							halfway.countDown();
							awaitQuietly(halfway);
						}
						if (crash && index == 0 && chunk == CHUNKS / 2) {
							Marks.mark("crash");
							// One courtesy a real crash would not give: what was
							// recorded so far is sent, so the timeline shows where
							// it happened. Then abruptly, as a crash in native code:
							// no finally, no exception, every thread of the process
							// gone.
							Recorder.current().close();
							Runtime.getRuntime().halt(CRASH_STATUS);
						}
						Marks.mark("work");
						Work.cpu(work / CHUNKS);
						chunks[index]++;
					}
					if (crash) {
						awaitQuietly(never); // the halt ends the process first
					}
				}));
			}
			TracedThreads.joinAll(started);
			long total = 0;
			for (long c : chunks) {
				total += c;
			}
			return Long.toString(total);
		}

		private static void awaitQuietly(CountDownLatch latch) {
			try {
				latch.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
