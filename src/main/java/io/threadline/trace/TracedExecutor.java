package io.threadline.trace;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.recorder.Recorder;
import io.threadline.recorder.ThreadState;

/**
 * A pool of named platform threads over a real {@link ThreadPoolExecutor}, as Python's
 * {@code ThreadPoolExecutor(max_workers=n)}. Tasks are shown as submitted by the caller,
 * started and ended on a worker; a worker goes IDLE between tasks. Close it
 * (try-with-resources) to wait for every worker to end.
 *
 * <p>
 * {@link #fixed} is the everyday pool: every worker is started up front, so the pool's
 * lanes all appear at once and a worker with nothing to do is seen idle (light grey)
 * rather than missing. {@link #builder} makes the whole {@code ThreadPoolExecutor}: a
 * core size, a maximum size, a bounded queue and a rejection policy, with counter lanes
 * for the queue's depth and the pool's size and a REJECT event for every task the pool
 * turns away, so its rule can be watched: a new task goes to a new thread while the pool
 * is below its core size, then to the queue, to a thread beyond the core only when the
 * queue is full, and to the rejection policy when the pool is at its maximum too.
 */
public final class TracedExecutor implements AutoCloseable, Executor {

	/**
	 * What to do with a task when the queue is full and the pool at its maximum size:
	 * {@code ThreadPoolExecutor}'s four policies. Unlike the JDK's, the discarding
	 * policies cancel the task they drop, so that whoever waits for its future is told
	 * rather than left waiting forever.
	 */
	public enum Rejection {

		/** The submitter gets a {@link RejectedExecutionException}. */
		ABORT,
		/** The submitter runs the task itself, which slows down its submitting. */
		CALLER_RUNS,
		/** The new task is dropped (its future cancelled). */
		DISCARD,
		/**
		 * The oldest queued task is dropped (its future cancelled) and the new one
		 * submitted again.
		 */
		DISCARD_OLDEST

	}

	/** A queue capacity meaning "no bound". */
	public static final int UNBOUNDED = Integer.MAX_VALUE;

	private final String name;

	private final int id;

	private final ThreadPoolExecutor pool;

	private final Rejection rejection;

	/**
	 * Every worker the pool made, so that close can wait for the threads themselves to
	 * end.
	 */
	private final List<Thread> workers = new CopyOnWriteArrayList<>();

	private final AtomicInteger taskCount = new AtomicInteger();

	/** Counter lanes of the queue's depth and the pool's size, or null if not shown. */
	private final TracedGauge queueDepth;

	private final TracedGauge poolSize;

	private final AtomicInteger liveWorkers = new AtomicInteger();

	private final AtomicInteger rejected = new AtomicInteger();

	private final AtomicInteger started = new AtomicInteger();

	private final AtomicInteger ended = new AtomicInteger();

	/** Time from TASK_SUBMIT to TASK_START, summed over started tasks. */
	private final LongAdder waitNanos = new LongAdder();

	private TracedExecutor(Builder b) {
		this.name = b.name;
		this.id = Recorder.name(NameCategory.EXECUTOR, b.name);
		this.rejection = b.rejection;
		this.queueDepth = b.counters ? new TracedGauge(b.name + " queue depth") : null;
		this.poolSize = b.counters ? new TracedGauge(b.name + " threads") : null;
		AtomicInteger next = new AtomicInteger(1);
		ThreadFactory factory = (worker) -> {
			Runnable body = (this.poolSize != null) ? () -> {
				countWorker(1);
				try {
					worker.run();
				}
				finally {
					countWorker(-1);
				}
			} : worker;
			// A new worker goes straight to the queue for its first task: it starts IDLE.
			Thread t = TracedThreads.unstarted(b.name + "-worker-" + next.getAndIncrement(), body, ThreadState.IDLE,
					this.id);
			this.workers.add(t);
			return t;
		};
		BlockingQueue<Runnable> queue = switch (b.queueCapacity) {
			case 0 -> new SynchronousQueue<>();
			case UNBOUNDED -> new LinkedBlockingQueue<>();
			default -> new ArrayBlockingQueue<>(b.queueCapacity);
		};
		this.pool = new ThreadPoolExecutor(b.core, b.max, b.keepAlive.toNanos(), TimeUnit.NANOSECONDS, queue, factory,
				(task, pool) -> rejected((TracedTask<?>) task, pool));
		if (b.prestart) {
			this.pool.prestartAllCoreThreads();
		}
	}

