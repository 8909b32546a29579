package io.threadline.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

import io.threadline.trace.Marks;
import io.threadline.trace.Span;
import io.threadline.trace.TracedExecutor;
import io.threadline.trace.TracedExecutor.Rejection;
import io.threadline.trace.Work;

/**
 * A thread pool's rule (§3.5), on a real {@code ThreadPoolExecutor}: a new task goes to a
 * new thread below the core size, then to the queue, to a thread beyond the core only
 * when the queue is full, and is rejected when the pool is at its maximum too.
 */
final class ThreadPoolScenario implements Scenario {

	static final String SUBMITTED = "tasks submitted";

	static final String COMPLETED = "tasks completed";

	static final String REJECTED = "tasks rejected";

	static final String DROPPED = "tasks dropped";

	static final String RAN_BY_CALLER = "tasks run by the submitter";

	static final String LARGEST_POOL = "max pool size reached";

	static final String MEAN_WAIT = "mean wait from submit to start";

	static final String TIME = "time";

	static final String POOL = "pool";

	static final List<String> POLICIES = List.of("abort", "caller-runs", "discard", "discard-oldest");

	@Override
	public String id() {
		return "thread-pool";
	}

	@Override
	public String title() {
		return "Thread pool: core size, queue, max size, rejection";
	}

	@Override
	public String summary() {
		return "A burst of tasks meets a ThreadPoolExecutor: core threads, then the queue, then extra threads, then rejections.";
	}

	@Override
	public String teaching() {
		return """
				A ThreadPoolExecutor (§3.5) places each new task by one rule: below the core size, on a new \
				thread; else in the queue; if the queue is full, on a new thread up to the max size; else to the \
				rejection policy. Read the burst in that order: the first tasks start worker lanes, the next wait \
				in the queue (the "pool queue depth" counter climbs to the capacity and their boxes start late), \
				only then do lanes appear beyond the core, and every later task is rejected, a REJECT on main's \
				lane. With caller-runs, main runs a rejected task itself, a task box on its own lane.""";
	}

	@Override
	public String source() {
		return """
				ThreadPoolExecutor pool = new ThreadPoolExecutor(coreSize, maxSize,
				        60, SECONDS, new ArrayBlockingQueue<>(queueCapacity), policy);
				for (int i = 1; i <= tasks; i++) {
				    try {
				        pool.submit(() -> handle(request(i)));   //@submit
				    }
				    catch (RejectedExecutionException ex) {
				        rejected++;                            //@rejected
				    }
				}
				pool.close(); // waits for every task to end    //@close
				""";
	}

	@Override
	public List<Param> parameters() {
		return List.of(Param.integer("coreSize", 2, 1, 8, "threads", "Threads the pool keeps, started as tasks arrive"),
				Param.integer("maxSize", 4, 1, 16, "threads",
						"The most threads, beyond the core only when the queue is full (at least the core size)"),
				Param.integer("queueCapacity", 4, 0, 50, "tasks", "Tasks that can wait in the pool's queue"),
				// Param.choice has no unit; the dashboard shows this one's, "policy".
				new Param("rejection", ParamType.ENUM, "abort", null, null, "policy",
						"What happens to a task when the pool and its queue are full", POLICIES),
				Param.integer("tasks", 16, 1, 100, "tasks", "Tasks submitted"),
				Param.integer("taskMillis", 100, 1, 200, "ms", "Time each task takes"), Param.integer(
						"submitEveryMillis", 0, 0, 50, "ms", "Time between two submissions (0: all at once, a burst)"));
	}

	@Override
	public List<Figure> run(Params params) throws Exception {
		int core = params.getInt("coreSize");
		// ThreadPoolExecutor refuses a max below the core; a slider set so should not
		// fail the run, so it means the core.
		int max = Math.max(core, params.getInt("maxSize"));
		int capacity = params.getInt("queueCapacity");
		Rejection policy = Rejection.valueOf(params.getString("rejection").toUpperCase(Locale.ROOT).replace('-', '_'));
		int tasks = params.getInt("tasks");
		Duration task = Duration.ofMillis(params.getInt("taskMillis"));
		Duration interval = Duration.ofMillis(params.getInt("submitEveryMillis"));

		List<Future<?>> accepted = new ArrayList<>();
		int aborted = 0;
		long start = System.nanoTime();
		String mainThread = Thread.currentThread().getName();
		int[] ranByCaller = { 0 };
		TracedExecutor pool = TracedExecutor.builder(POOL)
			.coreSize(core)
			.maxSize(max)
			.queueCapacity(capacity)
			.rejection(policy)
			.build();
		try (Span span = Span.begin("core " + core + ", max " + max + ", queue " + capacity + ", "
				+ policy.name().toLowerCase(Locale.ROOT).replace('_', '-'))) {
			try (pool) {
				for (int i = 1; i <= tasks; i++) {
					if (i > 1 && !interval.isZero()) {
						Work.sleep(interval);
					}
					Marks.mark("submit");
					try {
						accepted.add(pool.submit("task " + i, () -> {
							if (Thread.currentThread().getName().equals(mainThread)) {
								ranByCaller[0]++; // only the submitting thread writes
													// this
							}
							Work.io(task);
							return null;
						}));
					}
					catch (RejectedExecutionException ex) {
						Marks.mark("rejected");
						aborted++;
					}
				}
				Marks.mark("close");
			}
		}
		long elapsed = System.nanoTime() - start;

		int dropped = 0;
		for (Future<?> f : accepted) {
			dropped += (f.state() == Future.State.CANCELLED) ? 1 : 0;
		}
		return List.of(new Figure(SUBMITTED, tasks, "tasks"), new Figure(COMPLETED, pool.completedCount(), "tasks"),
				new Figure(REJECTED, pool.rejectedCount(), "tasks"), new Figure(DROPPED, dropped + aborted, "tasks"),
				new Figure(RAN_BY_CALLER, ranByCaller[0], "tasks"),
				new Figure(LARGEST_POOL, pool.largestPoolSize(), "threads"),
				new Figure(MEAN_WAIT, pool.meanWait().toNanos() / 1e6, "ms"), new Figure(TIME, elapsed / 1e6, "ms"));
	}

}
