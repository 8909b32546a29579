package io.threadline.trace;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.recorder.Recorder;
import io.threadline.recorder.ThreadState;

/**
 * A bounded FIFO queue between threads, over a real {@link ArrayBlockingQueue}, as
 * Python's {@code queue.Queue(maxsize=n)}. A {@link #put} into a full queue and a
 * {@link #take} from an empty one are shown as WAITING on the queue for as long as they
 * block; one that does not block is not. The queue's depth is a counter lane
 * ("{@code name} depth"), recorded after every change, and an operation that may have
 * woken a thread blocked on the other end records a SIGNAL.
 *
 * <p>
 * It also measures, for the figures of a run, how long threads were blocked putting and
 * taking, and the deepest the queue got.
 */
public final class TracedBlockingQueue<E> {

	private final BlockingQueue<E> queue;

	private final int capacity;

	private final String name;

	private final int id;

	/** The depth's counter lane, or null if not shown. */
	private final TracedGauge depth;

	/** Guards reading the depth and recording it, and the deepest seen: see changed. */
	private final Object depthLock = new Object();

	private int maxDepth;

	/**
	 * Threads inside a blocking take or put: a put or take on the other end may wake one.
	 */
	private final AtomicInteger waitingTakers = new AtomicInteger();

	private final AtomicInteger waitingPutters = new AtomicInteger();

	private final LongAdder putWaitNanos = new LongAdder();

	private final LongAdder takeWaitNanos = new LongAdder();

	/**
	 * @param capacity the most elements the queue holds; a put into a full queue waits
	 */
	public TracedBlockingQueue(String name, int capacity) {
		this(name, capacity, true);
	}

	/**
	 * @param capacity the most elements the queue holds; a put into a full queue waits
	 * @param showDepth whether the queue's depth gets a counter lane; a queue used only
	 * to hand over a few results is clearer without
	 */
	public TracedBlockingQueue(String name, int capacity, boolean showDepth) {
		this.queue = new ArrayBlockingQueue<>(capacity);
		this.capacity = capacity;
		this.name = name;
		this.id = Recorder.name(NameCategory.QUEUE, name);
		this.depth = showDepth ? new TracedGauge(name + " depth") : null;
	}

	/**
	 * Adds an element, waiting (shown WAITING on the queue) while the queue is full.
	 * @throws InterruptedException if interrupted while waiting; nothing was added
	 */
	public void put(E element) throws InterruptedException {
		Gate.before(EventKind.STATE, this.id, ThreadState.WAITING.ordinal());
		int takers = this.waitingTakers.get();
		if (!this.queue.offer(element)) {
			this.waitingPutters.incrementAndGet();
			Recorder.record(EventKind.STATE, this.id, ThreadState.WAITING.ordinal());
			long start = System.nanoTime();
			try {
				this.queue.put(element);
			}
			finally {
				this.putWaitNanos.add(System.nanoTime() - start);
				this.waitingPutters.decrementAndGet();
				Recorder.record(EventKind.STATE, 0, ThreadState.RUNNING.ordinal());
			}
		}
		changed(this.waitingTakers, takers);
	}

	/** Adds an element if there is room, without waiting. */
	public boolean offer(E element) {
		Gate.before(EventKind.STATE, 0, ThreadState.RUNNING.ordinal());
		int takers = this.waitingTakers.get();
		if (!this.queue.offer(element)) {
			return false;
		}
		changed(this.waitingTakers, takers);
		return true;
	}

	/**
	 * Removes the oldest element, waiting (shown WAITING on the queue) while the queue is
	 * empty, for as long as it takes: forever, if no one puts again.
	 * @throws InterruptedException if interrupted while waiting
	 */
	public E take() throws InterruptedException {
		Gate.before(EventKind.STATE, this.id, ThreadState.WAITING.ordinal());
		int putters = this.waitingPutters.get();
		E element = this.queue.poll();
		if (element == null) {
			this.waitingTakers.incrementAndGet();
			Recorder.record(EventKind.STATE, this.id, ThreadState.WAITING.ordinal());
			long start = System.nanoTime();
			try {
				element = this.queue.take();
			}
			finally {
				this.takeWaitNanos.add(System.nanoTime() - start);
				this.waitingTakers.decrementAndGet();
				Recorder.record(EventKind.STATE, 0, ThreadState.RUNNING.ordinal());
			}
		}
		changed(this.waitingPutters, putters);
		return element;
	}

