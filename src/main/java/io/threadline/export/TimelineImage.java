package io.threadline.export;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.TexturePaint;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.imageio.ImageIO;

import io.threadline.recorder.EventBatch;
import io.threadline.recorder.ThreadState;
import io.threadline.run.Run;
import io.threadline.run.RunThread;
import io.threadline.run.RunView;

/**
 * A run's thread lanes as a picture for slides, in the presenter theme (large type, high
 * contrast, the Okabe–Ito state colours the dashboard uses, runnable hatched and I/O
 * striped so they read without colour): a title, a time axis, one lane per thread with
 * its name, a legend. Each pixel column of a lane shows the state the thread spent most
 * of that column's time in. SVG is vector (scales on any projector); PNG is the same
 * drawing, at twice the pixels for sharp text.
 */
final class TimelineImage {

	/** What to draw: a time range (ns from the run's start) and the width in pixels. */
	record Options(long fromNs, long toNs, int widthPx) {
	}

	/** The widths allowed, in CSS pixels. */
	static final int MIN_WIDTH = 400;

	static final int MAX_WIDTH = 4000;

	/** Lanes drawn at most; the rest are counted under the last. */
	static final int MAX_LANES = 64;

	private static final String[] STATE_COLORS = { "#009E73", "#F0E442", "#D55E00", "#E69F00", "#56B4E9", "#56B4E9",
			"#C4C8CE" };

	private static final String[] STATE_LABELS = { "running", "runnable (waiting for a CPU)", "blocked on a lock",
			"waiting", "sleeping", "I/O", "idle pool worker" };

	private static final int NAME_W = 230;

	private static final int TITLE_H = 58;

	private static final int AXIS_H = 34;

	private static final int LANE_H = 34;

	private static final int LEGEND_H = 56;

	private static final int PAD = 16;

	/** The drawing operations both formats implement. */
	interface Painter {

		void rect(double x, double y, double w, double h, String color);

		/** A state's fill: plain, or hatched for runnable and striped for I/O. */
		void state(double x, double y, double w, double h, int state);

		void line(double x1, double y1, double x2, double y2, String color, double width);

		void text(double x, double y, String text, int sizePx, boolean bold, String color, boolean alignEnd);

	}

	private final Run run;

	private final Options options;

	private final List<RunThread> threads;

	private final int width;

	private final int height;

	private final int plotW;

	/** Per drawn lane, per pixel column, time in each state (ns). */
	private final float[][][] columns;

	private TimelineImage(Run run, Options options) {
		this.run = run;
		this.options = options;
		RunView view = run.view();
		this.threads = view.threads().subList(0, Math.min(MAX_LANES, view.threads().size()));
		this.width = options.widthPx();
		this.plotW = this.width - NAME_W - PAD;
		int lanes = this.threads.size() + ((view.threads().size() > MAX_LANES) ? 1 : 0);
		this.height = TITLE_H + AXIS_H + Math.max(1, lanes) * LANE_H + LEGEND_H;
		this.columns = new float[this.threads.size()][][];
		gather();
	}

	/** The run's end on its clock: its last event's time. */
	static long endNs(Run run) {
		long end = 0;
		long from = Math.max(0, run.log().size() - 1);
		EventBatch last = run.log().read(from, 1);
		if (last.count() > 0) {
			end = last.tNs(0);
		}
		return end;
	}

	private void gather() {
		Map<Integer, Integer> row = new HashMap<>();
		Map<Integer, Integer> processOf = new HashMap<>();
		for (int r = 0; r < this.threads.size(); r++) {
			row.put(this.threads.get(r).id(), r);
			this.columns[r] = new float[this.plotW][];
		}
		this.run.view().threads().forEach(t -> processOf.put(t.id(), t.process()));
		double nsPerPx = (double) (this.options.toNs() - this.options.fromNs()) / this.plotW;
		LaneStates states = new LaneStates((lane, state, obj, from, to) -> {
			Integer r = row.get(lane);
			long a = Math.max(from, this.options.fromNs());
			long b = Math.min(to, this.options.toNs());
			if (r == null || b <= a) {
				return;
			}
			int c0 = (int) Math.floor((a - this.options.fromNs()) / nsPerPx);
			int c1 = Math.min(this.plotW - 1, (int) Math.floor((b - this.options.fromNs()) / nsPerPx));
			for (int c = Math.max(0, c0); c <= c1; c++) {
				double colFrom = this.options.fromNs() + c * nsPerPx;
				double overlap = Math.min(b, colFrom + nsPerPx) - Math.max(a, colFrom);
				if (overlap > 0) {
					float[] col = this.columns[r][c];
					if (col == null) {
						col = new float[ThreadState.TERMINATED.ordinal()];
						this.columns[r][c] = col;
					}
					col[state] += (float) overlap;
				}
			}
		}, processOf);
		long end = 0;
		long from = 0;
		for (EventBatch batch; (batch = this.run.log().read(from, 1 << 16)).count() > 0; from += batch.count()) {
			for (int i = 0; i < batch.count(); i++) {
				states.accept(batch, i);
				end = Math.max(end, batch.tNs(i));
			}
		}
		states.finish(end);
	}

