package io.threadline.run;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

import io.threadline.recorder.BatchCodec;
import io.threadline.recorder.EventBatch;
import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.recorder.ThreadState;
import io.threadline.scenario.InvalidParamException;

/** Runs over REST: start, inspect, cancel, and read a run's events from any seq. */
@RestController
@RequestMapping("/api/runs")
class RunController {

	static final String HEADER_SEQ_FROM = "Seq-From";

	static final String HEADER_SEQ_TO = "Seq-To";

	/**
	 * Default page size of the JSON event format (binary reads return everything by
	 * default).
	 */
	static final int JSON_DEFAULT_LIMIT = 100_000;

	/** The longest {@code wait} of {@code GET /api/runs/{id}?wait=}, in seconds. */
	static final int MAX_WAIT_SECONDS = 60;

	record RunRequest(String scenario, Map<String, Object> params) {
	}

	private final RunService runs;

	private final RunProperties properties;

	RunController(RunService runs, RunProperties properties) {
		this.runs = runs;
		this.properties = properties;
	}

	@PostMapping
	ResponseEntity<RunView> start(@RequestBody RunRequest request) {
		if (request == null || request.scenario() == null || request.scenario().isBlank()) {
			throw new InvalidParamException("scenario", "the request body must name a scenario, e.g. "
					+ "{\"scenario\": \"cpu-vs-io\", \"params\": {}}; GET /api/scenarios lists them");
		}
		Run run = this.runs.submit(request.scenario(), request.params());
		return ResponseEntity.created(URI.create("/api/runs/" + run.id())).body(run.view());
	}

	@GetMapping
	List<RunView> recent() {
		return this.runs.recent().stream().map(Run::view).toList();
	}

	@GetMapping("/{id}")
	RunView get(@PathVariable String id) {
		return this.runs.get(id).view();
	}

	/**
	 * The run once it has ended, or as it is after {@code wait} seconds, whichever comes
	 * first: a script waits for a run without polling. No request thread is held while it
	 * waits.
	 */
	@GetMapping(path = "/{id}", params = "wait")
	DeferredResult<RunView> getWhenEnded(@PathVariable String id, @RequestParam(required = false) Integer wait) {
		Run run = this.runs.get(id);
		if (wait == null || wait < 0 || wait > MAX_WAIT_SECONDS) {
			throw new InvalidParamException("wait", "wait is how many seconds to wait for the run to end, from 0 to "
					+ MAX_WAIT_SECONDS + "; got " + ((wait != null) ? wait : "nothing"));
		}
		DeferredResult<RunView> result = new DeferredResult<>(TimeUnit.SECONDS.toMillis(wait), run::view);
		if (wait == 0) {
			result.setResult(run.view());
		}
		else {
			run.onEnd(() -> result.setResult(run.view())); // at once if it has ended
		}
		return result;
	}

	@PostMapping("/{id}/cancel")
	ResponseEntity<RunView> cancel(@PathVariable String id) {
		return ResponseEntity.status(HttpStatus.ACCEPTED).body(this.runs.cancel(id).view());
	}

	/**
	 * Body of {@code POST /api/runs/{id}/interrupt}: the lane id of the thread to
	 * interrupt.
	 */
	record InterruptRequest(Integer thread) {
	}

	/**
	 * "Break the deadlock": interrupts the thread if its wait allows it, else ends the
	 * run; the answer says which was done.
	 */
	@PostMapping("/{id}/interrupt")
	InterruptView interrupt(@PathVariable String id, @RequestBody(required = false) InterruptRequest request) {
		if (request == null || request.thread() == null || request.thread() < 1) {
			throw new InvalidParamException("thread",
					"the request body must name the thread's lane id (1, 2, ...), e.g. {\"thread\": 3}");
		}
		return this.runs.interrupt(id, request.thread());
	}

	@GetMapping("/{id}/events")
	ResponseEntity<?> events(@PathVariable String id, @RequestParam(defaultValue = "0") long from,
			@RequestParam(defaultValue = "binary") String format, @RequestParam(required = false) Integer limit) {
		Run run = this.runs.get(id);
		if (from < 0) {
			throw new InvalidParamException("from", "from must be a sequence number of 0 or more; got " + from);
		}
		boolean json = switch (format) {
			case "json" -> true;
			case "binary" -> false;
			default ->
				throw new InvalidParamException("format", "format must be binary or json; got \"" + format + "\"");
		};
		int max = (int) Math.min(Integer.MAX_VALUE, Math.max(this.properties.maxEvents() + 1, 1));
		if (limit != null && (limit < 1 || limit > max)) {
			throw new InvalidParamException("limit", "limit must be from 1 to " + max + "; got " + limit);
		}
		int n = (limit != null) ? limit : (json ? JSON_DEFAULT_LIMIT : max);
		EventBatch batch = run.log().read(from, n);
		HttpHeaders headers = new HttpHeaders();
		headers.set(HEADER_SEQ_FROM, Long.toString(batch.firstSeq()));
		if (batch.count() > 0) {
			headers.set(HEADER_SEQ_TO, Long.toString(batch.endSeq() - 1));
		}
		headers.setAccessControlExposeHeaders(List.of(HEADER_SEQ_FROM, HEADER_SEQ_TO));
		if (json) {
			return ResponseEntity.ok().headers(headers).contentType(MediaType.APPLICATION_JSON).body(toJson(batch));
		}
		return ResponseEntity.ok()
			.headers(headers)
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.body(BatchCodec.encode(batch));
	}

