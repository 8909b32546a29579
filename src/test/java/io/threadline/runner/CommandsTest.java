package io.threadline.runner;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;

import io.threadline.recorder.Recorder;
import io.threadline.trace.LockGraph;
import io.threadline.trace.TracedLock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runner's "interrupt" command on real threads: each kind of wait gets its own
 * answer, and only an interruptible wait is interrupted.
 */
class CommandsTest {

	@Test
	void interruptsOnlyAThreadWhoseWaitAnInterruptEnds() throws Exception {
		Object monitor = new Object();
		CountDownLatch release = new CountDownLatch(1);
		AtomicReference<Throwable> interruptibleGot = new AtomicReference<>();
		try (Recorder recorder = Recorder.start(batch -> {
		})) {
			Commands commands = new Commands(recorder, line -> {
			});
			TracedLock lock = new TracedLock("held by the test", false);
			lock.lock();
			Thread interruptible = start(() -> {
				try {
					lock.lockInterruptibly();
					lock.unlock();
				}
				catch (InterruptedException ex) {
					interruptibleGot.set(ex);
				}
			});
			Thread plain = start(() -> {
				lock.lock();
				lock.unlock();
			});
			Thread inMonitor;
			Thread idle;
			synchronized (monitor) {
				inMonitor = start(() -> {
					recorder.lane();
					synchronized (monitor) {
						monitor.notifyAll();
					}
				});
				idle = start(() -> {
					recorder.lane();
					try {
						release.await();
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				});
				awaitCondition(() -> LockGraph.isWaiting(interruptible) && LockGraph.isWaiting(plain)
						&& inMonitor.getState() == Thread.State.BLOCKED && idle.getState() == Thread.State.WAITING
						&& recorder.laneOf(idle) > 0);

				int lane = recorder.laneOf(interruptible);
				assertThat(commands.handle("interrupt=" + lane)).isEqualTo("interrupted " + lane);
				interruptible.join();
				assertThat(interruptibleGot.get()).isInstanceOf(InterruptedException.class);

				lane = recorder.laneOf(plain);
				assertThat(commands.handle("interrupt=" + lane)).isEqualTo("uninterruptible " + lane);
				lane = recorder.laneOf(inMonitor);
				assertThat(commands.handle("interrupt=" + lane)).isEqualTo("monitor " + lane);
				lane = recorder.laneOf(idle);
				assertThat(commands.handle("interrupt=" + lane)).isEqualTo("not-waiting " + lane);
				assertThat(commands.handle("interrupt=999")).isEqualTo("no-thread 999");
				assertThat(commands.handle("interrupt=x")).isEqualTo("no-thread x");
				assertThat(commands.handle("frobnicate=1")).isEqualTo("unknown-command frobnicate");
				// None of the others was interrupted.
				assertThat(plain.isInterrupted() || inMonitor.isInterrupted() || idle.isInterrupted()).isFalse();
			}
			lock.unlock();
			release.countDown();
			for (Thread t : new Thread[] { plain, inMonitor, idle }) {
				t.join();
			}
		}
	}

	private static Thread start(Runnable body) {
		return Thread.ofPlatform().start(body);
	}

	/** Waits for threads to reach their waits (a condition, checked until it holds). */
	private static void awaitCondition(BooleanSupplier condition) {
		long deadline = System.nanoTime() + 10_000_000_000L;
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("threads reached their waits within 10 s").isLessThan(deadline);
			Thread.onSpinWait();
		}
	}

}
