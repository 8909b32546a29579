package io.threadline.recording;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import io.threadline.run.RunStatus;

/**
 * A recording as the list shows it; kept beside its file as {@code <id>.json}, so the
 * list never has to read the events.
 *
 * @param id the run's id: every run URL works for its recording
 * @param name what the lecturer called it; the scenario's id until renamed
 * @param pinned kept whatever the limits (never deleted to make room)
 * @param bytes the file's size
 * @param notes notes pinned to moments of the run, by time (ties in the order they were
 * added); an info file written before notes existed reads as none
 */
public record Recording(String id, String scenario, Map<String, Object> params, String name, boolean pinned,
		RunStatus status, Instant createdAt, Instant startedAt, Instant endedAt, Long durationMs, long eventCount,
		long bytes, List<Note> notes) {

	public Recording {
		notes = (notes != null) ? notes.stream().sorted(Comparator.comparingLong(Note::tNs)).toList() : List.of();
	}

	Recording withName(String name) {
		return new Recording(this.id, this.scenario, this.params, name, this.pinned, this.status, this.createdAt,
				this.startedAt, this.endedAt, this.durationMs, this.eventCount, this.bytes, this.notes);
	}

	Recording withNotes(List<Note> notes) {
		return new Recording(this.id, this.scenario, this.params, this.name, this.pinned, this.status, this.createdAt,
				this.startedAt, this.endedAt, this.durationMs, this.eventCount, this.bytes, notes);
	}

	Recording withPinned(boolean pinned) {
		return new Recording(this.id, this.scenario, this.params, this.name, pinned, this.status, this.createdAt,
				this.startedAt, this.endedAt, this.durationMs, this.eventCount, this.bytes, this.notes);
	}

}
