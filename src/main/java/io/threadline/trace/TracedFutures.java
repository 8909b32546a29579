package io.threadline.trace;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.recorder.Recorder;
import io.threadline.recorder.ThreadState;

/**
 * {@link CompletableFuture}s on a traced pool, the Java form of Python's
 * {@code pool.apply_async(...)} and {@code result.get()}: submitting returns a future at
 * once, the work is a task on a worker's lane, and waiting for the results is shown as
 * WAITING on them.
 */
public final class TracedFutures {

	private TracedFutures() {
	}

	/**
	 * {@code CompletableFuture.supplyAsync(supplier, executor)}, the task named
	 * {@code label} on the timeline.
	 */
	public static <T> CompletableFuture<T> supplyAsync(String label, Supplier<T> supplier, TracedExecutor executor) {
		return CompletableFuture.supplyAsync(supplier, (task) -> executor.execute(label, task));
	}

	/**
	 * Waits until every future is complete, shown as WAITING on a future named
	 * {@code name} (all of them, as {@code CompletableFuture.allOf}), and returns their
	 * results in order.
	 * @throws java.util.concurrent.CompletionException if one of them failed
	 */
	public static <T> List<T> joinAll(String name, List<CompletableFuture<T>> futures) {
		int id = Recorder.name(NameCategory.FUTURE, name);
		Gate.before(EventKind.STATE, id, ThreadState.WAITING.ordinal());
		Recorder.record(EventKind.STATE, id, ThreadState.WAITING.ordinal());
		try {
			CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
		}
		finally {
			Recorder.record(EventKind.STATE, 0, ThreadState.RUNNING.ordinal());
		}
		return futures.stream().map(CompletableFuture::join).toList();
	}

}
