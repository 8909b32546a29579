package io.threadline.scenario;

import java.io.EOFException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Shared memory (Python's {@code multiprocessing.shared_memory}, §5.3): one file mapped
 * into both processes, holding two single-producer single-consumer rings, one each way. A
 * message is copied into a slot of the mapped memory and published by a counter; the
 * other process reads it from there. No system call, no serialisation, no thread in
 * between: that is why it is the fastest mechanism, and also why it is the least
 * convenient (fixed sizes, raw bytes, and the waiting is ours to do).
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
 * keeping the compiler from reordering), and those order accesses to the physical memory,
 * however many processes have it mapped.
 *
 * <p>
 * Waiting: a process that finds nothing to take (or no free slot) spins for a few
 * microseconds, which is all it takes when the other process runs on another core. After
 * that it sleeps in the kernel until the other process rings a doorbell, a byte on a Unix
 * socket, as a Python program would wait on a {@code multiprocessing.Semaphore} beside
 * its shared memory. Without it, on a busy machine the waiting process would burn the CPU
 * the other needs to answer. The doorbell rings only for a process that said it sleeps,
 * so the messages themselves never pass through the kernel.
 */
final class IpcRing implements IpcLink {

	/**
	 * Bytes of slots in each ring, about what a Unix socket buffers, so that neither
	 * mechanism gets more room for messages in flight than the other.
	 */
	static final long RING_BYTES = 256 * 1024;

	/** Slots in each ring at least and at most, whatever the message size. */
	static final int MIN_SLOTS = 8;

	static final int MAX_SLOTS = 1024;

	/** {@code long} at a byte offset of a segment, with atomic access modes. */
	private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

	/**
	 * The file: each process's "I sleep" flag, then the sender's ring, then the
	 * receiver's. Words written by different processes sit on different cache lines (two
	 * apart, against adjacent-line prefetch).
	 */
	private static final long SENDER_SLEEPS = 0;

	private static final long RECEIVER_SLEEPS = 128;

	private static final long RINGS = 256;

	/** A ring: {@code tail}, {@code head}, then the slots. */
	private static final long TAIL = 0;

	private static final long HEAD = 128;

	private static final long SLOTS = 256;

	/** How long a wait spins before it sleeps. */
	private static final long SPIN_NANOS = 10_000;

	private final Arena arena;

	private final FileChannel file;

	private final MemorySegment shared;

	private final SocketChannel doorbell;

	private final ByteBuffer ring = ByteBuffer.allocateDirect(1);

	private final int size;

	private final long slotBytes;

	private final int slots;

	private final long out;

	private final long in;

	private final long mySleep;

	private final long peerSleep;

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

	/**
	 * Maps the file {@link #createFile} made.
	 * @param sender whether this is the sender's end
	 * @param doorbell a socket connected to the other end
	 */
	IpcRing(Path path, int size, boolean sender, SocketChannel doorbell) throws IOException {
		this.size = size;
		this.slotBytes = slotBytes(size);
		this.slots = slots(size);
		this.doorbell = doorbell;
		this.received = new byte[size];
		long ringBytes = SLOTS + this.slots * this.slotBytes;
		this.file = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
		this.arena = Arena.ofConfined();
		try {
			this.shared = this.file.map(FileChannel.MapMode.READ_WRITE, 0, fileBytes(size), this.arena);
		}
		catch (IOException | RuntimeException ex) {
			this.arena.close();
			this.file.close();
			throw ex;
		}
		this.out = sender ? RINGS : RINGS + ringBytes;
		this.in = sender ? RINGS + ringBytes : RINGS;
		this.mySleep = sender ? SENDER_SLEEPS : RECEIVER_SLEEPS;
		this.peerSleep = sender ? RECEIVER_SLEEPS : SENDER_SLEEPS;
	}

