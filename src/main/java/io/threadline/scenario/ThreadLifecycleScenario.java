package io.threadline.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

import io.threadline.trace.Marks;
import io.threadline.trace.Span;
import io.threadline.trace.TracedMonitor;
import io.threadline.trace.TracedThread;
import io.threadline.trace.TracedThreads;
import io.threadline.trace.Work;

/**
 * The life of a thread (§3.1–3.2): made the two ways ({@code threading.Thread} subclassed
 * and given a target), started, sleeping, blocked on a monitor, waiting in a join, and
 * ended, passing through every {@link Thread.State} from NEW to TERMINATED, which the
 * main thread observes with {@link Thread#getState()}. Then the price of a thread: many
 * empty threads created and started in a loop.
 */
final class ThreadLifecycleScenario implements Scenario {

	static final String STATES_SEEN = "Java thread states observed";

	static final String BLOCKED_MS = "worker: blocked on shared";

	static final String JOIN_MS = "joiner: waited in join";

	static final String START_COST = "thread create + start";

	/** How long main waits for a thread to reach a state before it gives up. */
	private static final Duration STATE_TIMEOUT = Duration.ofSeconds(20);

	@Override
	public String id() {
		return "thread-lifecycle";
	}

	@Override
	public String title() {
		return "Thread lifecycle: start, sleep, block, join";
	}

	@Override
	public String summary() {
		return "Two threads, one made by extending Thread and one from a Runnable, pass through every state from NEW to TERMINATED.";
	}

	@Override
	public String teaching() {
		return """
				This is §3.1–3.2: main creates worker and joiner (the mark "new" on its lane, state NEW), and \
				their lanes begin only at start(). The worker computes (green), sleeps (blue: TIMED_WAITING), then \
				is blocked (red-orange: BLOCKED) on a monitor main holds (the thin blue bar on main's lane), while \
				joiner waits in worker.join() (orange: WAITING) until the worker's lane ends (TERMINATED). The \
				last span starts and joins many empty threads: its figure is what starting one platform thread \
				costs.""";
	}

	@Override
	public List<Param> parameters() {
		return List.of(
				Param.integer("computeMillions", 20, 1, 200, "million iterations",
						"Work the worker computes before it sleeps and again once it holds the monitor"),
				Param.integer("sleepMillis", 300, 10, 2000, "ms", "How long the worker sleeps"),
				Param.integer("holdMillis", 300, 10, 2000, "ms",
						"How long main keeps the monitor once the worker is blocked on it"),
				Param.integer("threadStarts", 2000, 100, 20_000, "threads",
						"Empty threads created and started to measure the cost of one"));
	}

	@Override
	public String source() {
		return """
				class Worker extends TracedThread {
					protected void body() {
						compute();                                   //@compute
						Thread.sleep(sleepMillis);                   //@sleep
						synchronized (shared) {                      //@lock
							compute();                               //@locked
						}
					}
				}

				Thread worker = new Worker();                        //@new
				Thread joiner = new TracedThread(() -> worker.join(), "joiner"); //@join
				synchronized (shared) {
					worker.start(); joiner.start();                  //@start
					Thread.sleep(holdMillis);                        //@hold
				}
				worker.join(); joiner.join();                        //@end
				for (...) new Thread(() -> {}).start();              //@spawn
				""";
	}

	/** Way 1: extend the thread class and override what it runs. */
	private static final class Worker extends TracedThread {

		private final TracedMonitor shared;

		private final long iterations;

		private final Duration sleep;

		private volatile long blockedNanos;

		Worker(TracedMonitor shared, long iterations, Duration sleep) {
			super("worker");
			this.shared = shared;
			this.iterations = iterations;
			this.sleep = sleep;
		}

		@Override
		protected void body() {
			Marks.mark("compute");
			Work.cpu(this.iterations);
			try {
				Marks.mark("sleep");
				Work.sleep(this.sleep);
			}
			catch (InterruptedException ex) {
				return; // the run is being stopped
			}
			Marks.mark("lock");
			long asked = System.nanoTime();
			this.shared.run(() -> {
				this.blockedNanos = System.nanoTime() - asked;
				Marks.mark("locked");
				Work.cpu(this.iterations);
			});
		}

	}

