package io.threadline.scenario;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.threadline.process.ChildProcess;
import io.threadline.trace.BlockingCall;
import io.threadline.trace.Marks;
import io.threadline.trace.Span;
import io.threadline.trace.TracedExecutor;
import io.threadline.trace.TracedGauge;
import io.threadline.trace.TracedThreads;
import io.threadline.trace.TracedVirtualThreads;
import io.threadline.trace.Work;

/**
 * Async vs threads (§7.1–7.3): the same downloads from a slow server, done by an event
 * loop on one thread (a selector and non-blocking sockets), by a fixed pool of platform
 * threads with blocking sockets, and by one virtual thread each with the same blocking
 * code. The server runs on the loopback interface in a child process, and answers each
 * request after a fixed delay without holding a thread for it.
 */
final class AsyncIoScenario implements Scenario {

	static final String LOOP = "Event loop";

	static final String POOL = "Thread pool";

	static final String VIRTUAL = "Virtual threads";

	static final String WALL_MS = ": wall time";

	static final String PEAK_IN_FLIGHT = ": peak requests in flight";

	static final String THREADS_ADDED = ": platform threads added (peak)";

	static final String HEAP_MB = ": heap allocated, recorder's rings excluded";

	static final String RSS_MB = ": peak resident memory growth";

	static final String RINGS_MB = ": recorder's rings, at most this much of that growth";

	static final String VIRTUAL_STARTED = "Virtual threads: virtual threads started";

	static final String CARRIERS = "Virtual threads: carrier threads seen";

	static final String POOL_EXPECTED_MS = "Thread pool: expected wall time (rounds x delay)";

	static final String POOL_VS_LOOP = "Thread pool / event loop wall time";

	static final String POOL_VS_VIRTUAL = "Thread pool / virtual threads wall time";

	static final String CPUS = "CPUs available";

	private static final double MB = 1024.0 * 1024.0;

	@Override
	public String id() {
		return "async-io";
	}

	@Override
	public String title() {
		return "Event loop vs thread pool vs virtual threads";
	}

	@Override
	public String summary() {
		return "The same slow downloads by an event loop on one thread, a pool of platform threads, and virtual threads: time, threads and memory.";
	}

	@Override
	public String teaching() {
		return """
				Each download waits for a server that answers after a fixed delay (§7.1–7.3). The event loop is \
				one thread: it starts every connection, then waits in select until some socket is ready, so all \
				requests are in flight at once. The thread pool blocks one platform thread per download, so at \
				most its size are in flight and the time grows in rounds of the delay.

				Virtual threads run the same blocking code but leave their carrier while they wait, so thousands \
				share a couple of carrier lanes and finish in about one delay. A parked virtual thread's stack is \
				a small heap object, counted in "heap allocated"; each pool thread keeps a native stack, seen only \
				in resident memory.""";
	}

	@Override
	public String source() {
		return """
				// (a) an event loop: one thread, a selector, non-blocking sockets
				for (int i = 0; i < requests; i++) {
				    SocketChannel ch = SocketChannel.open();
				    ch.configureBlocking(false);
				    ch.connect(server);                                  //@start
				    ch.register(selector, OP_CONNECT, new Download(i));
				}
				while (done < requests) {
				    selector.select();                                   //@select
				    for (SelectionKey key : selector.selectedKeys()) {
				        done += step(key);   // connected: write; readable: read, or close at the end
				    }
				}

				// (b) a thread pool and (c) virtual threads: the same blocking code
				int download(int i) throws IOException {
				    try (SocketChannel ch = SocketChannel.open(server)) { //@connect
				        ch.write(request(i));
				        return readToEnd(ch);                            //@read
				    }
				}
				pool.submit("download " + i, () -> download(i));        // (b)
				Thread.ofVirtual().start(() -> download(i));            // (c)
				""";
	}

	@Override
	public List<Param> parameters() {
		return List.of(Param.integer("requests", 1000, 1, 10_000, "requests", "Downloads started at once"),
				Param.integer("poolSize", 50, 1, 200, "threads", "Platform threads of the thread pool"),
				Param.integer("delayMillis", 100, 1, 200, "ms", "How long the server waits before each answer"));
	}