	/**
	 * Makes the file for messages of {@code size} bytes. Its bytes are zeros: both rings
	 * start empty (tail = head = 0) and nobody sleeps.
	 */
	static void createFile(Path path, int size) throws IOException {
		try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "rw")) {
			f.setLength(fileBytes(size));
		}
	}

	private static long slotBytes(int size) {
		return (size + 63L) & ~63L;
	}

	private static int slots(int size) {
		return (int) Math.clamp(RING_BYTES / slotBytes(size), MIN_SLOTS, MAX_SLOTS);
	}

	private static long fileBytes(int size) {
		return RINGS + 2 * (SLOTS + slots(size) * slotBytes(size));
	}

	@Override
	public void send(byte[] message) throws IOException {
		long tail = this.sent;
		// Acquire: the consumer has copied the slot out before we overwrite it.
		if (tail - this.outHead >= this.slots) {
			await(() -> tail - (this.outHead = (long) LONG.getAcquire(this.shared, this.out + HEAD)) < this.slots);
		}
		MemorySegment.copy(message, 0, this.shared, ValueLayout.JAVA_BYTE, slot(this.out, tail), this.size);
		// Release: the slot's bytes are visible before the tail that publishes them.
		LONG.setRelease(this.shared, this.out + TAIL, tail + 1);
		this.sent = tail + 1;
		wakePeer();
	}

	@Override
	public byte[] receive() throws IOException {
		long head = this.taken;
		// Acquire: what the producer wrote to the slot before it published it.
		if (this.inTail <= head) {
			await(() -> (this.inTail = (long) LONG.getAcquire(this.shared, this.in + TAIL)) > head);
		}
		MemorySegment.copy(this.shared, ValueLayout.JAVA_BYTE, slot(this.in, head), this.received, 0, this.size);
		// Release: we are done reading the slot before the producer may reuse it.
		LONG.setRelease(this.shared, this.in + HEAD, head + 1);
		this.taken = head + 1;
		wakePeer();
		return this.received;
	}

	private long slot(long ring, long sequence) {
		return ring + SLOTS + (sequence % this.slots) * this.slotBytes;
	}

	@FunctionalInterface
	private interface Ready {

		boolean now();

	}

	/**
	 * Spins until {@code ready}, then sleeps until the other process rings. The "I sleep"
	 * flag and the counters form Dekker's pattern: we set our flag and then look at the
	 * counter again; the other process moves the counter and then looks at our flag. With
	 * a full fence between each store and load, at least one of us sees the other's
	 * store, so a sleeper is always woken.
	 */
	private void await(Ready ready) throws IOException {
		long start = System.nanoTime();
		while (System.nanoTime() - start < SPIN_NANOS) {
			if (ready.now()) {
				return;
			}
			Thread.onSpinWait();
		}
		while (true) {
			LONG.setVolatile(this.shared, this.mySleep, 1L);
			VarHandle.fullFence(); // StoreLoad: our flag before we look again
			if (ready.now()) {
				if (!LONG.compareAndSet(this.shared, this.mySleep, 1L, 0L)) {
					// The other process took the flag and rings: take its byte.
					listen();
				}
				return;
			}
			listen();
			if (ready.now()) {
				return;
			}
		}
	}

	/** Rings the other process's doorbell if it sleeps, waking it. */
	private void wakePeer() throws IOException {
		VarHandle.fullFence(); // StoreLoad: the counter we moved before we look at the
								// flag
		if ((long) LONG.getVolatile(this.shared, this.peerSleep) == 1L
				&& LONG.compareAndSet(this.shared, this.peerSleep, 1L, 0L)) {
			this.ring.clear();
			while (this.ring.hasRemaining()) {
				this.doorbell.write(this.ring);
			}
		}
	}

	/** Sleeps until the other process rings; fails if it closed its end or died. */
	private void listen() throws IOException {
		this.ring.clear();
		if (this.doorbell.read(this.ring) < 0) {
			throw new EOFException("the other process has ended");
		}
	}

	@Override
	public void close() throws IOException {
		try (this.doorbell; this.file) {
			this.arena.close();
		}
	}

}
