package io.threadline.export;

import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

import io.threadline.recorder.EventBatch;
import io.threadline.run.Run;
import io.threadline.run.RunProcess;
import io.threadline.run.RunThread;
import io.threadline.run.RunView;

/**
 * A run as Chrome trace event JSON (the format Perfetto's UI and chrome://tracing open),
 * streamed in one pass over its events:
 * <ul>
 * <li>one process per OS process of the run (the runner, each child), named as in
 * Threadline, and one thread track per lane, named and ordered as its lanes;</li>
 * <li>each thread's states as complete slices ("running", "waiting for a CPU", "blocked",
 * ...) that never overlap on a track, with what it waited for;</li>
 * <li>spans and tasks as async slices of their process (they may overlap the states);
 * marks as instants; counters as counter tracks;</li>
 * <li>lock holds as async slices of a "Locks" process, one track per lock, the holder in
 * the slice's arguments (several holders of a read lock or a semaphore stack);</li>
 * <li>hand-offs as flow arrows from a release to the contended acquire it ended, by
 * another thread; deadlocks as global instants with their cycle.</li>
 * </ul>
 * Times are microseconds from the run's start.
 */
public final class ChromeTrace {

	/** The pid of the synthetic process that holds the lock tracks. */
	static final long LOCKS_PID = 999_999_999L;

	private static final String[] STATE_NAMES = { "running", "waiting for a CPU", "blocked", "waiting", "sleeping",
			"I/O", "idle" };

	private final Run run;

	private final JsonGenerator out;

	private final Map<Integer, Lane> lanes = new HashMap<>();

	private final Map<Integer, long[]> processPids = new HashMap<>();

	private final Map<Integer, LockState> locks = new HashMap<>();

	private LaneStates states;

	private long flowIds;

	private long holdIds;

	/** A thread's open state slice. */
	private static final class Lane {

		final long pid;

		final long tid;

		final String name;

		/** A LOCK_REQUEST seen, not yet followed by the acquire. */
		boolean requested;

		Lane(long pid, long tid, String name) {
			this.pid = pid;
			this.tid = tid;
			this.name = name;
		}

	}

	/** A lock's holders and last release. */
	private static final class LockState {

		final Map<Integer, int[]> holds = new HashMap<>(); // lane -> {count}

		final Map<Integer, Long> holdIds = new HashMap<>();

		/**
		 * {time, lane, 0 release / 1 contended acquire}: paired in time order at the end,
		 * since the log is in seq order, which is time order per thread only.
		 */
		final List<long[]> handoffs = new ArrayList<>();

	}

	private ChromeTrace(Run run, JsonGenerator out) {
		this.run = run;
		this.out = out;
	}

	/**
	 * Writes {@code run} (finished or not: what it has recorded so far) to
	 * {@code stream}.
	 */
	public static void write(Run run, JsonMapper json, OutputStream stream) {
		try (JsonGenerator g = json.createGenerator(stream)) {
			new ChromeTrace(run, g).write();
		}
	}

	private void write() {
		RunView view = this.run.view();
		this.out.writeStartObject();
		this.out.writeStringProperty("displayTimeUnit", "ms");
		this.out.writeName("metadata");
		this.out.writeStartObject();
		this.out.writeStringProperty("source", "Threadline");
		this.out.writeStringProperty("run", view.id());
		this.out.writeStringProperty("scenario", view.scenario());
		this.out.writeStringProperty("status", view.status().name());
		this.out.writeEndObject();
		this.out.writeName("traceEvents");
		this.out.writeStartArray();
		processes(view);
		Map<Integer, Integer> processOf = new HashMap<>();
		view.threads().forEach(t -> processOf.put(t.id(), t.process()));
		this.states = new LaneStates(this::slice, processOf);
		long endNs = 0;
		long from = 0;
		for (EventBatch b; (b = this.run.log().read(from, 1 << 16)).count() > 0; from += b.count()) {
			for (int i = 0; i < b.count(); i++) {
				event(b, i);
				endNs = Math.max(endNs, b.tNs(i));
			}
		}
		this.states.finish(endNs);
		flows();
		for (Map.Entry<Integer, LockState> e : this.locks.entrySet()) {
			for (Map.Entry<Integer, Long> hold : e.getValue().holdIds.entrySet()) {
				asyncEnd(LOCKS_PID, "lock", lockName(e.getKey()), hold.getValue(), endNs);
			}
		}
		this.out.writeEndArray();
		this.out.writeEndObject();
	}

