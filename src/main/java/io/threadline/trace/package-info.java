/**
 * Traced primitives: the vocabulary scenarios are written in. Threads, a thread pool, a
 * lock, computing, I/O and sleeping, spans and marks, each doing the real thing on real
 * threads (a {@code TracedLock} is a {@code ReentrantLock}, {@code Work.cpu} computes)
 * and recording what it did for the timeline as it does it.
 *
 * <p>
 * Every primitive works the same with no recorder active: the events go nowhere and the
 * work is identical, so a scenario's results do not depend on being watched (beyond the
 * cost of recording, tens of nanoseconds per event).
 *
 * <p>
 * Every primitive passes through {@code Gate.before} before it acts. Today the gate is
 * open; it is where a later step mode will hold threads so a person can choose who moves
 * next. New primitives must call it too, and must record the state a thread is in while
 * it waits (BLOCKED on a lock, WAITING on an executor, IO, SLEEPING, IDLE in a pool) and
 * RUNNING when it goes on.
 */
package io.threadline.trace;