	/**
	 * Removes the oldest element, waiting (shown WAITING on the queue) at most
	 * {@code timeout} while the queue is empty.
	 * @return the element, or null if the queue stayed empty for the whole timeout
	 * @throws InterruptedException if interrupted while waiting
	 */
	public E poll(Duration timeout) throws InterruptedException {
		Gate.before(EventKind.STATE, this.id, ThreadState.WAITING.ordinal());
		int putters = this.waitingPutters.get();
		E element = this.queue.poll();
		if (element == null) {
			this.waitingTakers.incrementAndGet();
			Recorder.record(EventKind.STATE, this.id, ThreadState.WAITING.ordinal());
			long start = System.nanoTime();
			try {
				element = this.queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
			}
			finally {
				this.takeWaitNanos.add(System.nanoTime() - start);
				this.waitingTakers.decrementAndGet();
				Recorder.record(EventKind.STATE, 0, ThreadState.RUNNING.ordinal());
			}
			if (element == null) {
				return null;
			}
		}
		changed(this.waitingPutters, putters);
		return element;
	}

	/** Removes the oldest element if there is one, without waiting; null if empty. */
	public E poll() {
		Gate.before(EventKind.STATE, 0, ThreadState.RUNNING.ordinal());
		int putters = this.waitingPutters.get();
		E element = this.queue.poll();
		if (element != null) {
			changed(this.waitingPutters, putters);
		}
		return element;
	}

	/**
	 * Records the new depth, and a SIGNAL when a thread was blocked on the other end (a
	 * put wakes one taker, a take one putter, as {@code ArrayBlockingQueue} does).
	 */
	/**
	 * Records the new depth, and a SIGNAL if a thread was (or still is) blocked on the
	 * other end: {@code waitingBefore} is read before the operation, because a woken
	 * thread may have left its wait before this thread gets here.
	 */
	private void changed(AtomicInteger waitingOnOtherEnd, int waitingBefore) {
		// Read and recorded under one lock: otherwise two threads could read the size in
		// one order and record it in the other, and the lane would end on a stale depth.
		synchronized (this.depthLock) {
			int now = this.queue.size();
			this.maxDepth = Math.max(this.maxDepth, now);
			if (this.depth != null) {
				this.depth.set(now);
			}
		}
		if (waitingBefore > 0 || waitingOnOtherEnd.get() > 0) {
			Recorder.record(EventKind.SIGNAL, this.id, 1);
		}
	}

	/**
	 * Whether the queue is empty at this instant: by the time the caller acts on the
	 * answer, another thread may have changed it (a check-then-act race, §5.2).
	 */
	public boolean isEmpty() {
		return this.queue.isEmpty();
	}

	public int size() {
		return this.queue.size();
	}

	public int capacity() {
		return this.capacity;
	}

	/** The deepest the queue has been, as read after each change. */
	public int maxDepth() {
		synchronized (this.depthLock) {
			return this.maxDepth;
		}
	}

	/** Threads blocked in take or poll right now. */
	public int waitingTakers() {
		return this.waitingTakers.get();
	}

	/** Time threads have spent blocked in put because the queue was full, summed. */
	public Duration putWaited() {
		return Duration.ofNanos(this.putWaitNanos.sum());
	}

	/**
	 * Time threads have spent blocked in take or poll because the queue was empty,
	 * summed.
	 */
	public Duration takeWaited() {
		return Duration.ofNanos(this.takeWaitNanos.sum());
	}

	public String name() {
		return this.name;
	}

	/** The queue's object id in this run (0 when not recording). */
	public int id() {
		return this.id;
	}

}