	@Override
	public List<Figure> run(Params params) throws Exception {
		int requests = params.getInt("requests");
		int poolSize = params.getInt("poolSize");
		Duration delay = Duration.ofMillis(params.getInt("delayMillis"));

		List<Figure> figures = new ArrayList<>();
		try (Server server = Server.start(delay)) {
			InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());
			warmUp(address);
			Phase loop;
			try (Span phase = Span.begin(LOOP + " · 1 thread · " + requests + " requests")) {
				loop = measure(() -> eventLoop(address, requests));
			}
			Phase pool;
			try (Span phase = Span.begin(POOL + " · " + poolSize + " threads · " + requests + " requests")) {
				pool = measure(() -> threadPool(address, requests, poolSize));
			}
			Phase virtual;
			TracedVirtualThreads family = new TracedVirtualThreads("download");
			try (Span phase = Span.begin(VIRTUAL + " · " + requests + " requests")) {
				virtual = measure(() -> virtualThreads(address, requests, family));
			}
			loop.addTo(figures, LOOP);
			pool.addTo(figures, POOL);
			virtual.addTo(figures, VIRTUAL);
			figures.add(new Figure(VIRTUAL_STARTED, family.started(), "threads"));
			figures.add(new Figure(CARRIERS, family.carriers().size(), "threads"));
			long rounds = (requests + poolSize - 1) / poolSize;
			figures.add(new Figure(POOL_EXPECTED_MS, rounds * delay.toMillis(), "ms"));
			figures.add(new Figure(POOL_VS_LOOP, (double) pool.wallNanos / loop.wallNanos, "x"));
			figures.add(new Figure(POOL_VS_VIRTUAL, (double) pool.wallNanos / virtual.wallNanos, "x"));
		}
		figures.add(new Figure(CPUS, Runtime.getRuntime().availableProcessors(), "CPUs"));
		return figures;
	}

	/**
	 * A few blocking downloads first, so that the first approach timed does not pay alone
	 * for loading and compiling the socket code all three use.
	 */
	private static void warmUp(InetSocketAddress server) throws IOException {
		try (Span warmUp = Span.begin("warm-up")) {
			InFlight uncounted = new InFlight(null);
			for (int i = 0; i < 20; i++) {
				download(server, i, Work::io, uncounted);
			}
		}
	}

	/** What one approach took: its wall time, peak concurrency and footprint. */
	private record Phase(long wallNanos, int peakInFlight, Footprint.Cost cost) {

		void addTo(List<Figure> figures, String approach) {
			figures.add(new Figure(approach + WALL_MS, this.wallNanos / 1e6, "ms"));
			figures.add(new Figure(approach + PEAK_IN_FLIGHT, this.peakInFlight, "requests"));
			figures.add(new Figure(approach + THREADS_ADDED, this.cost.platformThreadsAdded(), "threads"));
			figures.add(new Figure(approach + HEAP_MB, this.cost.heapAllocatedBytes() / MB, "MB"));
			figures.add(new Figure(approach + RSS_MB, this.cost.peakRssGrowthBytes() / MB, "MB"));
			figures.add(new Figure(approach + RINGS_MB, this.cost.recorderRingBytes() / MB, "MB"));
		}

	}

	/** Runs one approach, which returns its peak number of requests in flight. */
	private static Phase measure(Callable<Integer> approach) throws Exception {
		Footprint footprint = Footprint.start();
		long start = System.nanoTime();
		int peak = approach.call();
		long wall = System.nanoTime() - start;
		return new Phase(wall, peak, footprint.cost());
	}

	/**
	 * Requests in flight, as a counter lane and as a peak: from the start of a connect to
	 * the end of its answer.
	 */
	private static final class InFlight {

		private final TracedGauge gauge;

		private final AtomicInteger now = new AtomicInteger();

		private final AtomicInteger peak = new AtomicInteger();

		/** Counted, and drawn as a counter lane unless {@code approach} is null. */
		InFlight(String approach) {
			this.gauge = (approach != null) ? new TracedGauge("requests in flight · " + approach) : null;
		}

		void started() {
			this.peak.accumulateAndGet(this.now.incrementAndGet(), Math::max);
			if (this.gauge != null) {
				this.gauge.add(1);
			}
		}

		void ended() {
			this.now.decrementAndGet();
			if (this.gauge != null) {
				this.gauge.add(-1);
			}
		}

	}

	// (a) The event loop.

	/** One download as the event loop sees it: its request, then the bytes it got. */
	private static final class Download {

		final ByteBuffer request;

		int received;

		Download(int i) {
			this.request = request(i);
		}

	}

	private static int eventLoop(InetSocketAddress server, int requests) throws Exception {
		InFlight inFlight = new InFlight("event loop");
		FutureTask<Void> body = new FutureTask<>(() -> {
			loop(server, requests, inFlight);
			return null;
		});
		TracedThreads.join(TracedThreads.start("event-loop", body));
		get(body);
		return inFlight.peak.get();
	}

	private static void loop(InetSocketAddress server, int requests, InFlight inFlight) throws IOException {
		// One buffer for every read: the loop reads one socket at a time.
		ByteBuffer buffer = ByteBuffer.allocate(LoopbackServer.RESPONSE_BYTES);
		List<SocketChannel> open = new ArrayList<>(requests);
		try (Selector selector = Selector.open()) {
			for (int i = 0; i < requests; i++) {
				SocketChannel ch = SocketChannel.open();
				open.add(ch);
				ch.configureBlocking(false);
				Marks.mark("start");
				inFlight.started();
				boolean connected = ch.connect(server);
				ch.register(selector, connected ? SelectionKey.OP_WRITE : SelectionKey.OP_CONNECT, new Download(i));
			}
			int done = 0;
			while (done < requests) {
				Marks.mark("select");
				Work.io(selector::select);
				for (SelectionKey key : selector.selectedKeys()) {
					done += step(key, buffer, inFlight);
				}
				selector.selectedKeys().clear();
			}
		}
		finally {
			for (SocketChannel ch : open) {
				ch.close();
			}
		}
	}

	/** Moves one download on by what its socket is ready for; 1 when it has ended. */
	private static int step(SelectionKey key, ByteBuffer buffer, InFlight inFlight) throws IOException {
		SocketChannel ch = (SocketChannel) key.channel();
		Download d = (Download) key.attachment();
		if (key.isConnectable()) {
			ch.finishConnect();
			key.interestOps(SelectionKey.OP_WRITE);
			return 0;
		}
		if (key.isWritable()) {
			ch.write(d.request);
			if (!d.request.hasRemaining()) {
				key.interestOps(SelectionKey.OP_READ);
			}
			return 0;
		}
		int n = ch.read(buffer.clear());
		if (n >= 0) {
			d.received += n;
			return 0;
		}
		ch.close();
		checkAnswer(d.received);
		inFlight.ended();
		return 1;
	}

	// (b) and (c): the same blocking code.

	/** How a blocking call is made: shown as I/O (a platform thread) or as an unmount. */
	@FunctionalInterface
	private interface Waits {

		<T, E extends Exception> T io(BlockingCall<T, E> call) throws E;

	}

	/**
	 * Downloads one answer with blocking calls. The in-flight count changes inside the
	 * blocking calls: a virtual thread shown mounted must not park outside them, and the
	 * gauge's lock could make it park.
	 */
	private static int download(InetSocketAddress server, int i, Waits waits, InFlight inFlight) throws IOException {
		Marks.mark("connect");
		try (SocketChannel ch = waits.io(() -> {
			inFlight.started();
			return SocketChannel.open(server);
		})) {
			ch.write(request(i));
			Marks.mark("read");
			int received = waits.io(() -> {
				int total = readToEnd(ch);
				inFlight.ended();
				return total;
			});
			checkAnswer(received);
			return received;
		}
	}

	private static int readToEnd(SocketChannel ch) throws IOException {
		ByteBuffer buffer = ByteBuffer.allocate(LoopbackServer.RESPONSE_BYTES);
		int total = 0;
		for (int n; (n = ch.read(buffer.clear())) >= 0;) {
			total += n;
		}
		return total;
	}

	private static int threadPool(InetSocketAddress server, int requests, int poolSize) throws Exception {
		InFlight inFlight = new InFlight("thread pool");
		try (TracedExecutor pool = TracedExecutor.fixed("pool", poolSize)) {
			List<Future<Integer>> results = new ArrayList<>(requests);
			for (int i = 0; i < requests; i++) {
				int request = i;
				results.add(pool.submit("download " + i, () -> download(server, request, Work::io, inFlight)));
			}
			pool.getAll(results);
		}
		return inFlight.peak.get();
	}

	private static int virtualThreads(InetSocketAddress server, int requests, TracedVirtualThreads family)
			throws Exception {
		InFlight inFlight = new InFlight("virtual threads");
		AtomicReference<Throwable> failure = new AtomicReference<>();
		List<Thread> threads = new ArrayList<>(requests);
		for (int i = 0; i < requests; i++) {
			int request = i;
			threads.add(family.start(() -> {
				try {
					download(server, request, family::blocking, inFlight);
				}
				catch (IOException | RuntimeException ex) {
					failure.compareAndSet(null, ex);
				}
			}));
		}
		TracedThreads.joinAll(threads);
		if (failure.get() != null) {
			throw new IOException("a virtual thread's download failed", failure.get());
		}
		return inFlight.peak.get();
	}

	private static ByteBuffer request(int i) {
		return ByteBuffer.wrap(("GET /file/" + i + "\n").getBytes(StandardCharsets.US_ASCII));
	}

	private static void checkAnswer(int received) throws IOException {
		if (received != LoopbackServer.RESPONSE_BYTES) {
			throw new IOException("short answer: " + received + " bytes of " + LoopbackServer.RESPONSE_BYTES
					+ " (the server failed?)");
		}
	}

	private static <T> T get(Future<T> f) throws Exception {
		try {
			return f.get();
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof Exception e) ? e : ex;
		}
	}

	/**
	 * The loopback server in a child process: ten thousand client sockets here and as
	 * many server sockets there would not fit in one process's file limit.
	 */
	private record Server(ChildProcess child, int port) implements AutoCloseable {

		static Server start(Duration delay) throws IOException, InterruptedException {
			ChildProcess child = ChildProcess.start("loopback-server", LoopbackServer.Task.class,
					Long.toString(delay.toMillis()));
			try {
				String line = child.nextMessage(Duration.ofSeconds(30));
				if (line == null || !line.startsWith("port ")) {
					throw new IOException("the loopback server did not start: "
							+ ((line != null) ? line : "no port within 30 s, " + child.error()));
				}
				return new Server(child, Integer.parseInt(line.substring("port ".length())));
			}
			catch (IOException | InterruptedException | RuntimeException ex) {
				child.close();
				throw ex;
			}
		}

		/**
		 * Asks the server to stop, checks that it ended well, and makes sure it is gone.
		 */
		@Override
		public void close() throws IOException, InterruptedException {
			try {
				this.child.send("stop");
				this.child.awaitResult();
			}
			finally {
				this.child.close();
			}
		}

	}

}
