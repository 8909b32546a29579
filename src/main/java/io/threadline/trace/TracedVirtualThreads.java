package io.threadline.trace;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.recorder.Recorder;

/**
 * A family of virtual threads ("download"), drawn on the lanes of the carriers that run
 * them: a virtual thread gets no lane of its own (a run may start ten thousand), and
 * while it is mounted, its spans, marks and counters appear on its carrier's lane between
 * a {@link EventKind#VTHREAD_MOUNT} and a {@link EventKind#VTHREAD_UNMOUNT}.
 *
 * <p>
 * What is observed, honestly: the start and the end of each virtual thread's body, and
 * the calls its code passes through {@link #blocking}, which are recorded as an unmount
 * before the call and a mount after it, on whichever carrier the thread is on when the
 * call returns. That matches what the JDK does when the call really blocks (the thread
 * parks, leaves its carrier, and later resumes, perhaps on another one). What is not
 * observed: a blocking call that finds its data ready and never parks still shows as a
 * gap; a park in code not passed through {@code blocking} (a contended lock inside a
 * library, say) is not seen, so the lane shows the thread mounted on the carrier it
 * started on although it left it; and the time a resumed thread waits for a free carrier
 * is not drawn. The JDK offers no public hook for its own mounts; these brackets are the
 * program's account of where it may block.
 */
public final class TracedVirtualThreads {

	private final String family;

	private final int id;

	private final AtomicInteger started = new AtomicInteger();

	private final Set<String> carriers = ConcurrentHashMap.newKeySet();

	/** Names the family (a NAME of category VIRTUAL_THREADS). */
	public TracedVirtualThreads(String family) {
		this.family = family;
		this.id = Recorder.name(NameCategory.VIRTUAL_THREADS, family);
	}

	/**
	 * Starts a virtual thread named {@code family-n} running {@code body}, recording a
	 * mount when the body begins and an unmount when it ends.
	 */
	public Thread start(Runnable body) {
		int n = this.started.incrementAndGet();
		return Thread.ofVirtual().name(this.family + "-" + n).start(() -> {
			mounted();
			try {
				body.run();
			}
			finally {
				unmounted();
			}
		});
	}

	/**
	 * Runs a call during which the calling virtual thread may park and so leave its
	 * carrier: an unmount is recorded before it and a mount after it. On a platform
	 * thread the call just runs.
	 */
	public <T, E extends Exception> T blocking(BlockingCall<T, E> call) throws E {
		if (!Thread.currentThread().isVirtual()) {
			return call.call();
		}
		unmounted();
		try {
			return call.call();
		}
		finally {
			mounted();
		}
	}

	private void mounted() {
		String me = Thread.currentThread().toString();
		// "VirtualThread[#22,download-7]/runnable@ForkJoinPool-1-worker-1": the carrier's
		// name follows the last '@'.
		int at = me.lastIndexOf('@');
		if (at >= 0) {
			this.carriers.add(me.substring(at + 1));
		}
		long tid = Thread.currentThread().threadId();
		Gate.before(EventKind.VTHREAD_MOUNT, this.id, tid);
		Recorder.record(EventKind.VTHREAD_MOUNT, this.id, tid);
	}

	private void unmounted() {
		Recorder.record(EventKind.VTHREAD_UNMOUNT, this.id, Thread.currentThread().threadId());
	}

	/** Virtual threads started so far. */
	public int started() {
		return this.started.get();
	}

	/** Distinct carriers the family's threads were seen mounted on, by name. */
	public Set<String> carriers() {
		return Set.copyOf(this.carriers);
	}

	public String family() {
		return this.family;
	}

	/** The family's object id in this run (0 when not recording). */
	public int id() {
		return this.id;
	}

}
