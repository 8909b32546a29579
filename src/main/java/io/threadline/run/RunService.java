package io.threadline.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;

import io.threadline.recorder.BatchCodec;
import io.threadline.recorder.EventBatch;
import io.threadline.recorder.EventKind;
import io.threadline.runner.FrameIO;
import io.threadline.runner.Job;
import io.threadline.scenario.Figure;
import io.threadline.scenario.InvalidParamException;
import io.threadline.scenario.Params;
import io.threadline.scenario.Scenario;
import io.threadline.scenario.ScenarioCatalogue;

/**
 * Runs scenarios, one measuring run at a time (concurrent runs would distort each other's
 * timings), each in a runner JVM of its own. A bounded queue holds the runs waiting; the
 * one run thread takes a warm runner, hands it the job, reads its frames into the run's
 * event log until it exits, and is the only thread that ends a run. Cancel, the deadline
 * and the event limit kill the runner; the run thread then sees the end of its stream and
 * records why.
 */
@Service
public class RunService implements DisposableBean {

	private static final Log logger = LogFactory.getLog(RunService.class);

	private static final SecureRandom ids = new SecureRandom();

	private final RunProperties properties;

	private final RunnerPool runners;

	private final Cgroups cgroups;

	private final ThreadPoolExecutor runThread;

	private final ScheduledExecutorService timer;

	private final Map<String, Run> runs = new LinkedHashMap<>();

	private final List<RunListener> listeners = new CopyOnWriteArrayList<>();

