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
				This is the race condition of §8.1: threads released together from a start gate add one to a \
				shared counter, and counter = counter + 1 is read, add, write, so two threads that read the same \
				value lose an update. In the unsynchronised span the green bars overlap and the lost updates \
				figure changes on every run, the mark of a race. In the lock span the thin blue bar shows one \
				holder at a time, the others blocked (red-orange), and the count is exact but slower. AtomicLong \
				and LongAdder are exact too, with no lock and no blocking.""";
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