	/**
	 * Starts a pool of {@code threads} workers named {@code name-worker-1},
	 * {@code name-worker-2}, ...; {@code name} is also the executor's name on the
	 * timeline. Its queue has no bound.
	 */
	public static TracedExecutor fixed(String name, int threads) {
		if (threads < 1) {
			throw new IllegalArgumentException("a pool needs at least one thread, not " + threads);
		}
		return builder(name).coreSize(threads).maxSize(threads).prestart(true).counters(false).build();
	}

	/**
	 * A pool to configure like a {@code ThreadPoolExecutor}. By default: one core thread,
	 * no more, an unbounded queue, {@link Rejection#ABORT}, threads started as tasks
	 * arrive (as {@code ThreadPoolExecutor} does), counter lanes shown.
	 */
	public static Builder builder(String name) {
		return new Builder(name);
	}

	/** The settings of a pool; {@link #build} starts it. */
	public static final class Builder {

		private final String name;

		private int core = 1;

		private int max = 1;

		private int queueCapacity = UNBOUNDED;

		private Rejection rejection = Rejection.ABORT;

		private Duration keepAlive = Duration.ofSeconds(60);

		private boolean prestart;

		private boolean counters = true;

		private Builder(String name) {
			this.name = name;
		}

		/** Threads the pool keeps once started, even idle. */
		public Builder coreSize(int core) {
			this.core = core;
			return this;
		}

		/**
		 * The most threads the pool runs; beyond the core only while the queue is full.
		 */
		public Builder maxSize(int max) {
			this.max = max;
			return this;
		}

		/**
		 * The most tasks waiting for a thread: 0 for a direct hand-off (no queue),
		 * {@link #UNBOUNDED} for no limit.
		 */
		public Builder queueCapacity(int capacity) {
			this.queueCapacity = capacity;
			return this;
		}

		public Builder rejection(Rejection rejection) {
			this.rejection = rejection;
			return this;
		}

		/** How long a thread beyond the core may stay idle before it ends. */
		public Builder keepAlive(Duration keepAlive) {
			this.keepAlive = keepAlive;
			return this;
		}

		/** Whether the core threads start at once, idle, rather than with a task each. */
		public Builder prestart(boolean prestart) {
			this.prestart = prestart;
			return this;
		}

		/** Whether the queue's depth and the pool's size are shown as counter lanes. */
		public Builder counters(boolean counters) {
			this.counters = counters;
			return this;
		}

		/**
		 * @throws IllegalArgumentException if the sizes are not {@code 1 <= core <= max}
		 * or the capacity is negative
		 */
		public TracedExecutor build() {
			if (this.core < 1 || this.max < this.core) {
				throw new IllegalArgumentException(
						"a pool needs 1 <= core size <= max size, not " + this.core + " and " + this.max);
			}
			if (this.queueCapacity < 0) {
				throw new IllegalArgumentException("a queue capacity cannot be negative: " + this.queueCapacity);
			}
			return new TracedExecutor(this);
		}

	}

	public String name() {
		return this.name;
	}

	/** The executor's object id in this run (0 when not recording). */
	public int id() {
		return this.id;
	}

	public int poolSize() {
		return this.pool.getCorePoolSize();
	}

	/** The most threads the pool may run. */
	public int maxPoolSize() {
		return this.pool.getMaximumPoolSize();
	}

	/** The most threads the pool has run at once. */
	public int largestPoolSize() {
		return this.pool.getLargestPoolSize();
	}

	/** Tasks the pool turned away, whatever its policy did with them. */
	public int rejectedCount() {
		return this.rejected.get();
	}

	/**
	 * Tasks that have ended (normally or not), on a worker or on a caller that ran them.
	 */
	public int completedCount() {
		return this.ended.get();
	}

