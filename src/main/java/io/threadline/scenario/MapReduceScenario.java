package io.threadline.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

import io.threadline.trace.Marks;
import io.threadline.trace.Span;
import io.threadline.trace.TracedExecutor;
import io.threadline.trace.TracedFutures;

/**
 * Map-reduce on a pool (§5.4–5.5): the article's sum of squares, its numbers cut into
 * chunks, each chunk mapped on a worker, the partial sums reduced on the main thread;
 * once with {@code invokeAll} (Python's {@code pool.map}) and once with
 * {@code CompletableFuture.supplyAsync} ({@code pool.apply_async}), against the same sum
 * done on one thread.
 */
final class MapReduceScenario implements Scenario {

	static final String SEQUENTIAL = "sequential";

	static final String INVOKE_ALL = "invokeAll";

	static final String SUPPLY_ASYNC = "supplyAsync";

	/** A variant's figures are named "{@code <variant>: <figure>}". */
	static final String RESULT = "result";

	static final String TIME = "time";

	static final String SPEEDUP = "speedup";

	static final String RESULTS_EQUAL = "results equal";

	/** A prime: the sum modulo it has digits worth comparing, whatever the numbers. */
	private static final long MODULUS = 1_000_000_007L;

	/** About 20 ms of the loop once compiled: enough rounds for the JIT to compile it. */
	private static final long WARM_UP_NUMBERS = 20_000_000;

	@Override
	public String id() {
		return "map-reduce";
	}

	@Override
	public String title() {
		return "Map-reduce on a pool: invokeAll and supplyAsync";
	}

	@Override
	public String summary() {
		return "The sum of squares of many numbers, mapped chunk by chunk over a pool and reduced on main, with invokeAll and with CompletableFuture.";
	}

	@Override
	public String teaching() {
		return """
				This is the map-reduce of §5.4, pool.map(square, numbers) then sum, with the numbers cut into \
				chunks so that each task squares and sums one chunk. The sequential span runs every chunk on main; \
				in the invokeAll span (pool.map) the chunks' task boxes run side by side on the worker lanes while \
				main waits (orange), and in the supplyAsync span (apply_async, §5.5) main waits on all the futures \
				together before reducing. The three results are equal, as addition does not care which worker \
				summed which chunk. With CPU-bound chunks the speedup can reach the number of CPUs, not of \
				workers.""";
	}

	@Override
	public String source() {
		return """
				Callable<Long> map(Chunk c) {
				    return () -> sumOfSquares(c.from(), c.to());         //@map
				}

				// pool.map: submit every chunk, wait for all of them
				List<Future<Long>> futures = pool.invokeAll(tasks);    //@invokeAll
				long total = 0;
				for (Future<Long> f : futures) {
				    total += f.get();                                  //@reduce
				}

				// pool.apply_async: a future per chunk, returned at once
				List<CompletableFuture<Long>> async = new ArrayList<>();
				for (Chunk c : chunks) {
				    async.add(CompletableFuture.supplyAsync(() -> sumOfSquares(c.from(), c.to()), pool));
				}
				CompletableFuture.allOf(async).join();                //@supplyAsync
				long asyncTotal = async.stream().mapToLong(CompletableFuture::join).sum();   //@reduce-async
				""";
	}

	@Override
	public List<Param> parameters() {
		return List.of(Param.integer("numbers", 200, 1, 2000, "million numbers", "Numbers whose squares are summed"),
				Param.integer("chunks", 8, 1, 64, "chunks", "Tasks the numbers are cut into"),
				Param.integer("workers", 2, 1, 16, "threads", "Worker threads of the pool"));
	}

	/** One chunk of the numbers: from inclusive, to exclusive. */
	private record Chunk(long from, long to) {
	}

