package io.threadline.scenario;

import java.util.List;

/**
 * The scenarios on queues and pools: producer-consumer, queue-drain-race, thread-pool,
 * map-reduce, in dashboard order.
 */
final class QueueAndPoolScenarios {

	static final List<Scenario> ALL = List.of(new ProducerConsumerScenario(), new QueueDrainRaceScenario(),
			new ThreadPoolScenario(), new MapReduceScenario());

	private QueueAndPoolScenarios() {
	}

}
