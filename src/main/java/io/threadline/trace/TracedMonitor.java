package io.threadline.trace;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.recorder.Recorder;
import io.threadline.recorder.ThreadState;

/**
 * A named object used with Java's {@code synchronized}: the monitor every Java object
 * has, shown on the timeline like a lock. The JVM gives no hook into
 * {@code synchronized}, so the request is recorded just before entering the block and the
 * release just before leaving it; a thread that finds the monitor taken shows BLOCKED in
 * between, as the JVM reports it (Thread.State.BLOCKED).
 *
 * <pre>{@code
 * monitor.run(() -> counter.value++);
 * }</pre>
 *
 * Monitors are registered by identity so that a deadlock found by ThreadMXBean (which
 * names a monitor only by class and identity hash) can be told by its name.
 */
public final class TracedMonitor {

	private static final Map<Integer, TracedMonitor> byIdentity = new ConcurrentHashMap<>();

	private final int id;

	private final String name;

	public TracedMonitor(String name) {
		this.name = name;
		this.id = Recorder.name(NameCategory.MONITOR, name);
		byIdentity.put(System.identityHashCode(this), this);
	}

	/** The traced monitor whose object has this identity hash, or null. */
	public static TracedMonitor byIdentityHash(int identityHash) {
		return byIdentity.get(identityHash);
	}

	/** Runs {@code body} holding this monitor ({@code synchronized (monitor) {...}}). */
	public void run(Runnable body) {
		call(() -> {
			body.run();
			return null;
		});
	}

	/** Computes {@code body} holding this monitor. */
	public <T> T call(Supplier<T> body) {
		Gate.before(EventKind.LOCK_REQUEST, this.id, 0);
		Recorder.record(EventKind.LOCK_REQUEST, this.id, 0);
		synchronized (this) {
			Recorder.record(EventKind.LOCK_ACQUIRE, this.id, 1);
			try {
				return body.get();
			}
			finally {
				Recorder.record(EventKind.LOCK_RELEASE, this.id, 0);
			}
		}
	}

	/**
	 * {@code wait()} on this monitor, which the caller must hold: releases it, waits for
	 * a notify, and takes it back before returning.
	 * @throws InterruptedException if interrupted while waiting
	 */
	public void await() throws InterruptedException {
		Gate.before(EventKind.STATE, this.id, ThreadState.WAITING.ordinal());
		Recorder.record(EventKind.LOCK_RELEASE, this.id, 0);
		Recorder.record(EventKind.STATE, this.id, ThreadState.WAITING.ordinal());
		try {
			wait();
		}
		finally {
			Recorder.record(EventKind.LOCK_ACQUIRE, this.id, 1);
		}
	}

	/** {@code notifyAll()} on this monitor, which the caller must hold. */
	public void signalAll() {
		Gate.before(EventKind.SIGNAL, this.id, 0);
		Recorder.record(EventKind.SIGNAL, this.id, 0);
		notifyAll();
	}

	public int id() {
		return this.id;
	}

	public String name() {
		return this.name;
	}

}
