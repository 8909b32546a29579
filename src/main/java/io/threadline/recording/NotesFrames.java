package io.threadline.recording;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A recording file's NOTES frame: the lecturer's notes, as JSON, written last into an
 * exported file and read back from an imported one. A file is data from elsewhere, so
 * only notes that could have been made here are taken from it.
 */
final class NotesFrames {

	private static final Log log = LogFactory.getLog(NotesFrames.class);

	/** A note's id, as the notes API hands them out. */
	private static final Pattern NOTE_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");

	/** The frame's JSON. */
	record NotesFrame(List<Note> notes) {
	}

	private final JsonMapper json;

	NotesFrames(JsonMapper json) {
		this.json = json;
	}

	/** The NOTES frame (header, payload, checksum) an exported file ends with. */
	byte[] write(List<Note> notes) {
		return RecordingFile.frame(RecordingFile.NOTES, this.json.writeValueAsBytes(new NotesFrame(notes)));
	}

	/**
	 * An imported file's notes from its last NOTES frame's payload (none when
	 * {@code frame} is null): well-formed, unique ids, within the run ({@code endNs}), at
	 * most {@link Note#MAX_PER_RECORDING}; any other is left out and logged.
	 */
	List<Note> read(byte[] frame, long endNs) {
		if (frame == null) {
			return List.of();
		}
		List<Note> stored;
		try {
			NotesFrame f = this.json.readValue(frame, NotesFrame.class);
			stored = (f.notes() != null) ? f.notes() : List.of();
		}
		catch (JacksonException ex) {
			log.warn("A recording's notes cannot be read, so it is imported without them: " + ex.getMessage());
			return List.of();
		}
		List<Note> notes = new ArrayList<>();
		Set<String> ids = new HashSet<>();
		for (Note n : stored) {
			if (n == null || n.id() == null || n.text() == null || !NOTE_ID.matcher(n.id()).matches()
					|| !ids.add(n.id()) || n.tNs() < 0 || n.tNs() > endNs || Note.invalidText(n.text().strip()) != null
					|| notes.size() == Note.MAX_PER_RECORDING) {
				log.warn("A recording's note was left out: " + n);
				continue;
			}
			notes.add(n.withText(n.text().strip()));
		}
		return notes;
	}

}