	/** Names the processes and threads, in Threadline's order. */
	private void processes(RunView view) {
		long runnerPid = (view.runnerPid() != null) ? view.runnerPid() : 1;
		this.processPids.put(0, new long[] { runnerPid });
		metadata("process_name", runnerPid, null, "name", view.scenario() + " · run " + view.id() + " (runner)");
		metadata("process_sort_index", runnerPid, null, "sort_index", 0);
		int order = 1;
		for (RunProcess p : view.processes()) {
			long pid = (p.pid() > 0) ? p.pid() : runnerPid + p.id();
			this.processPids.put(p.id(), new long[] { pid });
			metadata("process_name", pid, null, "name", p.name());
			metadata("process_sort_index", pid, null, "sort_index", order++);
		}
		metadata("process_name", LOCKS_PID, null, "name", "Locks");
		metadata("process_sort_index", LOCKS_PID, null, "sort_index", order);
		for (RunThread t : view.threads()) {
			long pid = this.processPids.getOrDefault(t.process(), new long[] { runnerPid })[0];
			long tid = (t.tid() > 0) ? t.tid() : 1_000_000L + t.id();
			this.lanes.put(t.id(), new Lane(pid, tid, t.name()));
			metadata("thread_name", pid, tid, "name", t.name());
			metadata("thread_sort_index", pid, tid, "sort_index", t.id());
		}
	}

	private void event(EventBatch b, int i) {
		this.states.accept(b, i);
		long t = b.tNs(i);
		int obj = b.obj(i);
		long arg = b.arg(i);
		Lane lane = this.lanes.get(b.thread(i));
		switch (b.kind(i)) {
			case TASK_START -> {
				if (lane != null) {
					asyncBegin(lane.pid, "task", name(obj, "task " + obj), obj, t);
				}
			}
			case TASK_END -> {
				if (lane != null) {
					asyncEnd(lane.pid, "task", name(obj, "task " + obj), obj, t);
				}
			}
			case LOCK_REQUEST -> {
				if (lane != null) {
					lane.requested = true;
				}
			}
			case LOCK_ACQUIRE -> acquire(b.thread(i), lane, obj, arg, t);
			case LOCK_RELEASE -> release(b.thread(i), lane, obj, arg, t);
			case SPAN_BEGIN -> {
				if (lane != null) {
					asyncBegin(lane.pid, "span", name(obj, "span"), arg, t);
				}
			}
			case SPAN_END -> {
				if (lane != null) {
					asyncEnd(lane.pid, "span", name(obj, "span"), arg, t);
				}
			}
			case MARK -> {
				if (lane != null) {
					this.out.writeStartObject();
					common("i", name(obj, "mark"), "mark", lane.pid, lane.tid, t);
					this.out.writeStringProperty("s", "t");
					this.out.writeEndObject();
				}
			}
			case COUNTER -> {
				this.out.writeStartObject();
				common("C", name(obj, "counter " + obj), "counter", this.processPids.get(0)[0], null, t);
				this.out.writeName("args");
				this.out.writeStartObject();
				this.out.writeNumberProperty("value", arg);
				this.out.writeEndObject();
				this.out.writeEndObject();
			}
			case DEADLOCK -> {
				this.out.writeStartObject();
				common("i", "Deadlock", "deadlock", this.processPids.get(0)[0], null, t);
				this.out.writeStringProperty("s", "g");
				this.out.writeName("args");
				this.out.writeStartObject();
				this.out.writeNumberProperty("threads", arg);
				this.out.writeStringProperty("cycle", cycle(b.text(i)));
				this.out.writeEndObject();
				this.out.writeEndObject();
			}
			default -> {
				// names, migrations, steals, rejections, signals, scheduler deltas: in
				// Threadline's own views, not in this format's
			}
		}
	}

	/** A finished stretch of one state: a complete slice on the thread's track. */
	private void slice(int laneId, int state, int obj, long fromNs, long toNs) {
		Lane lane = this.lanes.get(laneId);
		if (lane == null) {
			return;
		}
		this.out.writeStartObject();
		common("X", STATE_NAMES[state], "state", lane.pid, lane.tid, fromNs);
		this.out.writeNumberProperty("dur", (toNs - fromNs) / 1000.0);
		if (obj != 0) {
			this.out.writeName("args");
			this.out.writeStartObject();
			this.out.writeStringProperty("on", name(obj, "object " + obj));
			this.out.writeEndObject();
		}
		this.out.writeEndObject();
	}

	private void acquire(int laneId, Lane lane, int lock, long holdCount, long t) {
		LockState s = this.locks.computeIfAbsent(lock, k -> new LockState());
		int[] count = s.holds.computeIfAbsent(laneId, k -> new int[1]);
		count[0]++;
		if (count[0] == 1 && lane != null) {
			long id = ++this.holdIds;
			s.holdIds.put(laneId, id);
			this.out.writeStartObject();
			common("b", lockName(lock), "lock", LOCKS_PID, null, t);
			this.out.writeStringProperty("id", "hold-" + id);
			this.out.writeName("args");
			this.out.writeStartObject();
			this.out.writeStringProperty("holder", lane.name);
			this.out.writeEndObject();
			this.out.writeEndObject();
			if (lane.requested) { // contended: a hand-off, paired at the end
				s.handoffs.add(new long[] { t, laneId, 1 });
			}
		}
		if (lane != null) {
			lane.requested = false;
		}
	}

