/**
 * The event recorder: per-thread rings, the drain, sequence numbers and the binary codec.
 *
 * <h2>Who writes what</h2>
 * <ul>
 * <li>A {@code ThreadBuffer}'s ring slots and its {@code tail} are written only by the
 * thread that owns the buffer (the producer). Its {@code head} is written only by the
 * drain (the consumer). No field has two writers, so no compare-and-set and no lock is
 * needed.</li>
 * <li>The producer writes the three longs of a slot with plain stores, then publishes
 * them with a release store of {@code tail + 1} (StoreStore). The drain reads
 * {@code tail} with an acquire load (LoadLoad) and then reads the slots below it with
 * plain loads: everything the producer wrote before its release is visible after the
 * acquire that saw it.</li>
 * <li>The drain frees slots with a release store of {@code head} after reading them; the
 * producer reads {@code head} with an acquire load before overwriting a slot, so it never
 * overwrites a slot that is still being read. The producer caches {@code head} in a plain
 * field it alone touches and re-reads the real one only when the ring looks full: the
 * common path is one plain load, three plain stores and one release store (an ordinary
 * store on x86).</li>
 * <li>A full ring makes the producer wait for the drain (spin, then park) and count a
 * stall. It never drops an event: a lost event would be a lie on the timeline.</li>
 * </ul>
 *
 * <h2>Names before the events that use them</h2> A name is added to a
 * {@code ConcurrentLinkedQueue} before the thread that defined it records any event
 * carrying its id (program order). The queue's {@code add} happens-before the producer's
 * later release of {@code tail}; the drain first reads the rings (acquire) and only then
 * polls the queue. So whenever the drain sees an event naming an id, the name is already
 * in the queue, and it is sent first, with a lower seq.
 *
 * <h2>Sequence numbers</h2> Only the drain numbers events, as it hands them out, so
 * numbers are gap-free by construction and cost the recording threads nothing. Within a
 * drain, events are sorted by time with a stable sort, which keeps each thread's own
 * order (its clock readings never go backwards).
 *
 * <h2>Registration</h2> A thread's first event allocates its ring once (a
 * {@code ThreadLocal} of the recorder) and publishes it through a
 * {@code CopyOnWriteArrayList}; the drain iterates snapshots of that list, so a thread
 * that registers mid-drain is simply drained next time.
 */
package io.threadline.recorder;
