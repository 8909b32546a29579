package io.threadline.trace;

import io.threadline.recorder.EventKind;

/**
 * The one place every traced primitive passes through before it acts, given the event it
 * is about to record. Today it lets every thread through at once. It exists so that a
 * later step mode ("you are the scheduler", docs/ARCHITECTURE.md) can hold each thread
 * here and let a person choose who moves next, on real threads, without touching any
 * primitive: keep every primitive's first step a call to {@link #before}, and keep this
 * the only gate.
 */
final class Gate {

	private Gate() {
	}

	/**
	 * Called by the thread about to take a step, before the step has any effect (before
	 * it takes a lock, submits a task, starts waiting or computing).
	 * @param kind the event the step will record; for a step that records none
	 * (computing, opening a latch), {@code STATE} with the state the thread is in while
	 * it takes the step
	 * @param obj the object concerned (a lock, executor, task id) or 0
	 * @param arg the event's argument (a {@code ThreadState} code for state changes) or 0
	 */
	static void before(EventKind kind, int obj, long arg) {
		// Open gate: nothing to wait for until step mode exists. An empty static method
		// is inlined away by the JIT, so the hook costs the hot paths (lock, Work.cpu)
		// nothing.
	}

}
