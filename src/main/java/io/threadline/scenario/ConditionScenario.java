package io.threadline.scenario;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import io.threadline.trace.Marks;
import io.threadline.trace.TracedCondition;
import io.threadline.trace.TracedLock;
import io.threadline.trace.TracedGauge;
import io.threadline.trace.TracedThreads;
import io.threadline.trace.Work;

/**
 * Condition wait and signal (§8.3): a bounded buffer built from one lock and two
 * conditions, notFull and notEmpty, the textbook way (it is how
 * {@code ArrayBlockingQueue} and Python's {@code queue.Queue} are made). Producers wait
 * on notFull while it is full, consumers on notEmpty while it is empty, and each side
 * signals the other.
 */
final class ConditionScenario implements Scenario {

	static final String PRODUCED = "items produced";

	static final String CONSUMED = "items consumed";

	static final String NOT_EXACTLY_ONCE = "items not consumed exactly once";

	static final String FULL_WAITS = "waits on notFull";

	static final String EMPTY_WAITS = "waits on notEmpty";

	static final String MAX_DEPTH = "max depth";

	static final String CAPACITY = "capacity";

	@Override
	public String id() {
		return "condition";
	}

	@Override
	public String title() {
		return "Condition: a bounded buffer with wait and signal";
	}

	@Override
	public String summary() {
		return "Producers and consumers share a bounded buffer made of one lock and two conditions, notFull and notEmpty.";
	}

	@Override
	public String teaching() {
		return """
				This is threading.Condition of §8.3 as a bounded buffer: one lock (the thin blue bar shows who \
				holds it) and two conditions. A producer that finds the buffer full waits on notFull (orange) and \
				lets go of the lock while it waits; a consumer that finds it empty waits on notEmpty, as the \
				consumers do at the start. Each put signals notEmpty and each take signals notFull, waking one \
				waiting thread, which takes the lock back and checks again. The counter lane "buffer depth" shows \
				the bound holding: it never goes above the capacity.""";
	}

	@Override
	public List<Param> parameters() {
		return List.of(Param.integer("capacity", 4, 1, 64, "items", "Items the buffer holds at most"),
				Param.integer("producers", 2, 1, 8, "threads", "Producer threads"),
				Param.integer("consumers", 2, 1, 8, "threads", "Consumer threads"),
				Param.integer("items", 400, 10, 5000, "items", "Items produced in all, shared among the producers"),
				Param.integer("produceWork", 100, 0, 500, "thousand iterations", "Work to produce one item"),
				Param.integer("consumeWork", 150, 0, 500, "thousand iterations", "Work to consume one item"));
	}

	@Override
	public String source() {
		return """
				void put(int item) throws InterruptedException {
					lock.lock();
					try {
						while (count == items.length)
							notFull.await();                    //@full
						items[putIndex] = item; count++;        //@put
						notEmpty.signal();
					} finally { lock.unlock(); }
				}
				int take() throws InterruptedException {
					lock.lock();
					try {
						while (count == 0)
							notEmpty.await();                   //@empty
						int item = items[takeIndex]; count--;   //@take
						notFull.signal();
						return item;
					} finally { lock.unlock(); }
				}
				""";
	}

	/**
	 * The bounded buffer. Every field is guarded by {@code lock}; {@link #take} returns
	 * -1 once the buffer is closed and empty, which is how consumers learn the work is
	 * done.
	 */
	static final class BoundedBuffer {

		private final TracedLock lock = new TracedLock("buffer lock");

		private final TracedCondition notFull = this.lock.newCondition("notFull");

		private final TracedCondition notEmpty = this.lock.newCondition("notEmpty");

		private final TracedGauge depth = new TracedGauge("buffer depth");

		private final int[] items;

		private int putIndex;

		private int takeIndex;

		private int count;

		private boolean closed;

		private int fullWaits;

		private int emptyWaits;

		private int maxDepth;

		BoundedBuffer(int capacity) {
			this.items = new int[capacity];
		}

