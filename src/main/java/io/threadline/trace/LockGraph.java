package io.threadline.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The wait-for graph of the traced locks and semaphores: which thread waits, without a
 * time limit, for which lock or permit, and which threads hold it. The deadlock detector
 * ({@code io.threadline.sampler.DeadlockDetector}) reads it a few times a second and
 * looks for a cycle: threads each waiting for something the next one holds, which none of
 * them can ever let go of.
 *
 * <p>
 * Only waiting costs anything: a thread enters itself here just before it blocks and
 * leaves just after, so taking a free lock stays as cheap as it was. Holders are not
 * copied here either; each resource answers who holds it when asked (a lock knows its
 * owner, a semaphore counts its holders' permits). A snapshot is therefore not taken at
 * one instant: a thread may have got its lock a moment after it was seen waiting. The
 * detector copes by believing only a cycle it sees twice with the same waits (each wait
 * has its own token), which a thread that moved on cannot produce.
 *
 * <p>
 * Timed waits ({@code tryLock(timeout)}) are not entered: they end by themselves, so they
 * can form a cycle for a moment but never a deadlock. Monitors ({@code synchronized}) are
 * not here either: the JVM gives no hook into them, and the detector asks ThreadMXBean.
 */
public final class LockGraph {

	/** Something threads hold and wait for: a traced lock, a semaphore's permits. */
	interface Resource {

		int id();

		String name();

		/**
		 * The threads holding it now; empty when a waiter could take it at once (a lock
		 * just let go, a semaphore with a permit left).
		 */
		List<Thread> holders();

	}

	/**
	 * One thread waiting for a lock or a permit that others hold.
	 *
	 * @param waiter the waiting thread
	 * @param resource the lock or semaphore waited for (its identity tells two apart when
	 * nothing is recorded and every id is 0)
	 * @param objectId its object id in the run (0 when not recording)
	 * @param objectName its name
	 * @param holders the threads holding it when the snapshot was taken
	 * @param token unique to this one wait: a thread that got its lock and waits again
	 * has a new token
	 */
	public record Wait(Thread waiter, Object resource, int objectId, String objectName, List<Thread> holders,
			long token) {
	}

	private record Pending(Resource resource, long token) {
	}

	private static final Map<Thread, Pending> waits = new ConcurrentHashMap<>();

	private static final AtomicLong tokens = new AtomicLong();

	private LockGraph() {
	}

	/**
	 * The calling thread is about to block, without a time limit, on {@code resource}.
	 */
	static void waiting(Resource resource) {
		waits.put(Thread.currentThread(), new Pending(resource, tokens.incrementAndGet()));
	}

	/** The calling thread has stopped waiting (it got the resource, or gave up). */
	static void done() {
		waits.remove(Thread.currentThread());
	}

	/**
	 * The threads waiting now for a resource that someone holds, each with that
	 * resource's holders as they are now.
	 */
	public static List<Wait> waits() {
		List<Wait> out = new ArrayList<>();
		waits.forEach((thread, pending) -> {
			Resource r = pending.resource();
			List<Thread> holders = r.holders();
			if (!holders.isEmpty()) {
				out.add(new Wait(thread, r, r.id(), r.name(), holders, pending.token()));
			}
		});
		return out;
	}

}
