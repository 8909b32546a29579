package io.threadline.recording;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import io.threadline.recorder.BatchCodec;
import io.threadline.recorder.EventBatch;
import io.threadline.run.EventLog;
import io.threadline.run.Run;
import io.threadline.run.RunListener;
import io.threadline.run.RunService;
import io.threadline.run.RunStatus;
import io.threadline.run.RunView;
import io.threadline.scenario.Figure;

/**
 * Every run that started, kept as a recording in the data directory: written while it
 * records (on the run's thread, as its batches arrive), closed and renamed into place
 * when it ends, listed with a small JSON beside each file. After a restart, runs that
 * were recording are kept as INTERRUPTED, and any recording can be opened as a run again
 * ({@link RunService#get} asks here). A file that cannot be read is listed as unreadable,
 * with why, and never stops the others from loading. If the directory cannot be written
 * (a read-only disk, a full one), runs go on unrecorded and the log says why.
 */
@Component
public class RecordingStore implements RunListener {

	private static final Log log = LogFactory.getLog(RecordingStore.class);

	/** Run ids: what a recording's file name may be made of. */
	private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

	static final String SUFFIX = ".tlrec";

	private static final String PARTIAL = ".partial";

	private static final String INFO = ".json";

	private final RecordingProperties properties;

	private final Path dir;

	private final JsonMapper json;

	private final NotesFrames notes;

	private final RunService runs;

	private final Map<String, Recording> index = new ConcurrentHashMap<>();

	/** File name to what is wrong with it. */
	private final Map<String, String> unreadable = new ConcurrentHashMap<>();

	private final Map<String, ActiveRecording> active = new ConcurrentHashMap<>();

	/** Runs whose recording failed (a full disk): not tried again. */
	private final java.util.Set<String> failed = ConcurrentHashMap.newKeySet();

	/**
	 * Runs that have ended and whose recording is being finished: added before they leave
	 * {@link #active}, so that a run's recording is {@link #pending} without a gap from
	 * its first events until it is stored or given up.
	 */
	private final java.util.Set<String> finishing = ConcurrentHashMap.newKeySet();

	private volatile boolean usable;

	/** The META frame: the run as it started. */
	record Start(String id, String scenario, Map<String, Object> params, Instant createdAt, Instant startedAt) {
	}

	/** The END frame: how it ended. */
	record End(RunStatus status, Instant endedAt, List<Figure> figures, String error) {
	}

	/** A file the list could not read, and why. */
	public record Unreadable(String file, String problem) {
	}

	public RecordingStore(RecordingProperties properties, RunService runs, JsonMapper json) {
		this.properties = properties;
		this.dir = properties.dir().toAbsolutePath().normalize();
		this.json = json;
		this.notes = new NotesFrames(json);
		this.runs = runs;
		try {
			Files.createDirectories(this.dir);
			recoverPartials();
			loadIndex();
			this.usable = true;
			log.info("Recordings in " + this.dir + ": " + this.index.size() + " kept"
					+ (this.unreadable.isEmpty() ? "" : ", " + this.unreadable.size() + " unreadable"));
		}
		catch (IOException ex) {
			log.warn("Recordings disabled: cannot use " + this.dir + " (threadline.recordings.dir): " + ex);
		}
		runs.addListener(this);
		runs.setArchive(this::restore);
	}

	/** The data directory. */
	public Path dir() {
		return this.dir;
	}

	/** Recordings, newest first. */
	public List<Recording> list() {
		return this.index.values().stream().sorted(Comparator.comparing(Recording::createdAt).reversed()).toList();
	}

	public List<Unreadable> unreadable() {
		return new TreeMap<>(this.unreadable).entrySet()
			.stream()
			.map(e -> new Unreadable(e.getKey(), e.getValue()))
			.toList();
	}

