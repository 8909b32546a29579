package io.threadline.scenario;

import java.util.List;

/**
 * The scenarios on lock ownership, semaphores and deadlocks: deadlock,
 * dining-philosophers, reentrant-lock, semaphore, in dashboard order.
 */
final class DeadlockScenarios {

	static final List<Scenario> ALL = List.of(new DeadlockScenario(), new DiningPhilosophersScenario(),
			new ReentrantLockScenario(), new SemaphoreScenario());

	private DeadlockScenarios() {
	}

}
