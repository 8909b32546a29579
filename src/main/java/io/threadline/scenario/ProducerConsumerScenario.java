package io.threadline.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import io.threadline.trace.Marks;
import io.threadline.trace.Span;
import io.threadline.trace.TracedBlockingQueue;
import io.threadline.trace.TracedThreads;
import io.threadline.trace.Work;

/**
 * Producer–consumer over a bounded blocking queue (§3.4, §4.3.1), shut down by poison
 * pills: producers put items, consumers take them, and whichever side is faster ends up
 * waiting on the queue, full or empty.
 */
final class ProducerConsumerScenario implements Scenario {

	static final String PRODUCED = "items produced";

	static final String CONSUMED = "items consumed";

	static final String EXACTLY_ONCE = "items consumed exactly once";

	static final String PRODUCERS_BLOCKED = "producers blocked on a full queue";

	static final String CONSUMERS_BLOCKED = "consumers blocked on an empty queue";

	static final String MAX_DEPTH = "max queue depth";

	static final String CAPACITY = "queue capacity";

	static final String TIME = "time";

	static final String QUEUE = "queue";

	/** The poison pill: not an item, the signal to stop (Python's {@code None}). */
	private static final int POISON = -1;

	@Override
	public String id() {
		return "producer-consumer";
	}

	@Override
	public String title() {
		return "Producer–consumer with a bounded queue";
	}

	@Override
	public String summary() {
		return "Producers put items into a bounded queue and consumers take them; the faster side waits, and poison pills end the consumers.";
	}

	@Override
	public String teaching() {
		return """
				This is the producer–consumer of §3.4 with a bounded queue, like queue.Queue(maxsize): watch the \
				counter lane "queue depth". When producers are faster it climbs to the capacity and flattens, and \
				the producers' lanes turn orange, waiting for room; when consumers are faster the queue stays near \
				empty and the consumers wait, orange, for the next item. The blue stretches are the work, a timed \
				sleep at exactly the rates you set. At the end main puts one poison pill per consumer, as the \
				article's q.put(None) does, and each consumer's lane ends when it takes one.""";
	}

	@Override
	public String source() {
		return """
				// each producer
				for (int i = 0; i < items; i++) {
				    int item = produce(i);                    //@produce
				    queue.put(item);                          //@put
				}

				// main, once every producer has finished
				for (int c = 0; c < consumers; c++) {
				    queue.put(POISON);                        //@pill
				}

				// each consumer
				while (true) {
				    int item = queue.take();                  //@take
				    if (item == POISON) {
				        break;                                //@poisoned
				    }
				    consume(item);                            //@consume
				}
				""";
	}

	@Override
	public List<Param> parameters() {
		return List.of(Param.integer("producers", 2, 1, 8, "threads", "Threads producing items"),
				Param.integer("consumers", 2, 1, 8, "threads", "Threads consuming items"),
				Param.integer("items", 60, 1, 250, "items", "Items produced in all, shared among the producers"),
				Param.integer("capacity", 5, 1, 100, "items", "The most items the queue holds"),
				Param.integer("produceMillis", 5, 0, 50, "ms", "Time to produce one item"),
				Param.integer("consumeMillis", 20, 0, 50, "ms", "Time to consume one item"));
	}

	@Override
	public List<Figure> run(Params params) throws Exception {
		int producers = params.getInt("producers");
		int consumers = params.getInt("consumers");
		int items = params.getInt("items");
		int capacity = params.getInt("capacity");
		Duration produce = Duration.ofMillis(params.getInt("produceMillis"));
		Duration consume = Duration.ofMillis(params.getInt("consumeMillis"));

		TracedBlockingQueue<Integer> queue = new TracedBlockingQueue<>(QUEUE, capacity);
		AtomicIntegerArray timesConsumed = new AtomicIntegerArray(items);
		AtomicInteger produced = new AtomicInteger();
		AtomicInteger consumed = new AtomicInteger();
		long start = System.nanoTime();
		double producersBlockedMs;
		try (Span span = Span.begin("producers and consumers")) {
			List<Thread> consumerThreads = new ArrayList<>();
			for (int c = 1; c <= consumers; c++) {
				consumerThreads.add(TracedThreads.start("consumer-" + c, () -> {
					try {
						while (true) {
							Marks.mark("take");
							int item = queue.take();
							if (item == POISON) {
								Marks.mark("poisoned");
								break;
							}
							Marks.mark("consume");
							work(consume);
							timesConsumed.incrementAndGet(item);
							consumed.incrementAndGet();
						}
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt(); // the run is being stopped
					}
				}));
			}
			List<Thread> producerThreads = new ArrayList<>();
			for (int p = 0; p < producers; p++) {
				// Items p, p + producers, p + 2 * producers...: every item made once.
				int first = p;
				producerThreads.add(TracedThreads.start("producer-" + (p + 1), () -> {
					try {
						for (int item = first; item < items; item += producers) {
							Marks.mark("produce");
							work(produce);
							Marks.mark("put");
							queue.put(item);
							produced.incrementAndGet();
						}
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				}));
			}
			TracedThreads.joinAll(producerThreads);
			producersBlockedMs = ms(queue.putWaited());
			Marks.mark("pill");
			for (int c = 0; c < consumers; c++) {
				queue.put(POISON);
			}
			TracedThreads.joinAll(consumerThreads);
		}
		long elapsed = System.nanoTime() - start;

		int exactlyOnce = 0;
		for (int i = 0; i < items; i++) {
			exactlyOnce += (timesConsumed.get(i) == 1) ? 1 : 0;
		}
		return List.of(new Figure(PRODUCED, produced.get(), "items"), new Figure(CONSUMED, consumed.get(), "items"),
				new Figure(EXACTLY_ONCE, exactlyOnce, "items"), new Figure(PRODUCERS_BLOCKED, producersBlockedMs, "ms"),
				new Figure(CONSUMERS_BLOCKED, ms(queue.takeWaited()), "ms"),
				new Figure(MAX_DEPTH, queue.maxDepth(), "items"), new Figure(CAPACITY, capacity, "items"),
				new Figure(TIME, elapsed / 1e6, "ms"));
	}

	/** Producing or consuming one item: a wait standing for real work, none if zero. */
	private static void work(Duration time) throws InterruptedException {
		if (!time.isZero()) {
			Work.sleep(time);
		}
	}

	private static double ms(Duration d) {
		return d.toNanos() / 1e6;
	}

}