		void put(int item) throws InterruptedException {
			this.lock.lock();
			try {
				while (this.count == this.items.length) {
					this.fullWaits++;
					Marks.mark("full");
					this.notFull.await();
				}
				Marks.mark("put");
				this.items[this.putIndex] = item;
				this.putIndex = (this.putIndex + 1) % this.items.length;
				this.count++;
				this.maxDepth = Math.max(this.maxDepth, this.count);
				this.depth.set(this.count);
				this.notEmpty.signal();
			}
			finally {
				this.lock.unlock();
			}
		}

		int take() throws InterruptedException {
			this.lock.lock();
			try {
				while (this.count == 0) {
					if (this.closed) {
						return -1;
					}
					this.emptyWaits++;
					Marks.mark("empty");
					this.notEmpty.await();
				}
				Marks.mark("take");
				int item = this.items[this.takeIndex];
				this.takeIndex = (this.takeIndex + 1) % this.items.length;
				this.count--;
				this.depth.set(this.count);
				this.notFull.signal();
				return item;
			}
			finally {
				this.lock.unlock();
			}
		}

		/** No more items will come: wakes every consumer waiting on an empty buffer. */
		void close() {
			this.lock.lock();
			try {
				this.closed = true;
				this.notEmpty.signalAll();
			}
			finally {
				this.lock.unlock();
			}
		}

	}

	@Override
	public List<Figure> run(Params params) throws Exception {
		int capacity = params.getInt("capacity");
		int producers = params.getInt("producers");
		int consumers = params.getInt("consumers");
		int items = params.getInt("items");
		long produceWork = params.getInt("produceWork") * 1_000L;
		long consumeWork = params.getInt("consumeWork") * 1_000L;

		BoundedBuffer buffer = new BoundedBuffer(capacity);
		// Each consumer notes what it took in a set of its own, read after it has ended.
		List<BitSet> taken = new ArrayList<>(consumers);
		int[] takenTwice = new int[consumers];
		List<Thread> consumerThreads = new ArrayList<>(consumers);
		for (int c = 0; c < consumers; c++) {
			BitSet mine = new BitSet(items);
			taken.add(mine);
			int index = c;
			consumerThreads.add(TracedThreads.start("consumer-" + (c + 1), () -> {
				try {
					for (int item; (item = buffer.take()) >= 0;) {
						if (mine.get(item)) {
							takenTwice[index]++;
						}
						mine.set(item);
						Work.cpu(consumeWork);
					}
				}
				catch (InterruptedException ex) {
					// the run is being stopped
				}
			}));
		}
		List<Thread> producerThreads = new ArrayList<>(producers);
		for (int p = 0; p < producers; p++) {
			int first = p;
			producerThreads.add(TracedThreads.start("producer-" + (p + 1), () -> {
				try {
					// Producer p makes items p, p + producers, p + 2 * producers, ...
					for (int item = first; item < items; item += producers) {
						Work.cpu(produceWork);
						buffer.put(item);
					}
				}
				catch (InterruptedException ex) {
					// the run is being stopped
				}
			}));
		}
		TracedThreads.joinAll(producerThreads);
		buffer.close();
		TracedThreads.joinAll(consumerThreads);

		BitSet all = new BitSet(items);
		int consumed = 0;
		int twice = 0;
		for (int c = 0; c < consumers; c++) {
			BitSet mine = taken.get(c);
			consumed += mine.cardinality() + takenTwice[c];
			twice += takenTwice[c];
			BitSet overlap = (BitSet) all.clone();
			overlap.and(mine);
			twice += overlap.cardinality();
			all.or(mine);
		}
		int never = items - all.cardinality();
		// Read after every thread ended (join orders it), so no lock is needed.
		return List.of(new Figure(PRODUCED, items, "items"), new Figure(CONSUMED, consumed, "items"),
				new Figure(NOT_EXACTLY_ONCE, twice + never, "items"), new Figure(FULL_WAITS, buffer.fullWaits, "waits"),
				new Figure(EMPTY_WAITS, buffer.emptyWaits, "waits"), new Figure(MAX_DEPTH, buffer.maxDepth, "items"),
				new Figure(CAPACITY, capacity, "items"));
	}

}
