package io.threadline.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

import io.threadline.trace.Marks;
import io.threadline.trace.Span;
import io.threadline.trace.StartGate;
import io.threadline.trace.TracedLock;
import io.threadline.trace.TracedThreads;

/**
 * The article's race condition (§8.1): threads add one to a shared counter, first with
 * {@code counter = counter + 1} and no protection, which loses updates, then with the
 * three fixes, a lock, an atomic and an adder, which do not, at a cost the figures
 * measure.
 */
final class RaceConditionScenario implements Scenario {

	static final String EXPECTED = "expected count";

	/** A variant's figures are named "{@code <variant>: <figure>}". */
	static final String ACTUAL = "count";

	static final String LOST = "lost updates";

	static final String TIME = "time";

	static final String UNSYNCHRONISED = "unsynchronised";

	static final String LOCK = "lock";

	static final String ATOMIC = "AtomicLong";

	static final String ADDER = "LongAdder";

	@Override
	public String id() {
		return "race-condition";
	}

	@Override
	public String title() {
		return "Race condition: counter += 1";
	}

	@Override
	public String summary() {
		return "Threads increment a shared counter without protection and lose updates; a lock, an atomic and an adder fix it, at a price.";
	}

	@Override
	public String teaching() {
		return """
				This is the race condition of §8.1. Several threads each add one to a shared counter many \
				times. counter = counter + 1 is three steps, read, add, write: when two threads read the same \
				value, both write value + 1 and one update is lost. The article saw 1,689,537 of 2,000,000. \
				The four variants run one after the other, each under a span; in each, all threads wait \
				(orange) at a start gate and are released together, so they really overlap.

				Unsynchronised: the threads run side by side in green and the count comes out short. The lost \
				updates figure is how many increments vanished. Run it again: the number changes every time, \
				the mark of a race. Java has no GIL, so on two or more cores the threads really run at the same \
				instant and lose far more updates than the article's Python threads did. With more threads \
				than CPUs, hover the green bars (the tooltip names each thread's CPU): threads that do not run \
				at the same moment cannot collide, which is why fewer updates may be lost than you expect.

				Lock (the article's with lock:): the count is exact. A thin blue bar on a thread's lane marks \
				the time it holds the lock, and only one thread holds it at a time; a thread that finds it \
				taken is blocked (red-orange) until it is released. Each increment now costs a \
				lock and an unlock, and threads queue for it: compare the time figures.

				AtomicLong: exact too, with no lock: incrementAndGet is one indivisible compare-and-set on the \
				CPU. The threads never block, but they still fight over one memory location. LongAdder: exact, \
				and usually fastest under contention: each thread adds to its own cell, and the cells are \
				summed once at the end.""";
	}

	@Override
	public String source() {
		return """
				// unsynchronised: two steps, read then write; another thread can write in between
				counter.value = counter.value + 1;          //@racy

				lock.lock();                                //@locked
				try { counter.value = counter.value + 1; }
				finally { lock.unlock(); }

				atomic.incrementAndGet();                   //@atomic
				adder.increment();                          //@adder
				""";
	}

	@Override
	public List<Param> parameters() {
		return List.of(Param.integer("threads", 4, 2, 16, "threads", "Threads incrementing the counter together"),
				Param.integer("increments", 20_000, 1_000, 40_000, "increments",
						"Increments each thread makes, in each variant"));
	}

	/**
	 * The shared counter. Volatile, so every read and write goes to memory: the race is
	 * in the gap between them.
	 */
	private static final class Counter {

		volatile long value;

	}

	@Override
	public List<Figure> run(Params params) throws Exception {
		int threads = params.getInt("threads");
		int increments = params.getInt("increments");
		long expected = (long) threads * increments;

		List<Figure> figures = new ArrayList<>();
		figures.add(new Figure(EXPECTED, expected, "increments"));

		Counter racy = new Counter();
		variant(UNSYNCHRONISED, threads, figures, expected, () -> racy.value, () -> {
			Marks.mark("racy");
			for (int i = 0; i < increments; i++) {
				racy.value = racy.value + 1; // deliberate race: read and write are two
												// steps, not one
			}
		});

		Counter guarded = new Counter();
		TracedLock lock = new TracedLock("counter lock");
		variant(LOCK, threads, figures, expected, () -> guarded.value, () -> {
			Marks.mark("locked");
			for (int i = 0; i < increments; i++) {
				lock.lock();
				try {
					guarded.value = guarded.value + 1;
				}
				finally {
					lock.unlock();
				}
			}
		});

		AtomicLong atomic = new AtomicLong();
		variant(ATOMIC, threads, figures, expected, atomic::get, () -> {
			Marks.mark("atomic");
			for (int i = 0; i < increments; i++) {
				atomic.incrementAndGet();
			}
		});

		LongAdder adder = new LongAdder();
		variant(ADDER, threads, figures, expected, adder::sum, () -> {
			Marks.mark("adder");
			for (int i = 0; i < increments; i++) {
				adder.increment();
			}
		});
		return figures;
	}

	/**
	 * Runs {@code increment} on {@code threads} threads released together, and adds the
	 * variant's count, lost updates and time (from the release to the last thread's end)
	 * to the figures.
	 */
	private static void variant(String name, int threads, List<Figure> figures, long expected, LongSupplier count,
			Runnable increment) throws InterruptedException {
		try (Span span = Span.begin(name)) {
			// Starting a thread takes tens of microseconds, about as long as a thread's
			// whole count: started one by one, they would barely overlap. So all wait at
			// a gate until the last one is ready, and are released together.
			StartGate gate = new StartGate(threads);
			List<Thread> workers = new ArrayList<>(threads);
			for (int t = 1; t <= threads; t++) {
				workers.add(TracedThreads.start(name + "-" + t, () -> {
					try {
						gate.arriveAndAwait();
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						return; // the run is being stopped: do not count
					}
					increment.run();
				}));
			}
			gate.awaitArrivals();
			Marks.mark("start gate opens");
			long start = System.nanoTime();
			gate.open();
			TracedThreads.joinAll(workers);
			long elapsed = System.nanoTime() - start;

			long actual = count.getAsLong();
			figures.add(new Figure(name + ": " + ACTUAL, actual, "increments"));
			figures.add(new Figure(name + ": " + LOST, expected - actual, "updates"));
			figures.add(new Figure(name + ": " + TIME, elapsed / 1e6, "ms"));
		}
	}

}
