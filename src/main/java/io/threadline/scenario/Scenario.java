package io.threadline.scenario;

import java.util.List;

/**
 * A lesson from the course as a runnable workload. Implementations run real threads
 * through the traced primitives of {@code io.threadline.trace}; they are only ever run
 * inside a runner JVM (the server reads their metadata and never calls {@link #run}).
 */
public interface Scenario {

	/** Stable id used in URLs and lecture notes, e.g. {@code cpu-vs-io}. */
	String id();

	String title();

	/** One sentence for the scenario list. */
	String summary();

	/**
	 * What to look for on the timeline, as plain text paragraphs separated by blank
	 * lines.
	 */
	String teaching();

	List<Param> parameters();

	/**
	 * The few lines of the scenario's Java source that matter, shown beside the timeline.
	 * A line that ends with a marker comment {@code //@name} is the line a thread is on
	 * after it records {@code Marks.mark("name")}; the viewer highlights it for the
	 * thread under the cursor. The marker comments are not shown. Empty when the scenario
	 * shows no source.
	 */
	default String source() {
		return "";
	}

	/**
	 * Runs the workload on real threads and returns its figures. Must leave no thread
	 * running when it returns normally.
	 */
	List<Figure> run(Params params) throws Exception;

}
