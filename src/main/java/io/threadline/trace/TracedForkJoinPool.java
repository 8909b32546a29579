package io.threadline.trace;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;

import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.recorder.Recorder;
import io.threadline.recorder.ThreadState;

/**
 * A real {@link ForkJoinPool} whose workers are lanes on the timeline and whose tasks are
 * drawn as boxes on the worker that ran them, for the work-stealing lesson (§10.1).
 *
 * <p>
 * Why a pool of its own rather than the common pool: its workers must be traced from
 * start to end, keep their thread-locals (the recorder's ring is one), and end when the
 * scenario closes the pool, so that no thread of the run outlives it.
 *
 * <p>
 * What it cannot show: the pool's own steals. Each worker has a deque; a worker that runs
 * out of work takes tasks from the other end of another worker's deque, inside
 * {@code ForkJoinPool}, with no hook to observe it. The timeline shows the outcome (which
 * worker ran which task) but draws no steal arrows for this pool. Between two tasks a
 * worker is shown IDLE: it may be splitting work, joining, or looking for a task to
 * steal, and the pool does not say which.
 */
public final class TracedForkJoinPool implements AutoCloseable {

	private final String name;

	private final int id;

	private final ForkJoinPool pool;

	/** Every worker the pool made, so that close can wait for the threads to end. */
	private final List<Thread> workers = new CopyOnWriteArrayList<>();

	private TracedForkJoinPool(String name, int parallelism) {
		this.name = name;
		this.id = Recorder.name(NameCategory.EXECUTOR, name);
		AtomicInteger next = new AtomicInteger(1);
		ForkJoinPool.ForkJoinWorkerThreadFactory factory = (pool) -> {
			Worker w = new Worker(pool, this.id);
			w.setName(name + "-worker-" + next.getAndIncrement());
			this.workers.add(w);
			return w;
		};
		// At most `parallelism` workers: a join that cannot help may not add spare
		// threads (saturate rather than compensate), so the lanes are exactly the pool's
		// workers.
		this.pool = new ForkJoinPool(parallelism, factory, null, false, 0, parallelism, 1, (p) -> true, 60,
				TimeUnit.SECONDS);
	}

	/**
	 * A pool of {@code parallelism} workers named {@code name-worker-1}, ...; workers
	 * start when there is work for them, as ForkJoinPool starts them.
	 */
	public static TracedForkJoinPool create(String name, int parallelism) {
		if (parallelism < 1) {
			throw new IllegalArgumentException("a pool needs at least one thread, not " + parallelism);
		}
		return new TracedForkJoinPool(name, parallelism);
	}

	public String name() {
		return this.name;
	}

	/** The pool's object id in this run (0 when not recording). */
	public int id() {
		return this.id;
	}

	public int parallelism() {
		return this.pool.getParallelism();
	}

	/**
	 * Submits one task from outside the pool, shown as submitted by the caller and run on
	 * a worker.
	 */
	public <T> ForkJoinTask<T> submit(String label, Callable<T> task) {
		int taskId = Recorder.name(NameCategory.TASK, label);
		Gate.before(EventKind.TASK_SUBMIT, taskId, this.id);
		Recorder.record(EventKind.TASK_SUBMIT, taskId, this.id);
		return this.pool.submit(ForkJoinTask.adapt(() -> traced(taskId, this.id, task)));
	}

	/**
	 * Waits for a task's result, shown as WAITING on this pool.
	 * @throws ExecutionException if the task threw
	 */
	public <T> T get(ForkJoinTask<T> task) throws InterruptedException, ExecutionException {
		Gate.before(EventKind.STATE, this.id, ThreadState.WAITING.ordinal());
		Recorder.record(EventKind.STATE, this.id, ThreadState.WAITING.ordinal());
		try {
			return task.get();
		}
		finally {
			Recorder.record(EventKind.STATE, 0, ThreadState.RUNNING.ordinal());
		}
	}

