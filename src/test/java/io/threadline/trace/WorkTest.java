package io.threadline.trace;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.threadline.recorder.Event;
import io.threadline.recorder.EventKind;
import io.threadline.recorder.ThreadState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkTest {

	@Test
	void cpuComputesTheSumOfSquaresAcrossSlices() {
		assertThat(Work.cpu(0)).isZero();
		assertThat(Work.cpu(1000)).isEqualTo(332_833_500L);
		// Several slices, and squares of ints that wrap: the same as the sum done in one
		// go.
		long n = 3_000_123;
		BigInteger exact = BigInteger.ZERO;
		for (long i = 0; i < n; i++) {
			BigInteger k = BigInteger.valueOf((int) i);
			exact = exact.add(k.multiply(k));
		}
		assertThat(Work.cpu(n)).isEqualTo(exact.longValue());
	}

	@Test
	void migrationsAreRecordedByTheComputingThreadOnly() throws Exception {
		// The scheduler decides whether the thread moves at all; what can be checked is
		// that any move recorded is the computing thread's and names a CPU (or 0,
		// unknown).
		Trace trace = Trace.record(() -> {
			Marks.mark("compute");
			return Work.cpu(20_000_000);
		}).trace();
		int main = trace.lane(Thread.currentThread().getName());
		assertThat(trace.ofKind(EventKind.MIGRATE)).allSatisfy((e) -> {
			assertThat(e.thread()).isEqualTo(main);
			assertThat(e.obj()).isNotNegative();
			assertThat(e.arg()).isZero();
		});
	}

	@Test
	void ioAndSleepAreShownAndEndRunning() throws Exception {
		Trace trace = Trace.record(() -> {
			Work.io(Duration.ofMillis(2));
			Work.sleep(Duration.ofMillis(2));
			return null;
		}).trace();
		List<Long> states = trace.ofKind(EventKind.STATE).stream().map(Event::arg).toList();
		assertThat(states).containsExactly((long) ThreadState.IO.ordinal(), (long) ThreadState.RUNNING.ordinal(),
				(long) ThreadState.SLEEPING.ordinal(), (long) ThreadState.RUNNING.ordinal());
	}

	@Test
	void anInterruptEndsTheWaitAndIsReported() throws Exception {
		Trace trace = Trace.record(() -> {
			Thread.currentThread().interrupt();
			assertThatThrownBy(() -> Work.io(Duration.ofMinutes(1))).isInstanceOf(InterruptedException.class);
			assertThat(Thread.currentThread().isInterrupted()).as("consumed, as by any blocking call").isFalse();
			return null;
		}).trace();
		assertThat(trace.ofKind(EventKind.STATE).getLast().arg()).isEqualTo(ThreadState.RUNNING.ordinal());
	}

}
