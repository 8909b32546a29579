package io.threadline.recording;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.threadline.run.Run;
import io.threadline.run.RunNotFoundException;
import io.threadline.run.RunService;

import static io.threadline.recording.RecordingController.problem;

/**
 * Notes pinned to moments of a recording, over REST: list (by time), add, edit, delete. A
 * lecturer prepares them before class; a replay shows each as it reaches its moment. Only
 * a finished, recorded run has notes: while it runs there is no recording yet (409).
 */
@RestController
@RequestMapping("/api/recordings/{id}/notes")
class NoteController {

	private final RecordingStore store;

	private final RunService runs;

	NoteController(RecordingStore store, RunService runs) {
		this.store = store;
		this.runs = runs;
	}

	/** A new note, or a change: absent fields are left as they are (a PATCH). */
	record NoteBody(Long tNs, String text) {
	}

	@GetMapping
	List<Note> list(@PathVariable String id) {
		if (this.store.find(id).isEmpty() && ended(id) && this.store.pending(id)) {
			return List.of(); // none yet: notes are added once the recording is stored
		}
		return recording(id).notes();
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<Note> add(@PathVariable String id, @RequestBody NoteBody body) throws IOException {
		recording(id);
		if (body.tNs() == null) {
			throw invalid("tNs", "tNs is required: the note's moment, in ns since the run started");
		}
		if (body.text() == null) {
			throw invalid("text", "text is required: 1 to " + Note.MAX_TEXT + " characters");
		}
		long tNs = checkTime(id, body.tNs());
		String text = checkText(body.text());
		Note[] added = new Note[1];
		this.store.changeNotes(id, notes -> {
			if (notes.size() >= Note.MAX_PER_RECORDING) {
				throw problem(HttpStatus.CONFLICT, "Too many notes",
						"a recording keeps at most " + Note.MAX_PER_RECORDING + " notes; delete one to add another",
						"notes");
			}
			added[0] = new Note(newId(notes), tNs, text);
			List<Note> next = new ArrayList<>(notes);
			next.add(added[0]);
			return next;
		}).orElseThrow(() -> notFound(id));
		return ResponseEntity.status(HttpStatus.CREATED)
			.header(HttpHeaders.LOCATION, "/api/recordings/" + id + "/notes/" + added[0].id())
			.body(added[0]);
	}

	@GetMapping("/{noteId}")
	Note one(@PathVariable String id, @PathVariable String noteId) {
		return find(recording(id), noteId);
	}

	@PatchMapping(path = "/{noteId}", consumes = MediaType.APPLICATION_JSON_VALUE)
	Note update(@PathVariable String id, @PathVariable String noteId, @RequestBody NoteBody body) throws IOException {
		find(recording(id), noteId);
		if (body.tNs() == null && body.text() == null) {
			throw invalid("body", "give text and/or tNs to change");
		}
		Long tNs = (body.tNs() != null) ? checkTime(id, body.tNs()) : null;
		String text = (body.text() != null) ? checkText(body.text()) : null;
		Note[] changed = new Note[1];
		this.store.changeNotes(id, notes -> {
			Note old = find(notes, id, noteId);
			Note n = (text != null) ? old.withText(text) : old;
			n = (tNs != null) ? n.withTNs(tNs) : n;
			changed[0] = n;
			List<Note> next = new ArrayList<>(notes);
			next.set(notes.indexOf(old), n);
			return next;
		}).orElseThrow(() -> notFound(id));
		return changed[0];
	}

	@DeleteMapping("/{noteId}")
	ResponseEntity<Void> delete(@PathVariable String id, @PathVariable String noteId) throws IOException {
		find(recording(id), noteId);
		this.store.changeNotes(id, notes -> {
			Note gone = find(notes, id, noteId);
			return notes.stream().filter(n -> n != gone).toList();
		}).orElseThrow(() -> notFound(id));
		return ResponseEntity.noContent().build();
	}

	/** The recording, or why there is none: a run still going (409) or nothing (404). */
	private Recording recording(String id) {
		Recording r = this.store.find(id).orElse(null);
		if (r != null) {
			return r;
		}
		Run run;
		try {
			run = this.runs.get(id);
		}
		catch (RunNotFoundException ex) {
			throw notFound(id);
		}
		if (!run.status().isTerminal()) {
			throw problem(HttpStatus.CONFLICT, "Run not finished", "run " + id + " is still " + run.status()
					+ "; notes can be pinned to it once it ends and is recorded", "id");
		}
		if (this.store.pending(id)) {
			throw problem(HttpStatus.CONFLICT, "Recording being stored",
					"run " + id + " has just ended and its recording is being stored; try again in a moment", "id");
		}
		throw notFound(id);
	}

	/** Whether {@code id} is a run of this server that has ended. */
	private boolean ended(String id) {
		try {
			return this.runs.get(id).status().isTerminal();
		}
		catch (RunNotFoundException ex) {
			return false;
		}
	}

	private long checkTime(String id, long tNs) {
		long endNs = this.store.endNs(id);
		if (tNs < 0 || tNs > endNs) {
			throw invalid("tNs", "tNs must be 0 to " + endNs + " ns (the run's length, "
					+ String.format(Locale.ROOT, "%.3f", endNs / 1e6) + " ms); got " + tNs);
		}
		return tNs;
	}

	private static String checkText(String text) {
		String stripped = text.strip();
		String why = Note.invalidText(stripped);
		if (why != null) {
			throw invalid("text", why);
		}
		return stripped;
	}

	private static Note find(Recording r, String noteId) {
		return find(r.notes(), r.id(), noteId);
	}

	private static Note find(List<Note> notes, String id, String noteId) {
		return notes.stream()
			.filter(n -> n.id().equals(noteId))
			.findFirst()
			.orElseThrow(() -> problem(HttpStatus.NOT_FOUND, "Unknown note",
					"recording " + id + " has no note " + noteId + "; GET /api/recordings/" + id + "/notes lists them",
					"noteId"));
	}

	/**
	 * Short, and unique within the recording (not across recordings: ids are per
	 * recording).
	 */
	private static String newId(List<Note> notes) {
		while (true) {
			String id = Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36 * 36 * 36), 36);
			if (notes.stream().noneMatch(n -> n.id().equals(id))) {
				return id;
			}
		}
	}

	private static ErrorResponseException invalid(String field, String detail) {
		return problem(HttpStatus.BAD_REQUEST, "Invalid note", detail, field);
	}

	private static ErrorResponseException notFound(String id) {
		return problem(HttpStatus.NOT_FOUND, "Unknown recording",
				"no recording " + id + "; GET /api/recordings lists them", "id");
	}

}
