/**
 * Watchers that look at the run from outside its threads. Today: the deadlock detector,
 * which reads the traced primitives' wait-for graph ({@code trace.LockGraph}) and asks
 * ThreadMXBean about monitors, and records each deadlock it finds as a DEADLOCK event.
 * Later: /proc scheduler sampling and a JFR bridge (docs/ARCHITECTURE.md).
 *
 * <p>
 * A sampler runs on a thread of its own that never records events as a thread (it is no
 * lane on the timeline): what it finds is recorded as run-level events, thread 0.
 */
package io.threadline.sampler;
