package io.threadline.trace;

import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.recorder.Recorder;

/** Labelled instants on a thread's lane ("start gate opens"). */
public final class Marks {

	private Marks() {
	}

	public static void mark(String label) {
		if (Recorder.current() == null) {
			return; // nothing to name: skip even the string's interning
		}
		int id = Recorder.name(NameCategory.MARK, label);
		Gate.before(EventKind.MARK, id, 0);
		Recorder.record(EventKind.MARK, id, 0);
	}

}