	/** The mean time from a task's submission to its start, over the tasks started. */
	public Duration meanWait() {
		int n = this.started.get();
		return Duration.ofNanos((n == 0) ? 0 : this.waitNanos.sum() / n);
	}

	/**
	 * Submits a task named {@code label} on the timeline.
	 * @throws RejectedExecutionException if the pool rejects it under
	 * {@link Rejection#ABORT} (recorded as REJECT), or is closed
	 */
	public <T> Future<T> submit(String label, Callable<T> task) {
		int taskId = Recorder.name(NameCategory.TASK, label);
		Gate.before(EventKind.TASK_SUBMIT, taskId, this.id);
		Recorder.record(EventKind.TASK_SUBMIT, taskId, this.id);
		long submitted = System.nanoTime();
		TracedTask<T> traced = new TracedTask<>(taskId, () -> runTask(taskId, submitted, task));
		this.pool.execute(traced);
		sampleQueue();
		return traced;
	}

	public <T> Future<T> submit(Callable<T> task) {
		return submit(defaultLabel(), task);
	}

	public Future<?> submit(Runnable task) {
		return submit(defaultLabel(), Executors.callable(task));
	}

	/**
	 * Runs {@code task} on the pool as a task named {@code label}: an executor for
	 * {@code CompletableFuture.supplyAsync(..., executor)}.
	 */
	public void execute(String label, Runnable task) {
		submit(label, Executors.callable(task));
	}

	@Override
	public void execute(Runnable task) {
		execute(defaultLabel(), task);
	}

	private String defaultLabel() {
		return this.name + " task " + this.taskCount.incrementAndGet();
	}

	/**
	 * Records the queue's depth. Read and recorded under one lock: otherwise two threads
	 * could read it in one order and record it in the other, and the lane would end on a
	 * stale depth.
	 */
	private void sampleQueue() {
		if (this.queueDepth != null) {
			synchronized (this.queueDepth) {
				this.queueDepth.set(this.pool.getQueue().size());
			}
		}
	}

	/** Counts a worker thread in (+1, as it starts) or out (-1, as it ends). */
	private void countWorker(int delta) {
		synchronized (this.poolSize) {
			this.poolSize.set(this.liveWorkers.addAndGet(delta));
		}
	}

	/**
	 * A task as the pool holds it, with its id on the timeline, so that the rejection
	 * handler can tell which task it drops.
	 */
	private static final class TracedTask<T> extends FutureTask<T> {

		private final int taskId;

		TracedTask(int taskId, Callable<T> task) {
			super(task);
			this.taskId = taskId;
		}

	}

	private <T> T runTask(int taskId, long submitNanos, Callable<T> task) throws Exception {
		Gate.before(EventKind.TASK_START, taskId, this.id);
		Recorder.record(EventKind.TASK_START, taskId, this.id);
		this.waitNanos.add(System.nanoTime() - submitNanos);
		this.started.incrementAndGet();
		sampleQueue();
		try {
			return task.call();
		}
		finally {
			this.ended.incrementAndGet();
			// Recorded before the future completes: whoever waits on it wakes after this.
			Recorder.record(EventKind.TASK_END, taskId, this.id);
			// A worker goes back to the pool; a caller that ran a rejected task itself
			// (CALLER_RUNS) goes on with its own work.
			if (this.workers.contains(Thread.currentThread())) {
				Recorder.record(EventKind.STATE, this.id, ThreadState.IDLE.ordinal());
			}
			else {
				running();
			}
		}
	}

	/**
	 * The pool's rejection handler, on the submitting thread: records the REJECT, then
	 * does what the policy says.
	 */
	private void rejected(TracedTask<?> task, ThreadPoolExecutor pool) {
		if (pool.isShutdown()) {
			task.cancel(false);
			throw new RejectedExecutionException(this.name + " is closed");
		}
		switch (this.rejection) {
			case ABORT -> {
				reject(task);
				throw new RejectedExecutionException(this.name + " is full: " + pool.getPoolSize()
						+ " threads busy and " + pool.getQueue().size() + " tasks queued");
			}
			case CALLER_RUNS -> {
				reject(task);
				task.run();
			}
			case DISCARD -> {
				reject(task);
				task.cancel(false);
			}
			case DISCARD_OLDEST -> {
				Runnable oldest = pool.getQueue().poll();
				if (oldest == null) {
					// Nothing queued to drop (a pool with no queue): dropping the new
					// task is the only way out; the JDK's policy would retry forever.
					reject(task);
					task.cancel(false);
					return;
				}
				TracedTask<?> dropped = (TracedTask<?>) oldest;
				reject(dropped);
				dropped.cancel(false);
				sampleQueue();
				pool.execute(task);
			}
		}
	}

