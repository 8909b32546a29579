package io.threadline.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.threadline.recorder.EventKind;
import io.threadline.recorder.Recorder;
import io.threadline.recorder.ThreadState;
import io.threadline.sampler.DeadlockDetector;
import io.threadline.sampler.DeadlockDetector.Cycle;
import io.threadline.trace.Marks;
import io.threadline.trace.TracedThreads;
import io.threadline.trace.Work;

/**
 * What the deadlock scenarios do on their driver thread while their threads run: wait for
 * the threads to end, and break every deadlock the detector finds among them by
 * interrupting one thread of the cycle (the victim), which must be waiting interruptibly
 * ({@code TracedLock.lockInterruptibly}, {@code TracedSemaphore.acquire}) and back off.
 * The first deadlock is left standing for a while first, so that it can be seen.
 */
final class DeadlockBreaker {

	/**
	 * Longest a supervised group may run: far beyond any scenario's bounds, it only keeps
	 * a detector that missed a cycle from hanging the run until the server's deadline.
	 */
	private static final Duration GIVE_UP = Duration.ofSeconds(40);

	private DeadlockBreaker() {
	}

	/**
	 * Waits until every thread has ended, breaking deadlocks among them.
	 * @param patience how long the first deadlock is shown before it is broken
	 * @return the deadlocks found and broken, in order
	 */
	static List<Cycle> superviseUntilDone(List<Thread> threads, Duration patience) throws InterruptedException {
		DeadlockDetector.Watch watch = DeadlockDetector.watch(threads);
		List<Cycle> cycles = new ArrayList<>();
		long deadline = System.nanoTime() + GIVE_UP.toNanos();
		while (threads.stream().anyMatch(Thread::isAlive)) {
			if (System.nanoTime() > deadline) {
				threads.forEach(Thread::interrupt);
				TracedThreads.joinAll(threads);
				throw new IllegalStateException(
						"threads still running after " + GIVE_UP.toSeconds() + " s with no deadlock found among them");
			}
			Optional<Cycle> cycle = watch.next(Duration.ofMillis(50));
			if (cycle.isPresent()) {
				if (cycles.isEmpty()) {
					show(patience);
				}
				Marks.mark("victim interrupted");
				victim(cycle.get()).interrupt();
				cycles.add(cycle.get());
			}
		}
		TracedThreads.joinAll(threads);
		return cycles;
	}

	/**
	 * Waits for the first deadlock among {@code threads}.
	 * @throws IllegalStateException if none is found within {@code timeout}: the
	 * scenario's threads are made to deadlock, so that is a detector that failed
	 */
	static Cycle awaitFirst(List<Thread> threads, Duration timeout) throws InterruptedException {
		return DeadlockDetector.watch(threads)
			.next(timeout)
			.orElseThrow(() -> new IllegalStateException(
					"no deadlock found among " + threads.size() + " threads within " + timeout.toMillis() + " ms"));
	}

	/**
	 * The thread to interrupt: the youngest (the last started), as databases abort the
	 * youngest transaction of a deadlock, having done the least work.
	 */
	static Thread victim(Cycle cycle) {
		return cycle.threads().stream().max(Comparator.comparingLong(Thread::threadId)).orElseThrow();
	}

	/**
	 * Leaves a deadlock standing for {@code patience} (the driver sleeps meanwhile): the
	 * stuck threads are the lesson, and a lecturer needs a moment to point at them.
	 */
	static void show(Duration patience) throws InterruptedException {
		if (!patience.isZero()) {
			Work.sleep(patience);
		}
	}

	/**
	 * Starts a traced thread, as {@code TracedThreads.start} does, but a daemon: a thread
	 * stuck in a {@code synchronized} deadlock can never end, and must not keep a JVM
	 * alive (the runner exits when the run returns, which ends it).
	 */
	static Thread startDaemon(String name, Runnable body) {
		Thread t = Thread.ofPlatform().name(name).daemon().unstarted(() -> {
			Recorder.record(EventKind.STATE, 0, ThreadState.RUNNING.ordinal());
			try {
				body.run();
			}
			finally {
				Recorder.record(EventKind.THREAD_END, 0, 0);
			}
		});
		t.start();
		return t;
	}

}