	/**
	 * Whether the run's recording is still being written: its run records, or has just
	 * ended and its recording is not stored yet (a viewer may see RUN_END first).
	 */
	public boolean pending(String id) {
		return this.active.containsKey(id) || this.finishing.contains(id);
	}

	public Optional<Recording> find(String id) {
		return Optional.ofNullable(this.index.get(id));
	}

	/** The recording's file (for export). */
	public Path file(String id) {
		return this.dir.resolve(id + SUFFIX);
	}

	// -------------------------------------------------------------- writing

	@Override
	public void eventsAppended(Run run, EventBatch batch, byte[] encoded) {
		if (!this.usable || this.failed.contains(run.id())) {
			return;
		}
		ActiveRecording a = this.active.computeIfAbsent(run.id(), id -> open(run));
		if (a == null || a.problem() != null) {
			return;
		}
		try {
			a.append(run, batch, encoded);
		}
		catch (IOException | RuntimeException ex) {
			breakOff(run, a, ex);
		}
	}

	@Override
	public void runEnded(Run run) {
		if (!this.usable || this.failed.remove(run.id())) {
			return;
		}
		this.finishing.add(run.id());
		try {
			finish(run);
		}
		finally {
			this.finishing.remove(run.id());
		}
	}

	private void finish(Run run) {
		ActiveRecording a = this.active.remove(run.id());
		RunView view = run.view();
		if (a == null) {
			if (view.startedAt() == null) {
				return; // cancelled before it started: nothing to keep
			}
			a = open(run);
			if (a == null) {
				return;
			}
		}
		try {
			a.append(run);
		}
		catch (IOException | RuntimeException ex) {
			breakOff(run, a, ex);
		}
		// Twice at most: a failed end is cut back and tried once more as a broken one.
		for (int attempt = 0; attempt < 2; attempt++) {
			String error = (a.problem() == null) ? view.error()
					: (view.error() == null) ? a.problem() : view.error() + "; " + a.problem();
			try {
				a.finish(RecordingFile.END,
						this.json.writeValueAsBytes(new End(view.status(), view.endedAt(), view.figures(), error)));
				Path done = file(run.id());
				moveAtomically(a.partial, done);
				long events = (a.problem() == null) ? view.eventCount() : a.committed();
				Recording r = new Recording(view.id(), view.scenario(), view.params(), view.scenario(), false,
						view.status(), view.createdAt(), view.startedAt(), view.endedAt(), view.durationMs(), events,
						Files.size(done), List.of());
				writeInfo(r);
				this.index.put(r.id(), r);
				prune();
				return;
			}
			catch (IOException | RuntimeException ex) {
				if (a.problem() != null) {
					log.warn("Run " + run.id() + ": the end of its recording cannot be written (" + ex
							+ "); what it holds is kept in " + a.partial + " and recovered at the next start");
					return;
				}
				breakOff(run, a, ex);
			}
		}
	}

	private ActiveRecording open(Run run) {
		if (!ID.matcher(run.id()).matches()) {
			return null;
		}
		Path partial = this.dir.resolve(run.id() + PARTIAL);
		try {
			RecordingFile.Writer writer = new RecordingFile.Writer(partial);
			RunView view = run.view();
			writer.frame(RecordingFile.META, this.json.writeValueAsBytes(
					new Start(view.id(), view.scenario(), view.params(), view.createdAt(), view.startedAt())));
			return new ActiveRecording(partial, writer);
		}
		catch (IOException | RuntimeException ex) {
			log.warn("Run " + run.id() + " is not recorded: cannot write " + partial + ": " + ex);
			this.failed.add(run.id());
			run.recordingProblem("the run is not recorded: " + partial.getFileName() + " cannot be written ("
					+ ex.getMessage() + ")");
			return null;
		}
	}

	/**
	 * A write failed (a full disk): the recording keeps its whole frames and stops; the
	 * run goes on, and says so.
	 */
	private void breakOff(Run run, ActiveRecording a, Exception ex) {
		a.breakOff(ex);
		log.warn("Run " + run.id() + ": " + a.problem());
		run.recordingProblem(a.problem());
	}

