package io.threadline.export;

import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.databind.json.JsonMapper;

import io.threadline.run.Run;
import io.threadline.run.RunService;
import io.threadline.run.RunView;
import io.threadline.scenario.Figure;

/**
 * Exports of a finished run under the recordings' stable URLs (a recording keeps its
 * run's id, so they work for every run, kept or recent): Chrome trace JSON and the
 * figures as CSV.
 */
@RestController
@RequestMapping("/api/recordings/{id}")
class ExportController {

	private final RunService runs;

	private final JsonMapper json;

	ExportController(RunService runs, JsonMapper json) {
		this.runs = runs;
		this.json = json;
	}

	/** Chrome trace event JSON, for Perfetto's UI and chrome://tracing. */
	@GetMapping("/trace.json")
	ResponseEntity<StreamingResponseBody> trace(@PathVariable String id) {
		Run run = finished(id);
		StreamingResponseBody body = out -> ChromeTrace.write(run, this.json, out);
		return ResponseEntity.ok()
			.contentType(MediaType.APPLICATION_JSON)
			.header(HttpHeaders.CONTENT_DISPOSITION, disposition(run, ".trace.json"))
			.body(body);
	}

	/** The run's figures: one row each, RFC 4180 CSV with a header row. */
	@GetMapping("/figures.csv")
	ResponseEntity<StreamingResponseBody> figures(@PathVariable String id) {
		Run run = finished(id);
		RunView view = run.view();
		StreamingResponseBody body = out -> {
			Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
			w.write("run,scenario,status,figure,value,unit\r\n");
			for (Figure f : view.figures()) {
				w.write(String.join(",", csv(view.id()), csv(view.scenario()), csv(view.status().name()), csv(f.name()),
						csv(number(f.value())), csv((f.unit() != null) ? f.unit() : "")));
				w.write("\r\n");
			}
			w.flush();
		};
		return ResponseEntity.ok()
			.contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
			.header(HttpHeaders.CONTENT_DISPOSITION, disposition(run, ".figures.csv"))
			.body(body);
	}

	private Run finished(String id) {
		Run run = this.runs.get(id);
		if (!run.status().isTerminal()) {
			ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
					"run " + id + " is still " + run.status() + "; its exports are ready when it ends");
			p.setTitle("Run not finished");
			p.setProperty("field", "id");
			throw new ErrorResponseException(HttpStatus.CONFLICT, p, null);
		}
		return run;
	}

	private static String disposition(Run run, String suffix) {
		return ContentDisposition.attachment().filename(run.scenario() + "-" + run.id() + suffix).build().toString();
	}

	/** A whole number without ".0", others as Java prints them (full precision). */
	static String number(double v) {
		return (v == Math.rint(v) && Math.abs(v) < 1e15) ? Long.toString((long) v) : Double.toString(v);
	}

	static String csv(String field) {
		if (field.contains(",") || field.contains("\"") || field.contains("\n") || field.contains("\r")) {
			return "\"" + field.replace("\"", "\"\"") + "\"";
		}
		return field;
	}

}
