package io.threadline.recording;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
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
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * Recordings over REST: list, one, rename or pin, delete, download the file, upload one
 * (notes pinned to their moments: {@link NoteController}). Opening a recording as a run
 * needs nothing here: {@code /api/runs/{id}} and its events work for every recording.
 */
@RestController
@RequestMapping("/api/recordings")
class RecordingController {

	/** The longest name a recording may have. */
	static final int MAX_NAME = 120;

	private final RecordingStore store;

	private final RecordingProperties properties;

	RecordingController(RecordingStore store, RecordingProperties properties) {
		this.store = store;
		this.properties = properties;
	}

	/** A rename and/or a pin; absent fields are left as they are. */
	record Update(String name, Boolean pinned) {
	}

	@GetMapping
	Map<String, Object> list() {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("recordings", this.store.list());
		body.put("unreadable", this.store.unreadable());
		return body;
	}

	@GetMapping("/{id}")
	Recording one(@PathVariable String id) {
		return this.store.find(id).orElseThrow(() -> notFound(id));
	}

	@PatchMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
	Recording update(@PathVariable String id, @RequestBody Update update) throws IOException {
		String name = null;
		if (update.name() != null) {
			name = update.name().strip();
			if (name.isEmpty() || name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
				throw problem(HttpStatus.BAD_REQUEST, "Invalid name",
						"name must be 1 to " + MAX_NAME + " characters of text, without control characters", "name");
			}
		}
		return this.store.update(id, name, update.pinned()).orElseThrow(() -> notFound(id));
	}

	@DeleteMapping("/{id}")
	ResponseEntity<Void> delete(@PathVariable String id) throws IOException {
		if (!this.store.delete(id)) {
			throw notFound(id);
		}
		return ResponseEntity.noContent().build();
	}

	/**
	 * The recording's file, as {@code POST /api/recordings} takes it back: the stored
	 * file and a NOTES frame with its notes as they are now (the stored file never has
	 * them: they change without rewriting the events).
	 */
	@GetMapping("/{id}/file")
	ResponseEntity<StreamingResponseBody> file(@PathVariable String id) throws IOException {
		Recording r = this.store.find(id).orElseThrow(() -> notFound(id));
		String filename = r.scenario() + "-" + r.id() + RecordingStore.SUFFIX;
		Path file = this.store.file(id);
		byte[] notes = this.store.notesFrame(r.notes());
		long length;
		try {
			length = Files.size(file) + notes.length;
		}
		catch (NoSuchFileException ex) {
			throw notFound(id); // deleted since it was found
		}
		return ResponseEntity.ok()
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.contentLength(length)
			.header(HttpHeaders.CONTENT_DISPOSITION,
					ContentDisposition.attachment().filename(filename).build().toString())
			.body(out -> {
				Files.copy(file, out);
				out.write(notes);
			});
	}

	/** Imports a recording file (the body, as exported); it keeps its run id. */
	@PostMapping(consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE)
	ResponseEntity<Recording> importFile(HttpServletRequest request) throws IOException {
		long length = request.getContentLengthLong();
		if (length > this.properties.maxImport().toBytes()) {
			throw problem(HttpStatus.CONTENT_TOO_LARGE, "Recording too large", "the file is " + length
					+ " bytes, more than " + this.properties.maxImport() + " (threadline.recordings.max-import)",
					"body");
		}
		try {
			Recording r = this.store.importFile(request.getInputStream());
			return ResponseEntity.status(HttpStatus.CREATED)
				.header(HttpHeaders.LOCATION, "/api/recordings/" + r.id())
				.body(r);
		}
		catch (ImportException ex) {
			throw switch (ex.reason()) {
				case TOO_LARGE -> problem(HttpStatus.CONTENT_TOO_LARGE, "Recording too large", ex.getMessage(), "body");
				case EXISTS -> problem(HttpStatus.CONFLICT, "Recording exists", ex.getMessage(), "body");
				case UNAVAILABLE ->
					problem(HttpStatus.SERVICE_UNAVAILABLE, "Recordings disabled", ex.getMessage(), null);
				case UNREADABLE -> problem(HttpStatus.BAD_REQUEST, "Not a recording", ex.getMessage(), "body");
			};
		}
	}

	private static ErrorResponseException notFound(String id) {
		return problem(HttpStatus.NOT_FOUND, "Unknown recording",
				"no recording " + id + "; GET /api/recordings lists them", "id");
	}

	static ErrorResponseException problem(HttpStatus status, String title, String detail, String field) {
		ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
		body.setTitle(title);
		if (field != null) {
			body.setProperty("field", field);
		}
		return new ErrorResponseException(status, body, null);
	}

}