	// -------------------------------------------------------------- reading

	/**
	 * A recording as a run, or null for an id the store does not have. A damaged file
	 * gives the events before the damage, the run marked INTERRUPTED and the damage named
	 * in its error.
	 */
	public Run restore(String id) {
		Recording r = this.index.get(id);
		if (r == null) {
			return null;
		}
		try {
			RecordingFile.Contents c = RecordingFile.read(file(id));
			Start start = this.json.readValue(c.meta(), Start.class);
			End end = (c.end() != null) ? this.json.readValue(c.end(), End.class) : null;
			List<EventBatch> batches = new ArrayList<>(c.events().size());
			long next = 0;
			for (byte[] payload : c.events()) {
				EventBatch b = BatchCodec.decode(payload);
				if (b.firstSeq() != next) {
					throw new IOException("events out of order at seq " + next);
				}
				batches.add(b);
				next += b.count();
			}
			String error = (end != null) ? end.error() : null;
			RunStatus status = (end != null) ? end.status() : RunStatus.INTERRUPTED;
			if (c.damage() != null) {
				status = RunStatus.INTERRUPTED;
				error = "the recording is damaged (" + c.damage() + "); the events before the damage are shown";
				this.unreadable.put(id + SUFFIX, c.damage() + " (its events before that are shown)");
			}
			return Run.restore(id, start.scenario(), start.params(), start.createdAt(), start.startedAt(),
					(end != null) ? end.endedAt() : null, status, (end != null) ? end.figures() : List.of(), error,
					batches);
		}
		catch (IOException | RuntimeException ex) {
			this.unreadable.put(id + SUFFIX, "cannot be read: " + ex.getMessage());
			this.index.remove(id);
			log.warn("Recording " + id + " cannot be read: " + ex);
			return null;
		}
	}

	// -------------------------------------------------------------- managing

	/** Renames and/or pins; returns the updated recording. */
	public synchronized Optional<Recording> update(String id, String name, Boolean pinned) throws IOException {
		Recording r = this.index.get(id);
		if (r == null) {
			return Optional.empty();
		}
		if (name != null) {
			r = r.withName(name);
		}
		if (pinned != null) {
			r = r.withPinned(pinned);
		}
		writeInfo(r);
		this.index.put(id, r);
		return Optional.of(r);
	}

	/** Deletes a recording; false if there is none (or its run is still recording). */
	public synchronized boolean delete(String id) throws IOException {
		if (this.index.remove(id) == null) {
			return false;
		}
		Files.deleteIfExists(file(id));
		Files.deleteIfExists(this.dir.resolve(id + INFO));
		this.unreadable.remove(id + SUFFIX);
		this.runs.forgetRestored(id);
		return true;
	}

	// -------------------------------------------------------------- notes

	/**
	 * Changes a recording's notes: {@code change} is given them, by time, and returns
	 * what they become (it may throw to refuse). The info file is rewritten atomically,
	 * as for a rename; one change at a time, so two lecturers' edits never lose one
	 * another.
	 * @return the recording as changed, or empty if there is none
	 */
	public synchronized Optional<Recording> changeNotes(String id, UnaryOperator<List<Note>> change)
			throws IOException {
		Recording r = this.index.get(id);
		if (r == null) {
			return Optional.empty();
		}
		r = r.withNotes(change.apply(r.notes()));
		writeInfo(r);
		this.index.put(id, r);
		return Optional.of(r);
	}

	/**
	 * The time of the recorded run's last event (its RUN_END), in ns since its start: the
	 * latest moment a note may be pinned to. Reads the recording if it is not in memory.
	 */
	public long endNs(String id) {
		EventLog log = this.runs.get(id).log();
		EventBatch last = log.read(Math.max(0, log.size() - 1), 1);
		return (last.count() > 0) ? last.tNs(0) : 0;
	}