	@Override
	public List<Figure> run(Params params) throws Exception {
		long iterations = params.getInt("computeMillions") * 1_000_000L;
		Duration sleep = Duration.ofMillis(params.getInt("sleepMillis"));
		Duration hold = Duration.ofMillis(params.getInt("holdMillis"));
		int starts = params.getInt("threadStarts");

		Set<Thread.State> seen = EnumSet.noneOf(Thread.State.class);
		TracedMonitor shared = new TracedMonitor("shared");
		long[] joinNanos = new long[1];

		Marks.mark("new");
		Worker worker = new Worker(shared, iterations, sleep);
		// Way 2: a plain thread given a Runnable.
		Thread joiner = new TracedThread(() -> {
			Marks.mark("join");
			long t0 = System.nanoTime();
			try {
				TracedThreads.join(worker);
			}
			catch (InterruptedException ex) {
				return;
			}
			joinNanos[0] = System.nanoTime() - t0;
		}, "joiner");
		seen.add(worker.getState());
		seen.add(joiner.getState());

		InterruptedException[] interrupted = new InterruptedException[1];
		shared.run(() -> {
			Marks.mark("start");
			worker.start();
			seen.add(worker.getState()); // RUNNABLE: it is computing
			joiner.start();
			try {
				seen.add(awaitState(worker, Thread.State.TIMED_WAITING));
				seen.add(awaitState(joiner, Thread.State.WAITING));
				seen.add(awaitState(worker, Thread.State.BLOCKED));
				Marks.mark("hold");
				Work.sleep(hold);
			}
			catch (InterruptedException ex) {
				interrupted[0] = ex;
			}
		});
		Marks.mark("end");
		TracedThreads.joinAll(List.of(worker, joiner));
		if (interrupted[0] != null) {
			throw interrupted[0];
		}
		seen.add(worker.getState());
		seen.add(joiner.getState());

		double startMicros = startCost(starts);
		return List.of(new Figure(STATES_SEEN, seen.size(), "of 6"),
				new Figure(BLOCKED_MS, worker.blockedNanos / 1e6, "ms"), new Figure(JOIN_MS, joinNanos[0] / 1e6, "ms"),
				new Figure(START_COST, startMicros, "µs per thread"));
	}

	/**
	 * Watches {@code thread} with getState() until it is in {@code state}, looking every
	 * 100 µs (the watcher stays mostly off the CPU), and returns the state.
	 * @throws IllegalStateException if it is not there within {@link #STATE_TIMEOUT}
	 */
	private static Thread.State awaitState(Thread thread, Thread.State state) throws InterruptedException {
		long deadline = System.nanoTime() + STATE_TIMEOUT.toNanos();
		Thread.State now;
		while ((now = thread.getState()) != state) {
			if (now == Thread.State.TERMINATED || System.nanoTime() > deadline) {
				throw new IllegalStateException(thread.getName() + " is " + now + ", never " + state);
			}
			LockSupport.parkNanos(100_000);
			if (Thread.interrupted()) {
				throw new InterruptedException();
			}
		}
		return now;
	}

	/**
	 * Creates and starts {@code count} empty platform threads in a loop and returns the
	 * mean cost of one, in µs. They are not traced (tracing each would add its own cost),
	 * and all are joined before this returns.
	 */
	private static double startCost(int count) throws InterruptedException {
		try (Span span = Span.begin("start " + count + " threads")) {
			Marks.mark("spawn");
			List<Thread> threads = new ArrayList<>(count);
			long t0 = System.nanoTime();
			for (int i = 0; i < count; i++) {
				Thread t = new Thread(() -> {
				});
				t.start();
				threads.add(t);
			}
			long elapsed = System.nanoTime() - t0;
			TracedThreads.joinAll(threads);
			return elapsed / 1e3 / count;
		}
	}

}
