package io.threadline.run;

import java.util.List;

import io.threadline.recording.RecordingProperties;
import io.threadline.sampler.SchedSampler;
import io.threadline.stream.StreamProperties;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/limits}: every limit this server holds runs, recordings and viewers to,
 * with its value as configured, the property that sets it and what happens when it is
 * reached; a lecturer planning a demo, or a script, reads them here rather than from a
 * refusal.
 */
@RestController
class LimitsController {

	/**
	 * One limit: its value and unit, the property that sets it, what breaking it does.
	 */
	record Limit(String name, Object value, String unit, String property, String whenReached) {
	}

	private final RunProperties runs;

	private final RecordingProperties recordings;

	private final RunService service;

	private final StreamProperties stream;

	LimitsController(RunProperties runs, RecordingProperties recordings, RunService service, StreamProperties stream) {
		this.runs = runs;
		this.service = service;
		this.recordings = recordings;
		this.stream = stream;
	}

	@GetMapping("/api/limits")
	List<Limit> limits() {
		RunProperties r = this.runs;
		RecordingProperties rec = this.recordings;
		return List.of(
				new Limit("threads per run", r.maxThreads(), "threads", "threadline.runs.max-threads",
						"the run ends FAILED, naming the limit"),
				new Limit("child processes per run", r.maxProcesses(), "processes", "threadline.runs.max-processes",
						"the run ends FAILED, naming the limit"),
				new Limit("wall time per run", r.maxDuration().toMillis(), "ms", "threadline.runs.max-duration",
						"the runner and its processes are killed; the run ends TIMED_OUT"),
				new Limit("events per run", r.maxEvents(), "events", "threadline.runs.max-events",
						"the run ends FAILED, naming the limit"),
				new Limit("runner heap", r.runnerHeap(), "bytes (JVM -Xmx)", "threadline.runs.runner-heap",
						"the runner exits on OutOfMemoryError; the run ends FAILED"),
				new Limit("runner stack", r.runnerStack(), "bytes per thread (JVM -Xss)",
						"threadline.runs.runner-stack",
						"a thread recursing deeper fails with StackOverflowError; the run ends FAILED"),
				new Limit("threads and processes per run", r.maxTasks(), "tasks", "threadline.runs.max-tasks",
						"the kernel refuses more; the run ends FAILED, naming the limit ("
								+ this.service.cgroupEnforcement("pids") + ")"),
				new Limit("memory per run", r.maxMemory().toBytes(), "bytes", "threadline.runs.max-memory",
						"the kernel ends the run's processes; the run ends FAILED, naming the limit ("
								+ this.service.cgroupEnforcement("memory") + ")"),
				new Limit("runs waiting", r.queueCapacity(), "runs", "threadline.runs.queue-capacity",
						"POST /api/runs answers 429 with Retry-After"),
				new Limit("scheduler samples", r.samplerHz(), "per second", "threadline.runs.sampler-hz",
						"a rate outside " + SchedSampler.MIN_HZ + "-" + SchedSampler.MAX_HZ + " is held to that range"),
				new Limit("finished runs in memory", r.history(), "runs", "threadline.runs.history",
						"the oldest leave memory; their recordings answer for them"),
				new Limit("events of finished runs in memory", r.historyEvents(), "events",
						"threadline.runs.history-events",
						"the oldest runs leave memory; their recordings answer for them"),
				new Limit("recordings kept", rec.maxCount(), "recordings", "threadline.recordings.max-count",
						"the oldest unpinned recordings are deleted"),
				new Limit("recordings' size", rec.maxBytes().toBytes(), "bytes", "threadline.recordings.max-bytes",
						"the oldest unpinned recordings are deleted"),
				new Limit("imported file", rec.maxImport().toBytes(), "bytes", "threadline.recordings.max-import",
						"POST /api/recordings answers 413"),
				new Limit("viewer's send time", this.stream.sendTimeLimit().toMillis(), "ms",
						"threadline.stream.send-time-limit",
						"a viewer whose socket takes longer to accept one frame is disconnected; it resumes over REST"
								+ " when it reconnects"),
				new Limit("viewer's send buffer", this.stream.sendBufferSize().toBytes(), "bytes",
						"threadline.stream.send-buffer-size",
						"a viewer with more frames waiting is disconnected; it resumes over REST when it reconnects"),
				new Limit("STOMP heart-beat", this.stream.heartbeat().toMillis(), "ms", "threadline.stream.heartbeat",
						"a client that negotiated heart-beats and is silent for three intervals is disconnected"),
				new Limit("subscriptions per connection", this.stream.maxSubscriptions(), "subscriptions",
						"threadline.stream.max-subscriptions",
						"a SUBSCRIBE beyond it is answered with an ERROR frame (and the connection closed)"));
	}

}
