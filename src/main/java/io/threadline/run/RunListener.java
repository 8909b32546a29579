package io.threadline.run;

/** Told when a run's log grows or the run ends; implemented by the live stream. */
public interface RunListener {

	void eventsAppended(Run run);

	void runEnded(Run run);

}
