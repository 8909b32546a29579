package io.threadline.scenario;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.LockSupport;

/**
 * Shared memory (Python's {@code multiprocessing.shared_memory}, §5.3): one file mapped
 * into both processes, holding two single-producer single-consumer rings, one each way. A
 * message is copied into a slot of the mapped memory and published by a counter; the
 * other process sees it there. No system call, no serialisation, no thread in between:
 * that is why it is the fastest mechanism, and also why it is the least convenient (fixed
 * sizes, raw bytes, and the waiting is ours to do).
 *
 * <p>
 * Memory ordering, per ring: only the producer writes {@code tail} (messages published)
 * and the slots; only the consumer writes {@code head} (messages taken). The producer
 * fills a slot with plain writes and then stores {@code tail} with release semantics; the
 * consumer loads {@code tail} with acquire semantics before it reads the slot, so it
 * never reads a slot before its bytes are there. In the same way the consumer releases
 * {@code head} after copying a slot out and the producer acquires it before it overwrites
 * one. The Java memory model speaks of threads, not processes; the JVM carries these
 * accesses out with the processor's own ordering instructions (or none, on x86, beyond
 * keeping the compiler from reordering), and those order accesses to physical memory,
 * however many processes have it mapped.
 */
final class IpcRing implements IpcLink {

	/** Slots in each ring: at most this many messages are in flight one way. */
	static final int CAPACITY = 64;

	/** {@code long} at a byte offset of a segment, with acquire/release access. */
	private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

	/**
	 * Offsets in a ring. {@code tail} and {@code head} are written by different
	 * processes, so they sit on different cache lines (two apart, against adjacent-line
	 * prefetch).
	 */
	private static final long TAIL = 0;

	private static final long HEAD = 128;

	private static final long SLOTS = 256;

	/** Busy-waits this many times before it starts yielding the CPU. */
	private static final int SPINS = 200;

	/** Yields this many times before it starts sleeping. */
	private static final int YIELDS = 50;

	/**
	 * A sleep while waiting, as asked; Linux adds its timer slack (50 µs by default).
	 */
	private static final long PARK_NANOS = 10_000;

	/** Sleeps between two looks at whether the other process is still alive. */
	private static final int CHECK_PEER_EVERY = 1000;

	private final Arena arena;

	private final FileChannel file;

	private final MemorySegment shared;

	private final ProcessHandle peer;

	private final int size;

	private final long slotBytes;

	private final long out;

	private final long in;

	private final byte[] received;

	/**
	 * Messages this end published (its ring's tail), and the other end's head as last
	 * seen.
	 */
	private long sent;

	private long outHead;

	/**
	 * Messages this end took (its ring's head), and the other end's tail as last seen.
	 */
	private long taken;

	private long inTail;

	private IpcRing(Path path, int size, boolean create, boolean first, ProcessHandle peer) throws IOException {
		this.size = size;
		this.slotBytes = (size + 63L) & ~63L;
		this.peer = peer;
		this.received = new byte[size];
		long ringBytes = SLOTS + CAPACITY * this.slotBytes;
		this.file = create
				? FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
						StandardOpenOption.WRITE)
				: FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
		this.arena = Arena.ofConfined();
		try {
			// A new file's bytes are zeros: both rings start empty (tail = head = 0).
			this.shared = this.file.map(FileChannel.MapMode.READ_WRITE, 0, 2 * ringBytes, this.arena);
		}
		catch (IOException | RuntimeException ex) {
			this.arena.close();
			this.file.close();
			throw ex;
		}
		this.out = first ? 0 : ringBytes;
		this.in = first ? ringBytes : 0;
	}

	/**
	 * Creates the file and maps it: the receiver's end, made before the sender is told to
	 * map it too.
	 */
	static IpcRing create(Path path, int size, ProcessHandle peer) throws IOException {
		return new IpcRing(path, size, true, false, peer);
	}

	/** Maps the file the receiver created: the sender's end. */
	static IpcRing open(Path path, int size, ProcessHandle peer) throws IOException {
		return new IpcRing(path, size, false, true, peer);
	}

	@Override
	public void send(byte[] message) throws EOFException {
		long tail = this.sent;
		if (tail - this.outHead >= CAPACITY) {
			// Acquire: the consumer has copied the slot out before we overwrite it.
			for (int idle = 0; tail
					- (this.outHead = (long) LONG.getAcquire(this.shared, this.out + HEAD)) >= CAPACITY; idle++) {
				idle(idle);
			}
		}
		MemorySegment.copy(message, 0, this.shared, ValueLayout.JAVA_BYTE, slot(this.out, tail), this.size);
		// Release: the slot's bytes are visible before the tail that publishes them.
		LONG.setRelease(this.shared, this.out + TAIL, tail + 1);
		this.sent = tail + 1;
	}

	@Override
	public byte[] receive() throws EOFException {
		long head = this.taken;
		if (this.inTail <= head) {
			// Acquire: what the producer wrote to the slot before publishing it.
			for (int idle = 0; (this.inTail = (long) LONG.getAcquire(this.shared, this.in + TAIL)) <= head; idle++) {
				idle(idle);
			}
		}
		MemorySegment.copy(this.shared, ValueLayout.JAVA_BYTE, slot(this.in, head), this.received, 0, this.size);
		// Release: we are done reading the slot before the producer may reuse it.
		LONG.setRelease(this.shared, this.in + HEAD, head + 1);
		this.taken = head + 1;
		return this.received;
	}

	private long slot(long ring, long sequence) {
		return ring + SLOTS + (sequence % CAPACITY) * this.slotBytes;
	}

	/**
	 * Waits a little for the other process: spins first (on free cores it answers within
	 * a microsecond or two), then yields the core, then sleeps for a few microseconds at
	 * a time, so that on a busy machine the waiting process does not take the CPU the
	 * other one needs to answer. A process that died publishes nothing more, so now and
	 * then we look.
	 */
	private void idle(int times) throws EOFException {
		if (times < SPINS) {
			Thread.onSpinWait();
		}
		else if (times < SPINS + YIELDS) {
			Thread.yield();
		}
		else {
			LockSupport.parkNanos(PARK_NANOS);
			if ((times - SPINS - YIELDS) % CHECK_PEER_EVERY == CHECK_PEER_EVERY - 1 && !this.peer.isAlive()) {
				throw new EOFException("the other process has ended");
			}
		}
	}

	@Override
	public void close() throws IOException {
		try {
			this.arena.close();
		}
		finally {
			this.file.close();
		}
	}

}
