package io.threadline.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.threadline.trace.Marks;
import io.threadline.trace.Span;
import io.threadline.trace.StartGate;
import io.threadline.trace.TracedGauge;
import io.threadline.trace.TracedReadWriteLock;
import io.threadline.trace.TracedThreads;
import io.threadline.trace.Work;

/**
 * The classic reader–writer lock: a cache that many threads read and a few update.
 * Readers share the read side and overlap; a writer takes the write side and excludes
 * everyone. Run with a reader-heavy mix, where the lock lets reads run side by side, and
 * a writer-heavy one, where it is little better than a plain lock.
 */
final class ReadWriteLockScenario implements Scenario {

	static final String READER_HEAVY = "reader-heavy (90 % reads)";

	static final String WRITER_HEAVY = "writer-heavy (20 % reads)";

	/** A mix's figures are named "{@code <mix>: <figure>}". */
	static final String READS_PER_S = "reads/s";

	static final String WRITES_PER_S = "writes/s";

	static final String MAX_READERS = "max readers holding at once";

	static final String READERS_GAUGE = "readers holding";

	@Override
	public String id() {
		return "read-write-lock";
	}

	@Override
	public String title() {
		return "Reader–writer lock: shared reads, exclusive writes";
	}

	@Override
	public String summary() {
		return "Threads read and update a cache under a ReentrantReadWriteLock: readers overlap, a writer holds it alone.";
	}

	@Override
	public String teaching() {
		return """
				A reader–writer lock lets any number of readers hold its read side at once, but a writer holds its \
				write side alone. In the reader-heavy span several lanes carry the holds-lock bar together and the \
				counter lane "readers holding" rises above 1; when a thread writes, that counter is at 0 and the \
				other threads are blocked (red-orange) until it lets go. In the writer-heavy span most operations \
				are writes, which run one at a time: compare the reads/s and writes/s of the two spans.""";
	}

	@Override
	public List<Param> parameters() {
		return List.of(Param.integer("threads", 4, 2, 16, "threads", "Threads using the cache"),
				Param.integer("operations", 300, 10, 1000, "operations", "Reads and writes each thread makes, per mix"),
				Param.integer("readWork", 100, 0, 300, "thousand iterations",
						"Work of one read, holding the read side"),
				Param.integer("writeWork", 100, 0, 300, "thousand iterations",
						"Work of one write, holding the write side"));
	}

	@Override
	public String source() {
		return """
				ReentrantReadWriteLock cache = new ReentrantReadWriteLock();

				cache.readLock().lock();
				try {
					lookUp(key);                          //@read
				} finally {
					cache.readLock().unlock();
				}

				cache.writeLock().lock();
				try {
					update(key, value);                   //@write
				} finally {
					cache.writeLock().unlock();
				}
				""";
	}

	@Override
	public List<Figure> run(Params params) throws Exception {
		int threads = params.getInt("threads");
		int operations = params.getInt("operations");
		long readWork = params.getInt("readWork") * 1_000L;
		long writeWork = params.getInt("writeWork") * 1_000L;

		TracedReadWriteLock cache = new TracedReadWriteLock("cache");
		TracedGauge readers = new TracedGauge(READERS_GAUGE);
		List<Figure> figures = new ArrayList<>();
		mix(READER_HEAVY, 0.9, threads, operations, readWork, writeWork, cache, readers, figures);
		mix(WRITER_HEAVY, 0.2, threads, operations, readWork, writeWork, cache, readers, figures);
		return figures;
	}

	private static void mix(String name, double readShare, int threads, int operations, long readWork, long writeWork,
			TracedReadWriteLock cache, TracedGauge readers, List<Figure> figures) throws InterruptedException {
		try (Span span = Span.begin(name)) {
			LongAdder reads = new LongAdder();
			LongAdder writes = new LongAdder();
			AtomicLong maxReaders = new AtomicLong();
			StartGate gate = new StartGate(threads);
			List<Thread> workers = new ArrayList<>(threads);
			for (int t = 1; t <= threads; t++) {
				// Seeded per thread: each run of a mix makes the same choices.
				SplittableRandom random = new SplittableRandom(t);
				workers.add(TracedThreads.start("thread-" + t, () -> {
					try {
						gate.arriveAndAwait();
					}
					catch (InterruptedException ex) {
						return; // the run is being stopped
					}
					for (int i = 0; i < operations; i++) {
						if (random.nextDouble() < readShare) {
							cache.read().lock();
							try {
								// Counted holding the lock, so the gauge never shows a
								// reader that does not hold it.
								maxReaders.accumulateAndGet(readers.add(1), Math::max);
								Marks.mark("read");
								Work.cpu(readWork);
								readers.add(-1);
							}
							finally {
								cache.read().unlock();
							}
							reads.increment();
						}
						else {
							cache.write().lock();
							try {
								Marks.mark("write");
								Work.cpu(writeWork);
							}
							finally {
								cache.write().unlock();
							}
							writes.increment();
						}
					}
				}));
			}
			gate.awaitArrivals();
			long start = System.nanoTime();
			gate.open();
			TracedThreads.joinAll(workers);
			double seconds = (System.nanoTime() - start) / 1e9;
			figures.add(new Figure(name + ": " + READS_PER_S, reads.sum() / seconds, "reads/s"));
			figures.add(new Figure(name + ": " + WRITES_PER_S, writes.sum() / seconds, "writes/s"));
			figures.add(new Figure(name + ": " + MAX_READERS, maxReaders.get(), "readers"));
		}
	}

}