	private void release(int laneId, Lane lane, int lock, long holdCount, long t) {
		LockState s = this.locks.computeIfAbsent(lock, k -> new LockState());
		int[] count = s.holds.get(laneId);
		if (count == null) {
			return;
		}
		count[0]--;
		if (count[0] <= 0) {
			s.holds.remove(laneId);
			Long id = s.holdIds.remove(laneId);
			if (id != null) {
				asyncEnd(LOCKS_PID, "lock", lockName(lock), "hold-" + id, t);
			}
			s.handoffs.add(new long[] { t, laneId, 0 });
		}
	}

	/**
	 * A flow arrow to each contended acquire from the latest earlier release of the lock
	 * by another thread: the release that let it through.
	 */
	private void flows() {
		for (LockState s : this.locks.values()) {
			s.handoffs.sort(Comparator.<long[]>comparingLong(h -> h[0]).thenComparingLong(h -> h[2]));
			long[] lastRelease = null;
			for (long[] h : s.handoffs) {
				if (h[2] == 0) {
					lastRelease = h;
					continue;
				}
				if (lastRelease == null || lastRelease[1] == h[1]) {
					continue;
				}
				Lane from = this.lanes.get((int) lastRelease[1]);
				Lane to = this.lanes.get((int) h[1]);
				if (from != null && to != null) {
					long flow = ++this.flowIds;
					flow("s", flow, from, lastRelease[0]);
					flow("f", flow, to, h[0]);
				}
			}
		}
	}

	private void flow(String phase, long id, Lane lane, long t) {
		this.out.writeStartObject();
		common(phase, "hand-off", "lock", lane.pid, lane.tid, t);
		this.out.writeNumberProperty("id", id);
		if (phase.equals("f")) {
			this.out.writeStringProperty("bp", "e");
		}
		this.out.writeEndObject();
	}

	private void asyncBegin(long pid, String cat, String name, Object id, long t) {
		this.out.writeStartObject();
		common("b", name, cat, pid, null, t);
		this.out.writeStringProperty("id", cat + "-" + id);
		this.out.writeEndObject();
	}

	private void asyncEnd(long pid, String cat, String name, Object id, long t) {
		this.out.writeStartObject();
		common("e", name, cat, pid, null, t);
		this.out.writeStringProperty("id", (id instanceof String s) ? s : cat + "-" + id);
		this.out.writeEndObject();
	}

	private void common(String phase, String name, String cat, long pid, Long tid, long tNs) {
		this.out.writeStringProperty("ph", phase);
		this.out.writeStringProperty("name", name);
		this.out.writeStringProperty("cat", cat);
		this.out.writeNumberProperty("pid", pid);
		if (tid != null) {
			this.out.writeNumberProperty("tid", tid);
		}
		this.out.writeNumberProperty("ts", tNs / 1000.0);
	}

	private void metadata(String kind, long pid, Long tid, String argName, Object value) {
		this.out.writeStartObject();
		this.out.writeStringProperty("ph", "M");
		this.out.writeStringProperty("name", kind);
		this.out.writeNumberProperty("pid", pid);
		if (tid != null) {
			this.out.writeNumberProperty("tid", tid);
		}
		this.out.writeName("args");
		this.out.writeStartObject();
		if (value instanceof Integer n) {
			this.out.writeNumberProperty(argName, n);
		}
		else {
			this.out.writeStringProperty(argName, String.valueOf(value));
		}
		this.out.writeEndObject();
		this.out.writeEndObject();
	}

	private String name(int id, String fallback) {
		String n = this.run.log().name(id);
		return (n != null) ? n : fallback;
	}

	private String lockName(int id) {
		return name(id, "lock " + id);
	}

	/** "a waits for L held by b, ..." from the wire's {@code lane:object} pairs. */
	private String cycle(String text) {
		if (text == null || text.isBlank()) {
			return "";
		}
		String[] pairs = text.split(",");
		StringBuilder sb = new StringBuilder();
		for (int k = 0; k < pairs.length; k++) {
			String[] p = pairs[k].split(":");
			String[] next = pairs[(k + 1) % pairs.length].split(":");
			if (p.length != 2 || next.length != 2) {
				return text;
			}
			Lane who = this.lanes.get(Integer.parseInt(p[0].strip()));
			Lane holder = this.lanes.get(Integer.parseInt(next[0].strip()));
			sb.append((k > 0) ? "; " : "")
				.append((who != null) ? who.name : "thread " + p[0])
				.append(" waits for ")
				.append(name(Integer.parseInt(p[1].strip()), "object " + p[1]))
				.append(" held by ")
				.append((holder != null) ? holder.name : "thread " + next[0]);
		}
		return sb.toString();
	}

}
