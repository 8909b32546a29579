package io.threadline.run;

import io.threadline.recorder.EventBatch;

/** Told when a run's log grows or the run ends; implemented by the live stream. */
public interface RunListener {

	/**
	 * The run's log grew by {@code batch}, whose events are the log's from
	 * {@code batch.firstSeq()} on; {@code encoded} is the same batch in the batch format
	 * (docs/events.md), as the runner sent it, for a listener that only passes it on.
	 */
	void eventsAppended(Run run, EventBatch batch, byte[] encoded);

	void runEnded(Run run);

}