	private void paint(Painter p) {
		RunView view = this.run.view();
		p.rect(0, 0, this.width, this.height, "#FFFFFF");
		String title = view.scenario() + " · run " + view.id() + " · " + view.status()
				+ ((view.durationMs() != null) ? " · " + formatMs(view.durationMs()) : "");
		p.text(PAD, 36, title, 22, true, "#111111", false);
		// Axis: about one tick every 120 px, at 1, 2 or 5 times a power of ten.
		double span = this.options.toNs() - this.options.fromNs();
		double step = niceStep(span * 120 / this.plotW);
		double first = Math.ceil(this.options.fromNs() / step) * step;
		int axisY = TITLE_H + AXIS_H - 6;
		int lanesTop = TITLE_H + AXIS_H;
		int lanesBottom = lanesTop + this.threads.size() * LANE_H;
		for (double t = first; t <= this.options.toNs() + 1; t += step) {
			double x = NAME_W + (t - this.options.fromNs()) / span * this.plotW;
			p.line(x, axisY, x, lanesBottom, "#D0D4DA", 1);
			p.text(x + 4, axisY - 6, formatTick(t, step), 15, false, "#333333", false);
		}
		p.line(NAME_W, axisY, this.width - PAD, axisY, "#333333", 1.5);
		for (int r = 0; r < this.threads.size(); r++) {
			double y = lanesTop + r * LANE_H;
			if (r % 2 == 1) {
				p.rect(0, y, this.width, LANE_H, "#F4F6F8");
			}
			p.text(NAME_W - 12, y + LANE_H / 2.0 + 6, ellipsize(this.threads.get(r).name(), 24), 16, true, "#111111",
					true);
			drawLane(p, r, y + 5, LANE_H - 10);
		}
		if (this.run.view().threads().size() > MAX_LANES) {
			p.text(NAME_W - 12, lanesBottom + LANE_H / 2.0 + 6,
					"+" + (this.run.view().threads().size() - MAX_LANES) + " more threads", 15, false, "#333333", true);
		}
		// Legend.
		double x = PAD;
		double ly = this.height - LEGEND_H / 2.0;
		for (int s = 0; s < STATE_LABELS.length; s++) {
			p.state(x, ly - 9, 22, 18, s);
			p.text(x + 28, ly + 6, STATE_LABELS[s], 15, false, "#111111", false);
			x += 28 + STATE_LABELS[s].length() * 8.2 + 22;
		}
	}

	/** One lane: runs of columns with the same dominant state, one shape each. */
	private void drawLane(Painter p, int r, double y, double h) {
		float[][] cols = this.columns[r];
		int runStart = -1;
		int runState = -1;
		for (int c = 0; c <= cols.length; c++) {
			int s = (c < cols.length) ? dominant(cols[c]) : -1;
			if (s != runState) {
				if (runState >= 0) {
					p.state(NAME_W + runStart, y, c - runStart, h, runState);
				}
				runStart = c;
				runState = s;
			}
		}
	}

	private static int dominant(float[] col) {
		if (col == null) {
			return -1;
		}
		int best = -1;
		float most = 0;
		for (int s = 0; s < col.length; s++) {
			if (col[s] > most) {
				most = col[s];
				best = s;
			}
		}
		return best;
	}

	/** Writes the SVG. */
	static void svg(Run run, Options options, OutputStream stream) throws IOException {
		TimelineImage image = new TimelineImage(run, options);
		Writer w = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
		w.write("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + image.width + "\" height=\"" + image.height
				+ "\" viewBox=\"0 0 " + image.width + " " + image.height
				+ "\" font-family=\"DejaVu Sans, Verdana, Arial, sans-serif\">\n");
		w.write("<defs><pattern id=\"runnable\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\">"
				+ "<rect width=\"8\" height=\"8\" fill=\"" + STATE_COLORS[1] + "\"/>"
				+ "<path d=\"M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4\" stroke=\"#6b6000\" stroke-width=\"1.6\"/></pattern>"
				+ "<pattern id=\"io\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\">"
				+ "<rect width=\"8\" height=\"8\" fill=\"" + STATE_COLORS[5] + "\"/>"
				+ "<rect x=\"5\" width=\"3\" height=\"8\" fill=\"#1f6f9f\"/></pattern></defs>\n");
		image.paint(new Painter() {
			@Override
			public void rect(double x, double y, double width, double height, String color) {
				write(w, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"%s\"/>\n", x, y, width, height,
						color);
			}

			@Override
			public void state(double x, double y, double width, double height, int state) {
				String fill = (state == ThreadState.RUNNABLE.ordinal()) ? "url(#runnable)"
						: (state == ThreadState.IO.ordinal()) ? "url(#io)" : STATE_COLORS[state];
				write(w, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"%s\"><title>%s</title></rect>\n", x,
						y, width, height, fill, STATE_LABELS[state]);
			}

			@Override
			public void line(double x1, double y1, double x2, double y2, String color, double width) {
				write(w, "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"%s\" stroke-width=\"%s\"/>\n", x1, y1,
						x2, y2, color, width);
			}

			@Override
			public void text(double x, double y, String text, int size, boolean bold, String color, boolean alignEnd) {
				write(w, "<text x=\"%s\" y=\"%s\" font-size=\"%d\" font-weight=\"%s\" fill=\"%s\"%s>%s</text>\n", x, y,
						size, bold ? "bold" : "normal", color, alignEnd ? " text-anchor=\"end\"" : "", escape(text));
			}
		});
		w.write("</svg>\n");
		w.flush();
	}

