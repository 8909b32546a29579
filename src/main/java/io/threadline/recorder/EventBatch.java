package io.threadline.recorder;

import java.util.Arrays;

/**
 * A run of consecutive events in columns: event {@code i} has sequence number
 * {@code firstSeq + i}. Columns rather than objects keep a million events at about 30
 * bytes each in the server's log and make encoding a straight loop. Not thread-safe: one
 * writer fills it, then it is handed over whole (through a queue or a lock, which
 * publishes it).
 */
public final class EventBatch {

	private long firstSeq;

	private int count;

	private long[] tNs;

	private int[] thread;

	private int[] cpu;

	private byte[] kind;

	private int[] obj;

	private long[] arg;

	private String[] text;

	/** A view of another batch's first events ({@link #frozen}): never written. */
	private final boolean readOnly;

	public EventBatch(long firstSeq, int capacity) {
		this.readOnly = false;
		this.firstSeq = firstSeq;
		int c = Math.max(capacity, 4);
		this.tNs = new long[c];
		this.thread = new int[c];
		this.cpu = new int[c];
		this.kind = new byte[c];
		this.obj = new int[c];
		this.arg = new long[c];
		this.text = new String[c];
	}

	public void add(long t, int threadId, int cpuId, EventKind k, int objId, long argValue, String name) {
		add(t, threadId, cpuId, k.code(), objId, argValue, name);
	}

	public void add(long t, int threadId, int cpuId, int kindCode, int objId, long argValue, String name) {
		if (this.readOnly) {
			throw new IllegalStateException("a frozen view of a batch cannot be added to");
		}
		if (this.count == this.tNs.length) {
			grow();
		}
		int i = this.count++;
		this.tNs[i] = t;
		this.thread[i] = threadId;
		this.cpu[i] = cpuId;
		this.kind[i] = (byte) kindCode;
		this.obj[i] = objId;
		this.arg[i] = argValue;
		this.text[i] = name;
	}

	private EventBatch(EventBatch of) {
		this.readOnly = true;
		this.firstSeq = of.firstSeq;
		this.count = of.count;
		this.tNs = of.tNs;
		this.thread = of.thread;
		this.cpu = of.cpu;
		this.kind = of.kind;
		this.obj = of.obj;
		this.arg = of.arg;
		this.text = of.text;
	}

	/**
	 * The batch's events as they are now, without copying them: a read-only view that
	 * shares this batch's columns. The writer only ever writes past the events the view
	 * holds (or into new columns, when it grows), so the view may be read by another
	 * thread while the writer goes on, provided it was taken under the lock the writer
	 * holds (which publishes the events it holds). The server's event log reads this way,
	 * so that a thousand viewers copying the log do not hold up its appends.
	 */
	public EventBatch frozen() {
		return new EventBatch(this);
	}

	/** Appends events [from, to) of another batch. */
	public void addAll(EventBatch other, int from, int to) {
		if (this.readOnly) {
			throw new IllegalStateException("a frozen view of a batch cannot be added to");
		}
		int n = to - from;
		if (n <= 0) {
			return;
		}
		while (this.count + n > this.tNs.length) {
			grow();
		}
		int at = this.count;
		System.arraycopy(other.tNs, from, this.tNs, at, n);
		System.arraycopy(other.thread, from, this.thread, at, n);
		System.arraycopy(other.cpu, from, this.cpu, at, n);
		System.arraycopy(other.kind, from, this.kind, at, n);
		System.arraycopy(other.obj, from, this.obj, at, n);
		System.arraycopy(other.arg, from, this.arg, at, n);
		System.arraycopy(other.text, from, this.text, at, n);
		this.count = at + n;
	}

	private void grow() {
		int c = this.tNs.length * 2;
		this.tNs = Arrays.copyOf(this.tNs, c);
		this.thread = Arrays.copyOf(this.thread, c);
		this.cpu = Arrays.copyOf(this.cpu, c);
		this.kind = Arrays.copyOf(this.kind, c);
		this.obj = Arrays.copyOf(this.obj, c);
		this.arg = Arrays.copyOf(this.arg, c);
		this.text = Arrays.copyOf(this.text, c);
	}

	public long firstSeq() {
		return this.firstSeq;
	}

	/** The seq after the last event: {@code firstSeq + count}. */
	public long endSeq() {
		return this.firstSeq + this.count;
	}

	public int count() {
		return this.count;
	}

	public long tNs(int i) {
		return this.tNs[i];
	}

	public int thread(int i) {
		return this.thread[i];
	}

	public int cpu(int i) {
		return this.cpu[i];
	}

	public EventKind kind(int i) {
		return EventKind.ofCode(this.kind[i]);
	}

	public int kindCode(int i) {
		return this.kind[i];
	}

	public int obj(int i) {
		return this.obj[i];
	}

	public long arg(int i) {
		return this.arg[i];
	}

	/** The text of a {@link EventKind#NAME} event, null for other kinds. */
	public String text(int i) {
		return this.text[i];
	}

	public Event get(int i) {
		return new Event(this.firstSeq + i, this.tNs[i], this.thread[i], this.cpu[i], kind(i), this.obj[i], this.arg[i],
				this.text[i]);
	}

}
