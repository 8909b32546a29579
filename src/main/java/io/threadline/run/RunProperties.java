package io.threadline.run;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits and runner settings, under {@code threadline.runs} in application properties.
 *
 * @param maxThreads most threads one run may start (its scenario fails naming the limit
 * beyond)
 * @param maxProcesses most child processes one run may start (its scenario fails naming
 * the limit beyond)
 * @param samplerHz how often the runner reads the scheduler's accounting in /proc (1 to
 * 1000 a second)
 * @param maxDuration wall-clock limit of a run; beyond it the runner is killed and the
 * run is TIMED_OUT
 * @param queueCapacity runs that may wait behind the running one; a request beyond gets
 * 429
 * @param maxEvents most events one run may record; beyond it the run is FAILED naming the
 * limit
 * @param runnerHeap the runner JVM's -Xmx
 * @param runnerStack the runner JVM's -Xss: each of its threads' stack
 * @param maxTasks most threads and processes a runner and everything it starts may have
 * at once (cgroup pids.max, where the machine allows this server to make groups)
 * @param maxMemory most memory a runner and everything it starts may use together (cgroup
 * memory.max, where allowed)
 * @param warmRunner keep one runner started in advance, so a run starts in milliseconds
 * @param history finished runs kept in memory for the REST API
 * @param historyEvents most events the finished runs kept in memory may hold together
 * (about 35 bytes each); the oldest runs are let go first
 * @param jfrThreshold shortest wait to enter a {@code synchronized} block the runner's
 * flight recorder reports (0 = not reported)
 * @param jfrWaitThreshold shortest {@code Object.wait} or park the runner's flight
 * recorder reports (0 = not reported); with both 0 the runner starts no flight recorder
 */
@ConfigurationProperties("threadline.runs")
public record RunProperties(@DefaultValue("256") int maxThreads, @DefaultValue("16") int maxProcesses,
		@DefaultValue("100") int samplerHz, @DefaultValue("60s") Duration maxDuration,
		@DefaultValue("4") int queueCapacity, @DefaultValue("2000000") long maxEvents,
		@DefaultValue("512m") String runnerHeap, @DefaultValue("true") boolean warmRunner,
		@DefaultValue("50") int history, @DefaultValue("8000000") long historyEvents,
		@DefaultValue("100us") Duration jfrThreshold, @DefaultValue("1ms") Duration jfrWaitThreshold,
		@DefaultValue("1m") String runnerStack, @DefaultValue("4096") long maxTasks,
		@DefaultValue("8GB") DataSize maxMemory) {

	public RunProperties {
		if (jfrThreshold.isNegative() || jfrWaitThreshold.isNegative()) {
			throw new IllegalArgumentException(
					"threadline.runs.jfr-threshold and jfr-wait-threshold may not be negative");
		}
		if (maxTasks < 64) {
			throw new IllegalArgumentException("threadline.runs.max-tasks must be at least 64 (a JVM alone has about 20"
					+ " threads; " + maxTasks + " given)");
		}
	}

}
