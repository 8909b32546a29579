package io.threadline.scenario;

import java.util.List;

/**
 * The scenarios on threads and locks: thread-lifecycle, lock-contention,
 * synchronized-contention, condition, read-write-lock, in dashboard order.
 */
final class ThreadAndLockScenarios {

	static final List<Scenario> ALL = List.of(new ThreadLifecycleScenario(), new LockContentionScenario(),
			new SynchronizedContentionScenario(), new ConditionScenario(), new ReadWriteLockScenario());

	private ThreadAndLockScenarios() {
	}

}