	/** The NOTES frame (header, payload, checksum) an exported file ends with. */
	byte[] notesFrame(List<Note> notes) {
		return this.notes.write(notes);
	}

	/**
	 * Imports a recording file (as exported); it keeps its run id.
	 * @throws ImportException if it is unreadable, too large or its id is taken
	 */
	public Recording importFile(InputStream body) throws IOException {
		if (!this.usable) {
			throw new ImportException(ImportException.Reason.UNAVAILABLE,
					"recordings are disabled: the data directory " + this.dir + " cannot be written");
		}
		long max = this.properties.maxImport().toBytes();
		Path temp = Files.createTempFile(this.dir, "import-", ".tmp");
		try {
			try (InputStream in = body; var out = Files.newOutputStream(temp)) {
				byte[] buf = new byte[1 << 16];
				long total = 0;
				for (int n; (n = in.read(buf)) > 0;) {
					total += n;
					if (total > max) {
						throw new ImportException(ImportException.Reason.TOO_LARGE, "the file is larger than "
								+ this.properties.maxImport() + " (threadline.recordings.max-import)");
					}
					out.write(buf, 0, n);
				}
			}
			RecordingFile.Contents c = RecordingFile.read(temp);
			if (c.damage() != null || c.meta() == null) {
				throw new ImportException(ImportException.Reason.UNREADABLE,
						"not a whole Threadline recording: " + ((c.damage() != null) ? c.damage() : "no run header"));
			}
			Recording r = summarize(c, Files.size(temp));
			if (!ID.matcher(r.id()).matches()) {
				throw new ImportException(ImportException.Reason.UNREADABLE,
						"the recording's run id \"" + r.id() + "\" is not a valid id");
			}
			synchronized (this) {
				if (this.index.containsKey(r.id()) || Files.exists(file(r.id()))) {
					throw new ImportException(ImportException.Reason.EXISTS,
							"a recording of run " + r.id() + " is already here; delete it first to replace it");
				}
				moveAtomically(temp, file(r.id()));
				writeInfo(r);
				this.index.put(r.id(), r);
			}
			prune();
			return r;
		}
		finally {
			Files.deleteIfExists(temp);
		}
	}

	/** Deletes the oldest unpinned recordings beyond the count and size limits. */
	private synchronized void prune() {
		List<Recording> unpinned = this.index.values()
			.stream()
			.filter(r -> !r.pinned())
			.sorted(Comparator.comparing(Recording::createdAt))
			.toList();
		long bytes = unpinned.stream().mapToLong(Recording::bytes).sum();
		int count = unpinned.size();
		for (Recording r : unpinned) {
			if (count <= this.properties.maxCount() && bytes <= this.properties.maxBytes().toBytes()) {
				break;
			}
			try {
				delete(r.id());
				count--;
				bytes -= r.bytes();
				log.info("Recording " + r.id() + " deleted to stay within threadline.recordings limits");
			}
			catch (IOException ex) {
				log.warn("Cannot delete recording " + r.id() + ": " + ex);
				return;
			}
		}
	}

	// -------------------------------------------------------------- start-up

