package io.threadline.scenario;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.threadline.trace.Trace;

class AsyncIoScenarioTest {

	private final AsyncIoScenario scenario = new AsyncIoScenario();

	@Test
	void explore() throws Exception {
		for (Map<String, Object> p : List.<Map<String, Object>>of(Map.of(),
				Map.of("requests", 5000, "poolSize", 200, "delayMillis", 200))) {
			long t0 = System.nanoTime();
			var rec = Trace.record(() -> this.scenario.run(Params.validate(this.scenario, p)));
			System.out.println("EXPLORE " + p + " took " + (System.nanoTime() - t0) / 1e6 + " ms, events "
					+ rec.trace().events().size());
			rec.value().forEach((f) -> System.out.println("EXPLORE   " + f));
		}
		long t0 = System.nanoTime();
		var f = this.scenario.run(Params.validate(this.scenario, Map.of()));
		System.out.println("EXPLORE untraced took " + (System.nanoTime() - t0) / 1e6);
		f.forEach((x) -> System.out.println("EXPLORE   " + x));
	}

}
