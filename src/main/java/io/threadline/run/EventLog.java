package io.threadline.run;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.threadline.recorder.EventBatch;
import io.threadline.recorder.EventKind;

/**
 * A run's events, in seq order, in memory: appended by the run thread as batches arrive,
 * read by REST and the broadcaster from any seq. Guarded by its own monitor; readers get
 * copies.
 */
public final class EventLog {

	private final EventBatch events = new EventBatch(0, 1024);

	private final Map<Integer, String> names = new HashMap<>();

	private final List<RunThread> threads = new ArrayList<>();

	private final List<Deadlock> deadlocks = new ArrayList<>();

	private final Map<Integer, RunProcess> processes = new LinkedHashMap<>();

	private final LockStats locks;

	private long lastTNs;

	EventLog() {
		this(LockStats.Observer.NONE);
	}

	/**
	 * @param lockObserver told of every lock wait and hold as it ends (on the appending
	 * thread, with this log's monitor held)
	 */
	EventLog(LockStats.Observer lockObserver) {
		this.locks = new LockStats(lockObserver);
	}

	/**
	 * Appends a batch that must start exactly at the log's end.
	 * @throws IllegalStateException on a gap or an overlap (a broken runner stream)
	 */
	synchronized void append(EventBatch batch) {
		if (batch.firstSeq() != this.events.count()) {
			throw new IllegalStateException(
					"runner stream out of order: expected seq " + this.events.count() + ", got " + batch.firstSeq());
		}
		for (int i = 0; i < batch.count(); i++) {
			EventKind kind = batch.kind(i);
			if (kind == EventKind.NAME) {
				this.names.put(batch.obj(i), batch.text(i));
			}
			else if (kind == EventKind.THREAD_START) {
				long arg = batch.arg(i);
				this.threads.add(new RunThread(batch.thread(i), this.names.getOrDefault(batch.obj(i), "?"),
						arg & 0xFFFF_FFFFL, (int) (arg >>> 32)));
			}
			else if (kind == EventKind.PROCESS_START) {
				int id = batch.obj(i);
				this.processes.put(id,
						new RunProcess(id, this.names.getOrDefault(id, "process " + id), batch.arg(i), null));
			}
			else if (kind == EventKind.PROCESS_END) {
				int exit = (int) batch.arg(i);
				this.processes.computeIfPresent(batch.obj(i), (id, p) -> new RunProcess(id, p.name(), p.pid(), exit));
			}
			else if (kind == EventKind.DEADLOCK && batch.text(i) != null) {
				this.deadlocks.add(Deadlock.parse(batch.tNs(i), batch.text(i), this::threadName,
						id -> this.names.getOrDefault(id, "object " + id)));
			}
			this.lastTNs = Math.max(this.lastTNs, batch.tNs(i));
		}
		this.events.addAll(batch, 0, batch.count());
		this.locks.add(batch);
	}

	/** Appends one run-level event (thread 0) at the end of the log. */
	synchronized void appendRunEvent(EventKind kind, long tNs, long arg) {
		this.lastTNs = Math.max(this.lastTNs, tNs);
		this.events.add(this.lastTNs, 0, -1, kind, 0, arg, null);
	}

	/**
	 * Events from {@code from} on, at most {@code max} of them; empty when none. Copied
	 * outside the log's monitor, from a frozen view of the log: many readers (every
	 * viewer reads the log when it joins) never hold up the run's appends.
	 */
	public EventBatch read(long from, int max) {
		EventBatch all;
		synchronized (this) {
			all = this.events.frozen();
		}
		long start = Math.max(0, Math.min(from, all.count()));
		int n = (int) Math.min(max, all.count() - start);
		EventBatch out = new EventBatch(start, n);
		out.addAll(all, (int) start, (int) start + n);
		return out;
	}

	public synchronized long size() {
		return this.events.count();
	}

	public synchronized List<RunThread> threads() {
		return List.copyOf(this.threads);
	}

	/** The child processes the run started, in start order. */
	public synchronized List<RunProcess> processes() {
		return List.copyOf(this.processes.values());
	}

	public synchronized List<Deadlock> deadlocks() {
		return List.copyOf(this.deadlocks);
	}

	/** A lane's thread name, "thread N" before its start is seen. */
	synchronized String threadName(int lane) {
		for (RunThread t : this.threads) {
			if (t.id() == lane) {
				return t.name();
			}
		}
		return "thread " + lane;
	}

	/**
	 * Per-lock statistics of the waits and holds that ended in {@code [fromNs, toNs]},
	 * the hottest lock first (definitions: {@link LockStats}). Copies what it needs under
	 * the monitor and sorts outside it, so that a large run's figures do not hold up its
	 * appends.
	 */
	public List<LockStats.Summary> lockStats(long fromNs, long toNs) {
		LockStats.Selection selection;
		synchronized (this) {
			selection = this.locks.select(fromNs, toNs);
		}
		return selection.summaries();
	}

	/** The display name of an object id, or null. */
	public synchronized String name(int id) {
		return this.names.get(id);
	}

}
