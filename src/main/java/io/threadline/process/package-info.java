/**
 * Child processes of a run: real JVMs started from the runner's classpath
 * ({@link io.threadline.process.ChildProcess}), each running a
 * {@link io.threadline.process.ChildTask} and recording its own threads on the run's time
 * origin; the runner merges their events into the run's log as processes of their own
 * (docs/events.md, "Child processes").
 */
package io.threadline.process;