	/**
	 * Runs that were recording when the server stopped: their whole frames are kept, with
	 * an END saying INTERRUPTED.
	 */
	private void recoverPartials() throws IOException {
		try (DirectoryStream<Path> partials = Files.newDirectoryStream(this.dir, "*" + PARTIAL)) {
			for (Path partial : partials) {
				String id = name(partial, PARTIAL);
				try {
					RecordingFile.Contents c = RecordingFile.read(partial);
					if (c.meta() == null) {
						throw new IOException((c.damage() != null) ? c.damage() : "no run header");
					}
					Path temp = this.dir.resolve(id + ".recover");
					try (RecordingFile.Writer w = new RecordingFile.Writer(temp)) {
						w.frame(RecordingFile.META, c.meta());
						for (byte[] events : c.events()) {
							w.frame(RecordingFile.EVENTS, events);
						}
						w.frame(RecordingFile.END, this.json.writeValueAsBytes(new End(RunStatus.INTERRUPTED,
								Instant.ofEpochMilli(Files.getLastModifiedTime(partial).toMillis()), List.of(),
								"the server stopped while the run recorded; what it recorded until then is kept")));
						w.sync();
					}
					moveAtomically(temp, file(id));
					Files.delete(partial);
					Files.deleteIfExists(this.dir.resolve(id + INFO));
					log.info("Run " + id + " was recording when the server stopped: kept as INTERRUPTED");
				}
				catch (IOException | RuntimeException ex) {
					this.unreadable.put(partial.getFileName().toString(), "cannot be recovered: " + ex.getMessage());
				}
			}
		}
	}

	private void loadIndex() throws IOException {
		try (DirectoryStream<Path> files = Files.newDirectoryStream(this.dir, "*" + SUFFIX)) {
			for (Path file : files) {
				String id = name(file, SUFFIX);
				Path info = this.dir.resolve(id + INFO);
				try {
					Recording r = null;
					if (Files.exists(info)) {
						try {
							r = this.json.readValue(info.toFile(), Recording.class);
						}
						catch (JacksonException ex) {
							r = null; // rebuilt from the file below
						}
					}
					if (r == null || !id.equals(r.id())) {
						RecordingFile.Contents c = RecordingFile.read(file);
						if (c.meta() == null) {
							throw new IOException((c.damage() != null) ? c.damage() : "no run header");
						}
						r = summarize(c, Files.size(file));
						if (!id.equals(r.id())) {
							throw new IOException("its name does not match the run id inside, " + r.id());
						}
						if (c.damage() != null) {
							this.unreadable.put(file.getFileName().toString(),
									c.damage() + " (its events before that are shown)");
						}
						writeInfo(r);
					}
					this.index.put(id, r);
				}
				catch (IOException | RuntimeException ex) {
					this.unreadable.put(file.getFileName().toString(), "cannot be read: " + ex.getMessage());
				}
			}
		}
	}

	/** The list's entry for a file's contents (its events counted, not decoded). */
	private Recording summarize(RecordingFile.Contents c, long bytes) {
		Start start = this.json.readValue(c.meta(), Start.class);
		End end = (c.end() != null) ? this.json.readValue(c.end(), End.class) : null;
		long events = 0;
		long endNs = 0;
		for (byte[] payload : c.events()) {
			EventBatch b = BatchCodec.decode(payload);
			events += b.count();
			if (b.count() > 0) {
				endNs = Math.max(endNs, b.tNs(b.count() - 1));
			}
		}
		Instant endedAt = (end != null) ? end.endedAt() : null;
		Long durationMs = (start.startedAt() != null && endedAt != null)
				? Duration.between(start.startedAt(), endedAt).toMillis() : null;
		return new Recording(start.id(), start.scenario(), start.params(), start.scenario(), false,
				(end != null) ? end.status() : RunStatus.INTERRUPTED, start.createdAt(), start.startedAt(), endedAt,
				durationMs, events, bytes, this.notes.read(c.notes(), endNs));
	}

	private void writeInfo(Recording r) throws IOException {
		Path temp = this.dir.resolve(r.id() + INFO + ".tmp");
		Files.write(temp, this.json.writeValueAsBytes(r));
		moveAtomically(temp, this.dir.resolve(r.id() + INFO));
	}

	private static void moveAtomically(Path from, Path to) throws IOException {
		try {
			Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (AtomicMoveNotSupportedException ex) {
			Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
		}
	}

	private static String name(Path file, String suffix) {
		String n = file.getFileName().toString();
		return n.substring(0, n.length() - suffix.length());
	}

}