	/**
	 * Per-lock statistics, the lock with the most wait first, over the whole run or the
	 * range {@code [from, to]} (ns since the run started, inclusive): a wait or hold
	 * counts in the range where it ended ({@link LockStats} has the definitions). A live
	 * run's figures are as of its latest batch.
	 */
	@GetMapping("/{id}/locks")
	List<LockStats.Summary> locks(@PathVariable String id, @RequestParam(required = false) Long from,
			@RequestParam(required = false) Long to) {
		Run run = this.runs.get(id);
		if (from != null && from < 0) {
			throw new InvalidParamException("from",
					"from must be a time in ns since the run started, 0 or more; got " + from);
		}
		if (to != null && to < 0) {
			throw new InvalidParamException("to",
					"to must be a time in ns since the run started, 0 or more; got " + to);
		}
		if (from != null && to != null && from > to) {
			throw new InvalidParamException("from",
					"from must be at most to (from 0 to " + to + " ns here); got from=" + from + ", to=" + to);
		}
		return run.log().lockStats((from != null) ? from : 0, (to != null) ? to : Long.MAX_VALUE);
	}

	/**
	 * Each event with the common fields and its kind's own fields by name
	 * (docs/events.md).
	 */
	static List<Map<String, Object>> toJson(EventBatch batch) {
		List<Map<String, Object>> out = new ArrayList<>(batch.count());
		for (int i = 0; i < batch.count(); i++) {
			Map<String, Object> e = new LinkedHashMap<>();
			EventKind kind = batch.kind(i);
			e.put("seq", batch.firstSeq() + i);
			e.put("tNs", batch.tNs(i));
			e.put("thread", batch.thread(i));
			e.put("cpu", batch.cpu(i));
			e.put("kind", kind.name());
			long arg = batch.arg(i);
			int obj = batch.obj(i);
			switch (kind) {
				case RUN_START -> e.put("epochMs", arg);
				case RUN_END -> e.put("status", endStatus(arg));
				case NAME -> {
					e.put("id", obj);
					e.put("category", NameCategory.ofCode(arg).name());
					e.put("name", batch.text(i));
				}
				case THREAD_START -> {
					e.put("nameId", obj);
					e.put("tid", arg & 0xFFFF_FFFFL);
					e.put("process", arg >>> 32);
				}
				case THREAD_END -> {
				}
				case STATE -> {
					e.put("state", ThreadState.ofCode(arg).name());
					e.put("object", obj);
				}
				case MIGRATE -> e.put("fromCpu", obj - 1);
				case TASK_SUBMIT, TASK_START, TASK_END -> {
					e.put("task", obj);
					e.put("executor", arg);
				}
				case LOCK_REQUEST -> e.put("lock", obj);
				case LOCK_ACQUIRE, LOCK_RELEASE -> {
					e.put("lock", obj);
					e.put("holdCount", arg);
				}
				case SPAN_BEGIN, SPAN_END -> {
					e.put("span", obj);
					e.put("instance", arg);
				}
				case MARK -> e.put("mark", obj);
				case COUNTER -> {
					e.put("counter", obj);
					e.put("value", arg);
				}
				case DEADLOCK -> {
					e.put("threads", arg);
					e.put("cycle", batch.text(i));
				}
				case STEAL -> {
					e.put("task", obj);
					e.put("victim", arg);
				}
				case REJECT -> {
					e.put("task", obj);
					e.put("executor", arg);
				}
				case SIGNAL -> {
					e.put("object", obj);
					e.put("woken", arg);
				}
				case PROCESS_START -> {
					e.put("process", obj);
					e.put("pid", arg);
				}
				case PROCESS_END -> {
					e.put("process", obj);
					e.put("exitStatus", arg);
				}
				case VTHREAD_MOUNT, VTHREAD_UNMOUNT -> {
					e.put("family", obj);
					e.put("virtualThread", arg);
				}
				case SCHED -> {
					e.put("ofThread", obj);
					e.put("onCpuMicros", arg & EventKind.FIELD_26);
					e.put("waitingMicros", arg >>> 26);
				}
				case SWITCHES -> {
					e.put("ofThread", obj);
					e.put("voluntary", arg & EventKind.FIELD_26);
					e.put("involuntary", arg >>> 26);
				}
				case JFR_WAIT -> {
					e.put("waitedOn", obj);
					e.put("durationNs", arg & EventKind.JFR_DURATION_MASK);
					e.put("waitKind", JFR_WAIT_KINDS[(int) Math.min(arg >>> EventKind.JFR_KIND_SHIFT, 3)]);
				}
			}
			out.add(e);
		}
		return out;
	}

	/** A {@code JFR_WAIT}'s kinds of wait by code (docs/events.md), unknown last. */
	private static final String[] JFR_WAIT_KINDS = { "MONITOR_ENTER", "OBJECT_WAIT", "PARK", "UNKNOWN" };

	private static String endStatus(long code) {
		for (RunStatus s : RunStatus.values()) {
			if (s.isTerminal() && s.endCode() == code) {
				return s.name();
			}
		}
		return "UNKNOWN";
	}

}
