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

	/**
	 * A thread's wait: what for, its token, and whether an interrupt ends it (a
	 * {@code lockInterruptibly} or {@code acquire}, not a {@code lock}).
	 */
	private record Pending(Resource resource, long token, boolean interruptible) {
	}

	private static final Map<Thread, Pending> waits = new ConcurrentHashMap<>();

	private static final AtomicLong tokens = new AtomicLong();

	private LockGraph() {
	}

	/**
	 * The calling thread is about to block, without a time limit, on {@code resource}.
	 */
	static void waiting(Resource resource) {
		waits.put(Thread.currentThread(), new Pending(resource, tokens.incrementAndGet(), false));
	}

	/**
	 * The calling thread is about to block, without a time limit, on {@code resource}, in
	 * a wait that an interrupt ends ({@code lockInterruptibly}, a semaphore's
	 * {@code acquire}).
	 */
	static void waitingInterruptibly(Resource resource) {
		waits.put(Thread.currentThread(), new Pending(resource, tokens.incrementAndGet(), true));
	}

	/**
	 * Interrupts {@code thread} if it is waiting here in a wait that an interrupt ends,
	 * which is how a deadlock of such waits is broken from outside (the dashboard's
	 * "break the deadlock"). The check and the interrupt are not one step: a thread that
	 * got its lock in between is interrupted while it runs, and its next interruptible
	 * wait throws at once, which the deadlock scenarios treat as being the victim.
	 * @return whether the thread was interrupted
	 */
	public static boolean interruptIfInterruptible(Thread thread) {
		Pending p = waits.get(thread);
		if (p == null || !p.interruptible()) {
			return false;
		}
		thread.interrupt();
		return true;
	}

	/** Whether {@code thread} is waiting here, interruptibly or not. */
	public static boolean isWaiting(Thread thread) {
		return waits.containsKey(thread);
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
