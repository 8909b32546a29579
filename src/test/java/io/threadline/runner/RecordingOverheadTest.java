package io.threadline.runner;

import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.threadline.recorder.RecordCost;
import io.threadline.recorder.Recorder;
import io.threadline.scenario.Figure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RecordingOverheadTest {

	@Test
	void theOverheadIsEveryPartOfTheRecordingOverAllTheCpuTime() {
		// 1,000,000 events at 50 ns: 50 ms; drain 10 ms; sampler and detector 5 ms;
		// run threads 985 ms on a CPU, their recording included: 65 ms of 1,000.
		RecordingOverhead o = new RecordingOverhead(1_000_000, 50.0, 10_000_000, 5_000_000, 985_000_000);
		assertThat(o.recordingNanos()).isCloseTo(65_000_000.0, within(1.0));
		assertThat(o.percent()).isCloseTo(6.5, within(1e-9));
		Map<String, Double> f = o.figures().stream().collect(Collectors.toMap(Figure::name, Figure::value));
		assertThat(f).containsEntry(RecordingOverhead.COST_PER_EVENT, 50.0)
			.containsEntry(RecordingOverhead.THREADS_SHARE, 50.0)
			.containsEntry(RecordingOverhead.DRAIN, 10.0)
			.containsEntry(RecordingOverhead.WATCHERS, 5.0)
			.containsKey(RecordingOverhead.OVERHEAD);
	}

	@Test
	void aRunCpuTimeTheSamplerMissedNeverMakesItMoreThanAll() {
		// Short-lived threads the sampler never read: 1 ms seen, 50 ms spent recording.
		RecordingOverhead o = new RecordingOverhead(1_000_000, 50.0, 0, 0, 1_000_000);
		assertThat(o.percent()).isCloseTo(100.0, within(1e-9));
	}

	@Test
	void withoutTheRunsCpuTimeThereIsNoPercentage() {
		RecordingOverhead noKernel = new RecordingOverhead(1000, 50.0, 1_000_000, 0, 0);
		assertThat(noKernel.percent()).isNaN();
		assertThat(noKernel.figures()).extracting(Figure::name).doesNotContain(RecordingOverhead.OVERHEAD);
		RecordingOverhead noDrainClock = new RecordingOverhead(1000, 50.0, -1, 0, 1_000_000);
		assertThat(noDrainClock.figures()).extracting(Figure::name)
			.containsExactly(RecordingOverhead.COST_PER_EVENT, RecordingOverhead.THREADS_SHARE,
					RecordingOverhead.WATCHERS);
	}

	@Test
	void theCostOfAnEventIsMeasuredOnARecorderOfItsOwn() {
		double nanos = RecordCost.perEventNanos();
		assertThat(nanos).isPositive().isFinite();
		assertThat(Recorder.current()).as("the measuring recorder is closed").isNull();
	}

}