	/** Runs read back from their recordings, the last few asked for. */
	private final Map<String, Run> restored = new LinkedHashMap<>(8, 0.75f, true) {
		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Run> eldest) {
			return size() > RESTORED_KEPT;
		}
	};

	private static final int RESTORED_KEPT = 4;

	/** Recordings being read back now, by id: a second ask waits for the first. */
	private final Map<String, CompletableFuture<Run>> restoring = new ConcurrentHashMap<>();

	private volatile Function<String, Run> archive = id -> null;

	private final MeterRegistry meters;

	private final Counter started;

	private final Counter eventsRecorded;

	private final Timer duration;

	private final LockMeters lockMeters;

	public RunService(RunProperties properties, MeterRegistry meters) {
		this.properties = properties;
		this.meters = meters;
		this.cgroups = Cgroups.detect(properties.maxTasks(), properties.maxMemory().toBytes());
		this.runners = new RunnerPool(new RunnerLauncher(properties, this.cgroups), properties.warmRunner());
		this.runThread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
				new ArrayBlockingQueue<>(Math.max(1, properties.queueCapacity())),
				Thread.ofPlatform().name("threadline-run").factory());
		ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
				Thread.ofPlatform().name("threadline-run-timer").daemon().factory());
		// Started now, not with the first run: the server's threads are the same before
		// and after every run, which the leak checks rely on.
		timer.prestartCoreThread();
		this.timer = timer;
		this.started = Counter.builder("threadline.runs.started").description("Runs started").register(meters);
		this.eventsRecorded = Counter.builder("threadline.events.recorded")
			.description("Events recorded by all runs")
			.baseUnit("events")
			.register(meters);
		this.duration = Timer.builder("threadline.runs.duration").description("Wall time of runs").register(meters);
		this.lockMeters = new LockMeters(meters);
		Gauge.builder("threadline.runs.queued", this.runThread, e -> e.getQueue().size())
			.description("Runs waiting for the run thread")
			.register(meters);
		Gauge.builder("threadline.runs.active", this.runThread, ThreadPoolExecutor::getActiveCount)
			.description("Runs running now")
			.register(meters);
		this.runThread.execute(this.runners::replenish);
	}

	public void addListener(RunListener listener) {
		this.listeners.add(listener);
	}

	/**
	 * Validates and queues a run.
	 * @throws UnknownScenarioException for an unknown scenario id
	 * @throws io.threadline.scenario.InvalidParamException for a bad parameter
	 * @throws RunQueueFullException when the queue is full
	 */
	public Run submit(String scenarioId, Map<String, ?> rawParams) {
		Scenario scenario = ScenarioCatalogue.find(scenarioId)
			.orElseThrow(() -> new UnknownScenarioException(scenarioId,
					ScenarioCatalogue.all().stream().map(Scenario::id).collect(Collectors.joining(", "))));
		Params params = Params.validate(scenario, rawParams);
		Run run = new Run(newId(), scenario.id(), params.asMap(), this.lockMeters.forScenario(scenario.id()));
		synchronized (this.runs) {
			this.runs.put(run.id(), run);
			trimHistory();
		}
		try {
			this.runThread.execute(() -> execute(run));
		}
		catch (RejectedExecutionException ex) {
			synchronized (this.runs) {
				this.runs.remove(run.id());
			}
			throw new RunQueueFullException(this.properties.queueCapacity());
		}
		return run;
	}

	public Run get(String id) {
		synchronized (this.runs) {
			Run run = this.runs.get(id);
			if (run == null) {
				run = this.restored.get(id);
			}
			if (run != null) {
				return run;
			}
		}
		// Not in memory: a recording, read outside the lock (it may take a while), once
		// however many ask at the same time (a page opening a run asks for it, its
		// events,
		// its locks and its notes at once; each reading the file was that many times the
		// work, on as few cores).
		CompletableFuture<Run> mine = new CompletableFuture<>();
		CompletableFuture<Run> reading = this.restoring.putIfAbsent(id, mine);
		if (reading != null) {
			Run run = reading.join();
			if (run == null) {
				throw new RunNotFoundException(id);
			}
			return run;
		}
		Run run = null;
		try {
			run = this.archive.apply(id);
			if (run != null) {
				synchronized (this.runs) {
					this.restored.put(id, run);
				}
			}
		}
		finally {
			this.restoring.remove(id);
			mine.complete(run);
		}
		if (run == null) {
			throw new RunNotFoundException(id);
		}
		return run;
	}

	/**
	 * Where runs no longer (or not yet, after a restart) in memory are found: the
	 * recordings. Returns null for an unknown id.
	 */
	public void setArchive(Function<String, Run> archive) {
		this.archive = archive;
	}

	/** Forgets a run restored from its recording (the recording was deleted). */
	public void forgetRestored(String id) {
		synchronized (this.runs) {
			this.restored.remove(id);
		}
	}

	/** Recent runs, newest first. */
	public List<Run> recent() {
		synchronized (this.runs) {
			List<Run> all = new ArrayList<>(this.runs.values());
			java.util.Collections.reverse(all);
			return all;
		}
	}

	/**
	 * Cancels a queued or running run: a queued one never starts, a running one has its
	 * runner killed. The run ends CANCELLED shortly after (on the run thread).
	 * @throws RunConflictException if the run has already ended
	 */
	public Run cancel(String id) {
		Run run = get(id);
		if (run.cancelIfQueued()) {
			end(run, RunStatus.CANCELLED, List.of(), "cancelled before it started", 0);
			return run;
		}
		if (!run.requestStop(RunStatus.CANCELLED, "cancelled on request")) {
			throw new RunConflictException("run " + id + " has already ended (" + run.status()
					+ "); only queued or running runs can be cancelled");
		}
		synchronized (this) {
			if (run == this.current && this.currentRunner != null) {
				this.currentRunner.kill();
			}
		}
		return run;
	}

	/** How long "break the deadlock" waits for the runner's answer. */
	private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(5);

	/**
	 * Interrupts a thread of the running run out of its wait, as a way out of a deadlock;
	 * when its wait cannot be interrupted (a monitor, a plain {@code lock()}) the run is
	 * ended instead, as a cancel does.
	 * @throws RunNotFoundException if there is no such run
	 * @throws RunConflictException if the run is not running
	 * @throws ThreadNotWaitingException if the thread waits for no lock
	 * @throws InvalidParamException (field {@code thread}) if the run has no such thread
	 */
	public InterruptView interrupt(String id, int lane) {
		Run run = get(id);
		RunnerProcess runner;
		CompletableFuture<String> reply = new CompletableFuture<>();
		synchronized (this) {
			if (run != this.current || this.currentRunner == null || run.status() != RunStatus.RUNNING) {
				throw new RunConflictException("run " + id + " is " + run.status().name().toLowerCase(Locale.ROOT)
						+ "; only a running run's threads can be interrupted");
			}
			if (this.pendingReply != null && !this.pendingReply.isDone()) {
				throw new RunConflictException("run " + id + " is already answering an interrupt; try again");
			}
			runner = this.currentRunner;
			this.pendingReply = reply;
		}
		String answer;
		try {
			runner.command("interrupt=" + lane);
			answer = reply.get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (IOException | ExecutionException | TimeoutException ex) {
			throw new RunConflictException("run " + id + " did not answer the interrupt (it may have just ended)");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RunConflictException("interrupted while waiting for run " + id);
		}
		String outcome = answer.split(" ", 2)[0];
		return switch (outcome) {
			case "interrupted" -> new InterruptView(InterruptView.INTERRUPTED, lane,
					"interrupted the thread: its wait ended with an InterruptedException, and it backs off");
			case "monitor", "uninterruptible" -> {
				String why = outcome.equals("monitor")
						? "waits to enter a monitor (synchronized), and monitors cannot be interrupted"
						: "waits in lock(), which ignores interrupts";
				stop(run, runner, RunStatus.CANCELLED,
						"ended from the dashboard to break a deadlock: " + run.log().threadName(lane) + " " + why);
				yield new InterruptView(InterruptView.ENDED, lane, why + ": the run was ended");
			}
			case "not-waiting" -> throw new ThreadNotWaitingException(
					"thread " + lane + " of run " + id + " waits for no lock; choose a thread of the deadlock");
			default -> throw new InvalidParamException("thread", "run " + id + " has no thread with lane id " + lane);
		};
	}

	private Run current;

	private RunnerProcess currentRunner;

	/** The runner's answer to the one command in flight, if any. */
	private CompletableFuture<String> pendingReply;

	private synchronized void replied(String line) {
		if (this.pendingReply != null) {
			this.pendingReply.complete(line);
		}
	}

	private void execute(Run run) {
		if (!run.start()) {
			return; // cancelled while it waited: already ended
		}
		RunnerProcess runner;
		try {
			runner = this.runners.take();
		}
		catch (IOException ex) {
			end(run, RunStatus.FAILED, List.of(), "could not start a runner JVM: " + ex.getMessage(), 0);
			return;
		}
		synchronized (this) {
			this.current = run;
			this.currentRunner = runner;
		}
		run.attachRunner(runner.pid());
		this.started.increment();
		long startNanos = System.nanoTime();
		ScheduledFuture<?> deadline = this.timer.schedule(
				() -> stop(run, runner, RunStatus.TIMED_OUT,
						"the run exceeded its time limit of " + this.properties.maxDuration().toSeconds()
								+ " s (threadline.runs.max-duration)"),
				this.properties.maxDuration().toNanos(), TimeUnit.NANOSECONDS);
		List<Figure> figures = List.of();
		String error = null;
		boolean succeeded = false;
		try {
			if (run.stopAs() != null) {
				runner.kill(); // cancelled between dequeue and start
			}
			else {
				runner.send(new Job(run.id(), run.scenario(), textParams(run), this.properties.maxThreads(),
						this.properties.maxProcesses(), this.properties.samplerHz()));
			}
			for (FrameIO.Received frame; (frame = runner.read()) != null;) {
				switch (frame.type()) {
					case READY -> {
					}
					case EVENTS -> {
						EventBatch batch = BatchCodec.decode(frame.payload());
						run.log().append(batch);
						this.eventsRecorded.increment(batch.count());
						if (run.log().size() > this.properties.maxEvents()) {
							stop(run, runner, RunStatus.FAILED, "the run recorded more than "
									+ this.properties.maxEvents() + " events (threadline.runs.max-events)");
						}
						byte[] encoded = frame.payload();
						this.listeners.forEach(l -> l.eventsAppended(run, batch, encoded));
					}
					case RESULT -> {
						figures = parseFigures(frame.payload());
						succeeded = true;
					}
					case ERROR ->
						error = new String(frame.payload(), StandardCharsets.UTF_8).lines().findFirst().orElse("");
					case REPLY -> replied(new String(frame.payload(), StandardCharsets.UTF_8));
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			error = "lost the runner's stream: " + ex.getMessage();
			runner.kill();
		}
		finally {
			deadline.cancel(false);
		}
		int exit = runner.awaitExit(10, TimeUnit.SECONDS);
		RunStatus status;
		if (run.stopAs() != null) {
			status = run.stopAs();
			error = run.stopReason();
		}
		else if (succeeded && exit == 0) {
			status = RunStatus.SUCCEEDED;
		}
		else {
			status = RunStatus.FAILED;
			String limit = runner.limitReached();
			if (limit != null) {
				error = limit + ((error != null) ? ": " + error : "");
			}
			else if (error == null) {
				String tail = runner.stderrTail();
				error = runnerDied(exit) + (tail.isBlank() ? "" : ": " + tail.lines().reduce((a, b) -> b).orElse(""));
			}
		}
		synchronized (this) {
			this.current = null;
			this.currentRunner = null;
			if (this.pendingReply != null) {
				this.pendingReply.completeExceptionally(new IllegalStateException("the run ended"));
				this.pendingReply = null;
			}
		}
		end(run, status, figures, error, System.nanoTime() - startNanos);
		synchronized (this.runs) {
			trimHistory();
		}
		this.runners.replenish();
	}

	private void stop(Run run, RunnerProcess runner, RunStatus as, String reason) {
		if (run.requestStop(as, reason)) {
			runner.kill();
		}
	}

	private void end(Run run, RunStatus status, List<Figure> figures, String error, long wallNanos) {
		run.finish(status, figures, error);
		// RUN_END last, after the status and figures are set: a viewer that sees it can
		// fetch them.
		run.log().appendRunEvent(EventKind.RUN_END, 0, status.endCode());
		Counter.builder("threadline.runs.ended").tag("status", status.name()).register(this.meters).increment();
		if (wallNanos > 0) {
			this.duration.record(wallNanos, TimeUnit.NANOSECONDS);
		}
		this.listeners.forEach(l -> l.runEnded(run));
		// After the listeners: whoever waits for the end (GET ?wait=) finds the run's
		// recording stored.
		run.markEnded();
		if (status != RunStatus.SUCCEEDED) {
			logger.info("Run " + run.id() + " (" + run.scenario() + ") ended " + status + ": " + error);
		}
	}

	private static Map<String, String> textParams(Run run) {
		Map<String, String> text = new LinkedHashMap<>();
		run.view().params().forEach((k, v) -> text.put(k, String.valueOf(v)));
		return text;
	}

	private static List<Figure> parseFigures(byte[] payload) {
		List<Figure> out = new ArrayList<>();
		for (String line : new String(payload, StandardCharsets.UTF_8).split("\n")) {
			String[] parts = line.split("\t", -1);
			if (parts.length == 3) {
				out.add(new Figure(parts[0], Double.parseDouble(parts[1]), parts[2]));
			}
		}
		return out;
	}

	/**
	 * Lets go of the oldest finished runs beyond the history's count or its total of
	 * events; the newest finished run is always kept. Called with the runs' monitor held.
	 */
	private void trimHistory() {
		List<Run> finished = this.runs.values().stream().filter(r -> r.status().isTerminal()).toList();
		int excess = this.runs.size() - Math.max(1, this.properties.history());
		long events = finished.stream().mapToLong(r -> r.log().size()).sum();
		for (int i = 0; i < finished.size() - 1 && (excess > 0 || events > this.properties.historyEvents()); i++) {
			Run oldest = finished.get(i);
			this.runs.remove(oldest.id());
			excess--;
			events -= oldest.log().size();
		}
	}

	private static String newId() {
		byte[] b = new byte[6];
		ids.nextBytes(b);
		return HexFormat.of().formatHex(b);
	}

	/** The warm runner's pid, if one is waiting (for tests and diagnostics). */
	/**
	 * Why a runner ended early, in words: an exit status above 128 is a signal (137 is
	 * kill -9, 143 a plain kill), which says more than the number.
	 */
	static String runnerDied(int exit) {
		if (exit > 128 && exit < 160) {
			int signal = exit - 128;
			String name = switch (signal) {
				case 9 -> " (SIGKILL: kill -9, or the kernel's out-of-memory killer)";
				case 15 -> " (SIGTERM)";
				case 6 -> " (SIGABRT: the JVM aborted)";
				case 11 -> " (SIGSEGV: a native crash)";
				default -> "";
			};
			return "the runner was killed by signal " + signal + name + " before finishing (exit code " + exit + ")";
		}
		return "the runner exited with code " + exit + " before finishing";
	}

	public Long warmRunnerPid() {
		return this.runners.warmPid();
	}

	/**
	 * The warm runner's pid once the pool has started one, waiting up to {@code timeout};
	 * null if it has not by then (or keeps none).
	 */
	public Long awaitWarmRunnerPid(Duration timeout) throws InterruptedException {
		return this.runners.awaitWarmPid(timeout);
	}

	/**
	 * The server is shutting down: the run under way ends INTERRUPTED (its recording
	 * keeps what it recorded, with that status), its runner and their processes are
	 * killed.
	 */
	@Override
	public void destroy() {
		synchronized (this) {
			if (this.currentRunner != null) {
				stop(this.current, this.currentRunner, RunStatus.INTERRUPTED,
						"the server shut down during the run; what it recorded until then is kept");
			}
		}
		this.runThread.shutdownNow();
		this.timer.shutdownNow();
		try {
			this.runThread.awaitTermination(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.runners.close();
		this.cgroups.close();
	}

	/**
	 * How the cgroup limit of a controller ({@code pids}, {@code memory}) is enforced
	 * here, for {@code GET /api/limits}.
	 */
	public String cgroupEnforcement(String controller) {
		return this.cgroups.enforcement(controller);
	}

}
