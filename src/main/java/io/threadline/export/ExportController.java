package io.threadline.export;

import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.databind.json.JsonMapper;

import io.threadline.recording.Note;
import io.threadline.recording.Recording;
import io.threadline.recording.RecordingStore;
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

	private final RecordingStore recordings;

	ExportController(RunService runs, JsonMapper json, RecordingStore recordings) {
		this.runs = runs;
		this.json = json;
		this.recordings = recordings;
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

	/**
	 * The thread lanes as SVG, for slides: {@code from} and {@code to} in ms from the
	 * run's start (the whole run by default), {@code width} in pixels.
	 */
	@GetMapping("/timeline.svg")
	ResponseEntity<StreamingResponseBody> svg(@PathVariable String id, @RequestParam(required = false) Double from,
			@RequestParam(required = false) Double to, @RequestParam(defaultValue = "1600") int width) {
		Run run = finished(id);
		TimelineImage.Options options = options(run, from, to, width);
		return ResponseEntity.ok()
			.contentType(MediaType.valueOf("image/svg+xml"))
			.header(HttpHeaders.CONTENT_DISPOSITION, inline(run, ".svg"))
			.body(out -> TimelineImage.svg(run, options, out));
	}

	/** The same picture as PNG, at twice the pixels. */
	@GetMapping("/timeline.png")
	ResponseEntity<StreamingResponseBody> png(@PathVariable String id, @RequestParam(required = false) Double from,
			@RequestParam(required = false) Double to, @RequestParam(defaultValue = "1600") int width) {
		Run run = finished(id);
		TimelineImage.Options options = options(run, from, to, width);
		return ResponseEntity.ok()
			.contentType(MediaType.IMAGE_PNG)
			.header(HttpHeaders.CONTENT_DISPOSITION, inline(run, ".png"))
			.body(out -> TimelineImage.png(run, options, out));
	}

	private static TimelineImage.Options options(Run run, Double fromMs, Double toMs, int width) {
		long end = Math.max(1, TimelineImage.endNs(run));
		double endMs = end / 1e6;
		if (width < TimelineImage.MIN_WIDTH || width > TimelineImage.MAX_WIDTH) {
			throw badParam("width", "width must be " + TimelineImage.MIN_WIDTH + " to " + TimelineImage.MAX_WIDTH
					+ " pixels; got " + width);
		}
		if (fromMs != null && (fromMs.isNaN() || fromMs < 0 || fromMs >= endMs)) {
			throw badParam("from", "from must be 0 to " + String.format(java.util.Locale.ROOT, "%.3f", endMs)
					+ " ms (the run's length), before to; got " + fromMs);
		}
		long fromNs = (fromMs != null) ? (long) (fromMs * 1e6) : 0;
		if (toMs != null && (toMs.isNaN() || toMs * 1e6 <= fromNs)) {
			throw badParam("to", "to must be after from (" + fromNs / 1e6 + " ms); got " + toMs);
		}
		long toNs = (toMs != null) ? Math.min(end, (long) (toMs * 1e6)) : end;
		return new TimelineImage.Options(fromNs, Math.max(toNs, fromNs + 1), width);
	}

	private static ErrorResponseException badParam(String field, String detail) {
		ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
		p.setTitle("Invalid parameter");
		p.setProperty("field", field);
		return new ErrorResponseException(HttpStatus.BAD_REQUEST, p, null);
	}

	private static String inline(Run run, String suffix) {
		return ContentDisposition.inline().filename(run.scenario() + "-" + run.id() + suffix).build().toString();
	}

	/**
	 * One self-contained HTML file that replays the run with no server (a lecture hall
	 * with no network): the dashboard's bundle, the run and its whole log inlined.
	 */
	@GetMapping("/replay.html")
	ResponseEntity<StreamingResponseBody> replay(@PathVariable String id) throws java.io.IOException {
		Run run = finished(id);
		String js;
		String css;
		try {
			js = new org.springframework.core.io.ClassPathResource("static/app/app.js")
				.getContentAsString(StandardCharsets.UTF_8);
			css = new org.springframework.core.io.ClassPathResource("static/app/app.css")
				.getContentAsString(StandardCharsets.UTF_8);
		}
		catch (java.io.FileNotFoundException ex) {
			ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
					"this server was built without its frontend bundle (-Dfrontend.skip=true), so it cannot "
							+ "write a replay file; build it with the frontend");
			p.setTitle("Frontend not built");
			throw new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE, p, null);
		}
		RunView view = run.view();
		byte[] events = io.threadline.recorder.BatchCodec.encode(run.log().read(0, Integer.MAX_VALUE));
		// Its notes, read-only: a replay shows each as the playhead reaches it.
		List<Note> notes = this.recordings.find(id).map(Recording::notes).orElse(List.of());
		String data = "{\"run\":" + this.json.writeValueAsString(view) + ",\"notes\":"
				+ this.json.writeValueAsString(notes) + ",\"events\":\""
				+ java.util.Base64.getEncoder().encodeToString(events) + "\"}";
		StreamingResponseBody body = out -> {
			Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
			w.write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
			w.write("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
			w.write("<title>" + TimelineImage.escape(view.scenario() + " · run " + view.id() + " · Threadline replay")
					+ "</title>\n");
			w.write("<style>\n" + css.replace("</style", "<\\/style") + "\n</style>\n");
			// The run, then the app: it finds the run and replays it with no server.
			w.write("<script>window.__threadlineOffline = " + data.replace("</", "<\\/") + ";</script>\n");
			w.write("<script type=\"module\">\n" + js.replace("</script", "<\\/script") + "\n</script>\n");
			w.write("</head>\n<body>\n<div id=\"app\"></div>\n</body>\n</html>\n");
			w.flush();
		};
		return ResponseEntity.ok()
			.contentType(new MediaType("text", "html", StandardCharsets.UTF_8))
			.header(HttpHeaders.CONTENT_DISPOSITION, disposition(run, ".replay.html"))
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