	/** Writes the PNG, at twice the pixels of the SVG. */
	static void png(Run run, Options options, OutputStream stream) throws IOException {
		TimelineImage image = new TimelineImage(run, options);
		int scale = 2;
		BufferedImage img = new BufferedImage(image.width * scale, image.height * scale, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = img.createGraphics();
		try {
			g.scale(scale, scale);
			g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
			g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
			TexturePaint runnable = texture(STATE_COLORS[1], "#6b6000", true);
			TexturePaint io = texture(STATE_COLORS[5], "#1f6f9f", false);
			image.paint(new Painter() {
				@Override
				public void rect(double x, double y, double w, double h, String color) {
					g.setPaint(Color.decode(color));
					g.fill(new java.awt.geom.Rectangle2D.Double(x, y, w, h));
				}

				@Override
				public void state(double x, double y, double w, double h, int state) {
					g.setPaint((state == ThreadState.RUNNABLE.ordinal()) ? runnable
							: (state == ThreadState.IO.ordinal()) ? io : Color.decode(STATE_COLORS[state]));
					g.fill(new java.awt.geom.Rectangle2D.Double(x, y, w, h));
				}

				@Override
				public void line(double x1, double y1, double x2, double y2, String color, double width) {
					g.setPaint(Color.decode(color));
					g.setStroke(new BasicStroke((float) width));
					g.draw(new java.awt.geom.Line2D.Double(x1, y1, x2, y2));
				}

				@Override
				public void text(double x, double y, String text, int size, boolean bold, String color,
						boolean alignEnd) {
					g.setFont(new Font(Font.SANS_SERIF, bold ? Font.BOLD : Font.PLAIN, size));
					g.setPaint(Color.decode(color));
					float tx = (float) (alignEnd ? x - g.getFontMetrics().stringWidth(text) : x);
					g.drawString(text, tx, (float) y);
				}
			});
		}
		finally {
			g.dispose();
		}
		ImageIO.write(img, "png", stream);
	}

	private static TexturePaint texture(String base, String stripe, boolean diagonal) {
		BufferedImage tile = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
		Graphics2D t = tile.createGraphics();
		t.setPaint(Color.decode(base));
		t.fillRect(0, 0, 16, 16);
		t.setPaint(Color.decode(stripe));
		if (diagonal) {
			t.setStroke(new BasicStroke(3f));
			t.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
			t.drawLine(-4, 4, 4, -4);
			t.drawLine(0, 16, 16, 0);
			t.drawLine(12, 20, 20, 12);
		}
		else {
			t.fillRect(10, 0, 6, 16);
		}
		t.dispose();
		return new TexturePaint(tile, new Rectangle(0, 0, 8, 8));
	}

	private static void write(Writer w, String format, Object... args) {
		Object[] shown = new Object[args.length];
		for (int i = 0; i < args.length; i++) {
			shown[i] = (args[i] instanceof Double d) ? String.format(Locale.ROOT, "%.1f", d) : args[i];
		}
		try {
			w.write(String.format(Locale.ROOT, format, shown));
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	static String escape(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
	}

	private static String ellipsize(String s, int max) {
		return (s.length() <= max) ? s : s.substring(0, max - 1) + "…";
	}

	/** 1, 2 or 5 times a power of ten, at least {@code raw}. */
	static double niceStep(double raw) {
		double p = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1))));
		for (double m : new double[] { 1, 2, 5, 10 }) {
			if (m * p >= raw) {
				return m * p;
			}
		}
		return 10 * p;
	}

	/** A tick's label: µs, ms or s, as precise as the step needs. */
	static String formatTick(double ns, double stepNs) {
		if (stepNs >= 1e9) {
			return trim(ns / 1e9) + " s";
		}
		if (stepNs >= 1e6) {
			return (ns >= 1e9 && stepNs >= 1e8) ? trim(ns / 1e9) + " s" : trim(ns / 1e6) + " ms";
		}
		return trim(ns / 1e3) + " µs";
	}

	private static String trim(double v) {
		String s = String.format(Locale.ROOT, "%.3f", v);
		s = s.replaceAll("0+$", "");
		return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
	}

	private static String formatMs(long ms) {
		return (ms >= 1000) ? trim(ms / 1000.0) + " s" : ms + " ms";
	}

}