	@Override
	public List<Figure> run(Params params) throws Exception {
		long numbers = params.getInt("numbers") * 1_000_000L;
		int chunkCount = params.getInt("chunks");
		int workers = params.getInt("workers");
		List<Chunk> chunks = new ArrayList<>(chunkCount);
		for (int c = 0; c < chunkCount; c++) {
			chunks.add(new Chunk(numbers * c / chunkCount, numbers * (c + 1) / chunkCount));
		}

		// The loop runs interpreted at first; timed cold, the sequential baseline would
		// be slow for reasons that have nothing to do with threads.
		try (Span warmUp = Span.begin("JIT warm-up")) {
			for (int round = 0; round < 5; round++) {
				sumOfSquares(0, WARM_UP_NUMBERS);
			}
		}

		long sequential;
		long sequentialNanos;
		try (Span span = Span.begin(SEQUENTIAL)) {
			long start = System.nanoTime();
			long total = 0;
			for (Chunk c : chunks) {
				total += sumOfSquares(c.from(), c.to());
			}
			sequential = total % MODULUS;
			sequentialNanos = System.nanoTime() - start;
		}

		long invokeAll;
		long invokeAllNanos;
		try (Span span = Span.begin(INVOKE_ALL); TracedExecutor pool = TracedExecutor.fixed("invokeAll", workers)) {
			long start = System.nanoTime();
			List<Callable<Long>> tasks = new ArrayList<>();
			for (Chunk c : chunks) {
				tasks.add(() -> {
					Marks.mark("map");
					return sumOfSquares(c.from(), c.to());
				});
			}
			Marks.mark("invokeAll");
			List<Future<Long>> futures = pool.invokeAll("chunk", tasks);
			Marks.mark("reduce");
			long total = 0;
			for (Future<Long> f : futures) {
				total += f.get();
			}
			invokeAll = total % MODULUS;
			invokeAllNanos = System.nanoTime() - start;
		}

		long supplyAsync;
		long supplyAsyncNanos;
		try (Span span = Span.begin(SUPPLY_ASYNC); TracedExecutor pool = TracedExecutor.fixed("supplyAsync", workers)) {
			long start = System.nanoTime();
			List<CompletableFuture<Long>> futures = new ArrayList<>();
			for (int i = 0; i < chunks.size(); i++) {
				Chunk c = chunks.get(i);
				futures.add(TracedFutures.supplyAsync("chunk " + (i + 1), () -> {
					Marks.mark("map");
					return sumOfSquares(c.from(), c.to());
				}, pool));
			}
			Marks.mark("supplyAsync");
			List<Long> partials = TracedFutures.joinAll("all chunks", futures);
			Marks.mark("reduce-async");
			long total = 0;
			for (long partial : partials) {
				total += partial;
			}
			supplyAsync = total % MODULUS;
			supplyAsyncNanos = System.nanoTime() - start;
		}

		boolean equal = (sequential == invokeAll) && (sequential == supplyAsync);
		return List.of(new Figure(SEQUENTIAL + ": " + RESULT, sequential, "mod 1,000,000,007"),
				new Figure(INVOKE_ALL + ": " + RESULT, invokeAll, "mod 1,000,000,007"),
				new Figure(SUPPLY_ASYNC + ": " + RESULT, supplyAsync, "mod 1,000,000,007"),
				new Figure(RESULTS_EQUAL, equal ? 1 : 0, "yes = 1"),
				new Figure(SEQUENTIAL + ": " + TIME, ms(sequentialNanos), "ms"),
				new Figure(INVOKE_ALL + ": " + TIME, ms(invokeAllNanos), "ms"),
				new Figure(SUPPLY_ASYNC + ": " + TIME, ms(supplyAsyncNanos), "ms"),
				new Figure(INVOKE_ALL + ": " + SPEEDUP, (double) sequentialNanos / invokeAllNanos, "x"),
				new Figure(SUPPLY_ASYNC + ": " + SPEEDUP, (double) sequentialNanos / supplyAsyncNanos, "x"));
	}

	/**
	 * The map step: the sum of the squares of {@code from .. to - 1}, modulo
	 * 1,000,000,007. The whole sum would overflow a long; taken modulo a prime it stays
	 * exact, and the reduce adds the partial sums up to the same value whatever the
	 * order.
	 */
	static long sumOfSquares(long from, long to) {
		// Numbers stay below 2^31 (2,000 million at most): i * i fits in a long, and so
		// does a total of up to 2^31 terms below 2^30.
		long total = 0;
		for (long i = from; i < to; i++) {
			total += (i * i) % MODULUS;
		}
		return total % MODULUS;
	}

	private static double ms(long nanos) {
		return nanos / 1e6;
	}

}
