package io.threadline.web;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.threadline.run.UnknownScenarioException;
import io.threadline.scenario.Param;
import io.threadline.scenario.ParamType;
import io.threadline.scenario.Scenario;
import io.threadline.scenario.ScenarioCatalogue;

/** The scenario catalogue with each scenario's parameter schema. */
@RestController
@RequestMapping("/api/scenarios")
class ScenarioApi {

	record ParamView(String name, ParamType type, @JsonProperty("default") Object defaultValue, Number min, Number max,
			String unit, String description, List<String> options) {

		static ParamView of(Param p) {
			return new ParamView(p.name(), p.type(), p.defaultValue(), p.min(), p.max(), p.unit(), p.description(),
					p.options());
		}

	}

	record ScenarioView(String id, String group, String title, String summary, String teaching,
			List<ParamView> parameters, List<SourceLine> source) {

		static ScenarioView of(Scenario s) {
			return new ScenarioView(s.id(), ScenarioCatalogue.group(s), s.title(), s.summary(), s.teaching(),
					s.parameters().stream().map(ParamView::of).toList(), SourceLine.parse(s.source()));
		}

	}

	@GetMapping
	List<ScenarioView> list() {
		return ScenarioCatalogue.all().stream().map(ScenarioView::of).toList();
	}

	@GetMapping("/{id}")
	ScenarioView get(@PathVariable String id) {
		return ScenarioCatalogue.find(id)
			.map(ScenarioView::of)
			.orElseThrow(() -> new ScenarioNotFoundException(new UnknownScenarioException(id,
					String.join(", ", ScenarioCatalogue.all().stream().map(Scenario::id).toList()))
				.getMessage()));
	}

}
