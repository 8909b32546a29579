package io.threadline.trace;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.recorder.Recorder;
import io.threadline.recorder.ThreadState;

/**
 * A fixed pool of named platform threads over a real {@link ThreadPoolExecutor}, as
 * Python's {@code ThreadPoolExecutor(max_workers=n)}. Every worker is started up front,
 * so the pool's lanes all appear at once and a worker with nothing to do is seen idle
 * (light grey) rather than missing. Tasks are shown as submitted by the caller, started
 * and ended on a worker; a worker goes IDLE between tasks. Close it (try-with-resources)
 * to wait for every worker to end.
 */
public final class TracedExecutor implements AutoCloseable {

	private final String name;

	private final int id;

	private final ThreadPoolExecutor pool;

	/**
	 * Every worker the pool made, so that close can wait for the threads themselves to
	 * end.
	 */
	private final List<Thread> workers = new CopyOnWriteArrayList<>();

	private final AtomicInteger taskCount = new AtomicInteger();

	private TracedExecutor(String name, int threads) {
		this.name = name;
		this.id = Recorder.name(NameCategory.EXECUTOR, name);
		AtomicInteger next = new AtomicInteger(1);
		ThreadFactory factory = (worker) -> {
			// A new worker goes straight to the queue for its first task: it starts IDLE.
			Thread t = TracedThreads.unstarted(name + "-worker-" + next.getAndIncrement(), worker, ThreadState.IDLE,
					this.id);
			this.workers.add(t);
			return t;
		};
		this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
				factory);
		this.pool.prestartAllCoreThreads();
	}

	/**
	 * Starts a pool of {@code threads} workers named {@code name-worker-1},
	 * {@code name-worker-2}, ...; {@code name} is also the executor's name on the
	 * timeline.
	 */
	public static TracedExecutor fixed(String name, int threads) {
		if (threads < 1) {
			throw new IllegalArgumentException("a pool needs at least one thread, not " + threads);
		}
		return new TracedExecutor(name, threads);
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

	/** Submits a task named {@code label} on the timeline. */
	public <T> Future<T> submit(String label, Callable<T> task) {
		int taskId = Recorder.name(NameCategory.TASK, label);
		Gate.before(EventKind.TASK_SUBMIT, taskId, this.id);
		Recorder.record(EventKind.TASK_SUBMIT, taskId, this.id);
		return this.pool.submit(() -> runTask(taskId, task));
	}

	public <T> Future<T> submit(Callable<T> task) {
		return submit(defaultLabel(), task);
	}

	public Future<?> submit(Runnable task) {
		return submit(defaultLabel(), Executors.callable(task));
	}

	private String defaultLabel() {
		return this.name + " task " + this.taskCount.incrementAndGet();
	}

	private <T> T runTask(int taskId, Callable<T> task) throws Exception {
		Gate.before(EventKind.TASK_START, taskId, this.id);
		Recorder.record(EventKind.TASK_START, taskId, this.id);
		try {
			return task.call();
		}
		finally {
			Recorder.record(EventKind.TASK_END, taskId, this.id);
			// Recorded before the future completes: whoever waits on it wakes after this.
			Recorder.record(EventKind.STATE, this.id, ThreadState.IDLE.ordinal());
		}
	}

	/**
	 * Submits every task, then waits for all of them, shown as WAITING on this executor.
	 * Like {@link java.util.concurrent.ExecutorService#invokeAll}, the futures are all
	 * done on return and a task's exception stays in its future.
	 */
	public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
		List<Future<T>> futures = new ArrayList<>(tasks.size());
		for (Callable<T> task : tasks) {
			futures.add(submit(task));
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
			// termination
			// from inside its run, before it records THREAD_END and dies. Join the
			// threads too, so
			// that nothing of this pool is still running (or still recording) after
			// close.
			// By index, not by snapshot: a dying worker's replacement is added before the
			// dying
			// thread ends, so the loop still reaches it.
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