	/**
	 * Runs {@code body.accept(i)} for every {@code i} in [0, count) as a fork/join
	 * computation, the way parallel streams and {@code Arrays.parallelSort} do: the index
	 * range is halved again and again, one half forked onto the worker's own deque (where
	 * an idle worker may steal it) and the other half worked on at once. Each index is a
	 * task on the timeline, named {@code labels.apply(i)}; the splitting is not drawn.
	 * The caller waits, shown WAITING on this pool, until every index is done.
	 * @throws ExecutionException if a body threw
	 */
	public void forEach(int count, IntFunction<String> labels, IntConsumer body)
			throws InterruptedException, ExecutionException {
		if (count <= 0) {
			return;
		}
		ForkJoinTask<Void> root = this.pool.submit(new Split(0, count, labels, body, this.id));
		get(root);
	}

	/**
	 * Runs one task on the calling worker, drawn as a box; afterwards the worker shows
	 * IDLE until its next task.
	 */
	private static <T> T traced(int taskId, int poolId, Callable<T> task) throws Exception {
		Gate.before(EventKind.TASK_START, taskId, poolId);
		Recorder.record(EventKind.TASK_START, taskId, poolId);
		try {
			return task.call();
		}
		finally {
			Recorder.record(EventKind.TASK_END, taskId, poolId);
			Recorder.record(EventKind.STATE, poolId, ThreadState.IDLE.ordinal());
		}
	}

	/**
	 * Lets submitted tasks finish, then waits until every worker thread has ended
	 * (recorded its THREAD_END). If interrupted while waiting, cancels what is left and
	 * keeps waiting for the workers, then returns with the interrupt flag set.
	 */
	@Override
	public void close() {
		this.pool.shutdown();
		boolean interrupted = false;
		Gate.before(EventKind.STATE, this.id, ThreadState.WAITING.ordinal());
		Recorder.record(EventKind.STATE, this.id, ThreadState.WAITING.ordinal());
		try {
			while (true) {
				try {
					if (this.pool.awaitTermination(1, TimeUnit.SECONDS)) {
						break;
					}
				}
				catch (InterruptedException ex) {
					interrupted = true;
					this.pool.shutdownNow();
				}
			}
			// A terminated pool may still have workers between their onTermination and
			// their end: join the threads too, so that nothing of this pool records after
			// close.
			for (Thread worker : this.workers) {
				while (true) {
					try {
						worker.join();
						break;
					}
					catch (InterruptedException ex) {
						interrupted = true;
					}
				}
			}
		}
		finally {
			Recorder.record(EventKind.STATE, 0, ThreadState.RUNNING.ordinal());
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * A worker whose lane appears when it starts (IDLE: it has not taken a task yet) and
	 * ends with THREAD_END. It keeps its thread-locals between tasks: the recorder's ring
	 * for this thread is one, and a worker that lost it would reappear as a new lane.
	 */
	private static final class Worker extends ForkJoinWorkerThread {

		private final int poolId;

		Worker(ForkJoinPool pool, int poolId) {
			super(null, pool, true);
			this.poolId = poolId;
		}

		@Override
		protected void onStart() {
			super.onStart();
			Recorder.record(EventKind.STATE, this.poolId, ThreadState.IDLE.ordinal());
		}

		@Override
		protected void onTermination(Throwable exception) {
			try {
				super.onTermination(exception);
			}
			finally {
				Recorder.record(EventKind.THREAD_END, 0, 0);
			}
		}

	}

	/** One range of indices: a single index is a traced task, a wider one splits. */
	private static final class Split extends RecursiveAction {

		private final int from;

		private final int to;

		private final IntFunction<String> labels;

		private final IntConsumer body;

		private final int poolId;

		Split(int from, int to, IntFunction<String> labels, IntConsumer body, int poolId) {
			this.from = from;
			this.to = to;
			this.labels = labels;
			this.body = body;
			this.poolId = poolId;
		}

		@Override
		protected void compute() {
			if (this.to - this.from == 1) {
				int taskId = Recorder.name(NameCategory.TASK, this.labels.apply(this.from));
				try {
					traced(taskId, this.poolId, () -> {
						this.body.accept(this.from);
						return null;
					});
				}
				catch (RuntimeException | Error ex) {
					throw ex;
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
				return;
			}
			int mid = (this.from + this.to) >>> 1;
			// invokeAll forks the second half onto this worker's deque and computes the
			// first here; an idle worker steals the forked half from the deque's other
			// end.
			invokeAll(new Split(this.from, mid, this.labels, this.body, this.poolId),
					new Split(mid, this.to, this.labels, this.body, this.poolId));
		}

	}

}
