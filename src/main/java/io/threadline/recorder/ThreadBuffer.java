package io.threadline.recorder;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * One thread's events: a single-producer single-consumer ring of three longs per event
 * (time, packed kind/cpu/object, argument). The owning thread is the only producer; the
 * recorder's drain thread is the only consumer. See package-info for the ordering
 * argument.
 */
final class ThreadBuffer {

	private static final VarHandle TAIL;

	private static final VarHandle HEAD;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			TAIL = lookup.findVarHandle(ThreadBuffer.class, "tail", long.class);
			HEAD = lookup.findVarHandle(ThreadBuffer.class, "head", long.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	/** Three longs per event. */
	static final int BYTES_PER_EVENT = 3 * Long.BYTES;

	final int lane;

	/** The platform thread that writes the ring; null for a carrier's ring. */
	final Thread owner;

	/** The id of the lane's name (the thread's, or the carrier's). */
	final int nameId;

	private final long[] ring;

	private final int capacity;

	private final int mask;

	/**
	 * Next slot the producer writes. Written by the producer only, published with a
	 * release store.
	 */
	@SuppressWarnings("unused")
	private volatile long tail;

	/**
	 * Next slot the consumer reads. Written by the consumer only, published with a
	 * release store.
	 */
	@SuppressWarnings("unused")
	private volatile long head;

	/**
	 * The producer's last view of {@code head}; a plain field only the producer touches.
	 */
	private long cachedHead;

	/**
	 * Times the producer found the ring full and waited for the drain (producer-owned,
	 * read racily).
	 */
	private long stalls;

	/** The kernel's id of the thread (or carrier) that writes it, -1 if unknown. */
	final int tid;

	/** Woken when the ring is full; null for none. */
	private final Thread drain;

	ThreadBuffer(int lane, Thread owner, int nameId, int tid, int capacityPow2, Thread drain) {
		if (Integer.bitCount(capacityPow2) != 1) {
			throw new IllegalArgumentException("capacity must be a power of two: " + capacityPow2);
		}
		this.lane = lane;
		this.owner = owner;
		this.nameId = nameId;
		this.tid = tid;
		this.capacity = capacityPow2;
		this.mask = capacityPow2 - 1;
		this.ring = new long[capacityPow2 * 3];
		this.drain = drain;
	}

	static long pack(int kind, int cpu, int obj) {
		return (kind & 0xFFL) | ((cpu + 1L) & 0xFFFFFFL) << 8 | (obj & 0xFFFF_FFFFL) << 32;
	}

	/**
	 * Producer only. Never drops: a full ring waits for the drain (and counts a stall).
	 */
	void put(long tNs, long packed, long arg) {
		long t = (long) TAIL.getOpaque(this); // own field: no ordering needed
		if (t - this.cachedHead >= this.capacity) {
			this.cachedHead = (long) HEAD.getAcquire(this); // LoadLoad: slots below head
															// are free
			if (t - this.cachedHead >= this.capacity) {
				waitForSpace(t);
			}
		}
		int i = (int) (t & this.mask) * 3;
		this.ring[i] = tNs;
		this.ring[i + 1] = packed;
		this.ring[i + 2] = arg;
		TAIL.setRelease(this, t + 1); // StoreStore: the slot is written before it is
										// published
	}

	private void waitForSpace(long t) {
		this.stalls++;
		if (this.drain != null) {
			LockSupport.unpark(this.drain); // it may be waiting out a quiet spell
		}
		// A virtual thread must not park here: parking unmounts it, and another virtual
		// thread mounted on the same carrier would then write this ring too.
		boolean mayPark = !Thread.currentThread().isVirtual();
		int spins = 0;
		while (t - (this.cachedHead = (long) HEAD.getAcquire(this)) >= this.capacity) {
			if (++spins < 100 || !mayPark) {
				Thread.onSpinWait();
			}
			else {
				LockSupport.parkNanos(50_000);
			}
		}
	}

	/**
	 * Consumer only: appends every published event to {@code out} and frees their slots.
	 */
	int drainTo(EventBatch out) {
		long h = (long) HEAD.getOpaque(this);
		long t = (long) TAIL.getAcquire(this); // LoadLoad: slots below tail are fully
												// written
		for (long s = h; s < t; s++) {
			int i = (int) (s & this.mask) * 3;
			long packed = this.ring[i + 1];
			out.add(this.ring[i], this.lane, (int) ((packed >>> 8) & 0xFFFFFF) - 1, (int) (packed & 0xFF),
					(int) (packed >>> 32), this.ring[i + 2], null);
		}
		HEAD.setRelease(this, t); // the slots are read before the producer may reuse them
		return (int) (t - h);
	}

	long stalls() {
		return this.stalls;
	}

	/** Events written and not yet drained (racy read from another thread). */
	long pending() {
		return (long) TAIL.getAcquire(this) - (long) HEAD.getAcquire(this);
	}

	/** Events written so far (racy read from another thread: a probe of activity). */
	long written() {
		return (long) TAIL.getAcquire(this);
	}

	/**
	 * Whether the last event written left the thread off a CPU (blocked, waiting,
	 * sleeping, in I/O, an idle worker or carrier, ended): read racily by the scheduler
	 * sampler, which only uses it to put off reading a thread that cannot have run since.
	 */
	boolean offCpu() {
		long t = written();
		if (t == 0) {
			return false;
		}
		int i = (int) ((t - 1) & this.mask) * 3;
		long packed = this.ring[i + 1];
		long arg = this.ring[i + 2];
		EventKind kind = EventKind.ofCode((int) (packed & 0xFF));
		return switch (kind) {
			case STATE -> arg >= ThreadState.BLOCKED.ordinal();
			case LOCK_REQUEST, VTHREAD_UNMOUNT, THREAD_END -> true;
			default -> false;
		};
	}

}
