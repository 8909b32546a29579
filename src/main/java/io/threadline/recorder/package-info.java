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
 *
 * <h2>Virtual threads</h2> A virtual thread has no ring; it writes into the ring of the
 * carrier it is mounted on, found by the carrier's kernel thread id ({@code gettid},
 * which answers the carrier's id inside a virtual thread) in a {@code ConcurrentHashMap}.
 * The ring stays single-producer because a carrier runs one virtual thread at a time and
 * a virtual thread leaves its carrier only when it parks (JDK 25 does not time-slice
 * virtual threads). So the path from reading the tid to the release store of {@code tail}
 * must contain no park point: {@code gettid} and {@code sched_getcpu} are critical
 * downcalls, {@code ConcurrentHashMap.get} takes no lock, the slot writes are plain
 * stores, and a full ring makes a virtual thread spin ({@code Thread.onSpinWait}) where a
 * platform thread would park. Were it to park there, another virtual thread could mount
 * on the carrier and write the same ring while the first resumed elsewhere and finished
 * its write: two producers, a torn slot. Registration of a carrier may park (a lock, the
 * list's lock), so it writes nothing to a published ring: it reads the tid, the carrier's
 * name and the tid again (a changed tid means the virtual thread moved: try again),
 * writes THREAD_START into the new ring, and only then publishes the ring with the map's
 * volatile {@code put}; the caller then looks the ring up afresh.
 * <p>
 * Two virtual threads that write one carrier's ring one after the other both run on the
 * carrier's OS thread, one unmounted before the other mounted: the carrier's own program
 * order, through the JDK's mount and unmount (volatile state transitions and a VM call
 * that no compiler moves loads or stores across), orders the second writer's reads of
 * {@code tail} and {@code cachedHead} after the first writer's stores, exactly as for one
 * platform thread writing twice. The first writer of a ring sees it through the map's
 * volatile read, which pairs with the publishing {@code put}.
 * <p>
 * A virtual thread's STATE and THREAD_END are dropped: drawn on the carrier's lane they
 * would claim the carrier blocked or ended. A kernel tid reused within a run (a carrier
 * ended and a new thread got its id after the kernel's ids wrapped) would reuse that lane
 * under the old carrier's name (still one producer, as the old carrier is gone); Linux
 * hands out ids in increasing order, so this takes the machine's ids wrapping around
 * within one run.
 */
package io.threadline.recorder;