	private void reject(TracedTask<?> task) {
		Gate.before(EventKind.REJECT, task.taskId, this.id);
		this.rejected.incrementAndGet();
		Recorder.record(EventKind.REJECT, task.taskId, this.id);
	}

	/**
	 * Submits every task, then waits for all of them, shown as WAITING on this executor.
	 * Like {@link java.util.concurrent.ExecutorService#invokeAll}, the futures are all
	 * done on return and a task's exception stays in its future.
	 */
	public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
		return invokeAll(null, tasks);
	}

	/**
	 * {@link #invokeAll(Collection)} with the tasks named {@code label 1},
	 * {@code label 2}, ... on the timeline.
	 */
	public <T> List<Future<T>> invokeAll(String label, Collection<? extends Callable<T>> tasks)
			throws InterruptedException {
		List<Future<T>> futures = new ArrayList<>(tasks.size());
		int n = 0;
		for (Callable<T> task : tasks) {
			futures.add((label != null) ? submit(label + " " + ++n, task) : submit(task));
		}
		waiting();
		try {
			for (Future<T> f : futures) {
				try {
					f.get();
				}
				catch (ExecutionException ex) {
					// left in the future, as invokeAll does
				}
			}
		}
		finally {
			running();
		}
		return futures;
	}

	/**
	 * Waits for one task's result, shown as WAITING on this executor.
	 * @throws ExecutionException if the task threw
	 */
	public <T> T get(Future<T> future) throws InterruptedException, ExecutionException {
		waiting();
		try {
			return future.get();
		}
		finally {
			running();
		}
	}

	/**
	 * Waits for every task's result in order, shown as WAITING on this executor.
	 * @throws ExecutionException for the first task (in list order) that threw
	 */
	public <T> List<T> getAll(List<Future<T>> futures) throws InterruptedException, ExecutionException {
		List<T> results = new ArrayList<>(futures.size());
		waiting();
		try {
			for (Future<T> f : futures) {
				results.add(f.get());
			}
		}
		finally {
			running();
		}
		return results;
	}

	private void waiting() {
		Gate.before(EventKind.STATE, this.id, ThreadState.WAITING.ordinal());
		Recorder.record(EventKind.STATE, this.id, ThreadState.WAITING.ordinal());
	}

	private static void running() {
		Recorder.record(EventKind.STATE, 0, ThreadState.RUNNING.ordinal());
	}

	/**
	 * Lets queued tasks finish, then waits until every worker thread has ended (recorded
	 * its THREAD_END), as {@link java.util.concurrent.ExecutorService#close} does. If
	 * interrupted while waiting, cancels the tasks (interrupting the workers), keeps
	 * waiting for them to end, and returns with the interrupt flag set.
	 */
	@Override
	public void close() {
		this.pool.shutdown();
		boolean interrupted = false;
		waiting();
		try {
			// Termination of the pool is not the end of its threads: a worker signals
			// termination from inside its run, before it records THREAD_END and dies.
			// Join the threads too, so that nothing of this pool is still running (or
			// still recording) after close. By index, not by snapshot: a dying worker's
			// replacement is added before the dying thread ends, so the loop still
			// reaches it.
			for (int i = 0; i < this.workers.size(); i++) {
				while (true) {
					try {
						this.workers.get(i).join();
						break;
					}
					catch (InterruptedException ex) {
						if (!interrupted) {
							interrupted = true;
							this.pool.shutdownNow();
						}
					}
				}
			}
		}
		finally {
			running();
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
	}

}
