package io.threadline.recording;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

import io.threadline.recorder.BatchCodec;
import io.threadline.recorder.EventBatch;
import io.threadline.run.Run;

/**
 * A recording being written while its run records: the partial file, how far into the
 * run's log it is, and, once a write failed (a full disk), what went wrong. A failed
 * recording is cut back to its last whole frame and written no further; when the run
 * ends, its end is added if the disk allows, so the recording keeps every event written
 * before the failure and says where it stopped.
 */
final class ActiveRecording {

	final Path partial;

	private RecordingFile.Writer writer;

	/** Events handed to the writer. */
	private long seq;

	/** Events the OS has taken (the file holds them whole). */
	private long committed;

	/** Why writing stopped, or null while it goes on. */
	private String problem;

	ActiveRecording(Path partial, RecordingFile.Writer writer) {
		this.partial = partial;
		this.writer = writer;
	}

	/**
	 * Writes the run's events the file does not have yet, and hands them to the OS:
	 * {@code batch} as the runner encoded it when it is the next one (an EVENTS frame
	 * holds a batch of the wire format, {@link RecordingFile}), else whatever the file
	 * lacks, from the log.
	 */
	void append(Run run, EventBatch batch, byte[] encoded) throws IOException {
		if (this.problem != null) {
			return;
		}
		if (batch.firstSeq() == this.seq && batch.count() > 0) {
			this.writer.frame(RecordingFile.EVENTS, encoded);
			this.seq += batch.count();
		}
		append(run);
	}

	/** Writes the run's events the file does not have yet, and hands them to the OS. */
	void append(Run run) throws IOException {
		if (this.problem != null) {
			return;
		}
		for (EventBatch b; (b = run.log().read(this.seq, 1 << 16)).count() > 0;) {
			this.writer.frame(RecordingFile.EVENTS, BatchCodec.encode(b));
			this.seq += b.count();
		}
		this.writer.flush();
		this.committed = this.seq;
	}

	/** Adds a frame (the run's end) and forces the file to the disk. */
	void finish(int type, byte[] payload) throws IOException {
		if (this.problem != null) {
			this.writer = new RecordingFile.Writer(this.partial, true);
		}
		this.writer.frame(type, payload);
		this.writer.sync();
		this.writer.close();
	}

	/**
	 * A write failed: cuts the file back to its last whole frame (which also frees what
	 * the torn one took) and stops writing.
	 */
	void breakOff(Exception cause) {
		long keep = this.writer.flushedBytes();
		this.writer.abort();
		this.problem = "the recording stopped after event " + String.format("%,d", this.committed)
				+ " because writing it failed (" + cause.getMessage() + "); the run went on";
		try (RandomAccessFile file = new RandomAccessFile(this.partial.toFile(), "rw")) {
			file.setLength(keep);
		}
		catch (IOException ex) {
			// a reader stops at the torn frame anyway
		}
	}

	/** Closes without finishing (the recording is given up). */
	void abort() {
		this.writer.abort();
	}

	/** Why writing stopped, or null. */
	String problem() {
		return this.problem;
	}

	/** Events the file holds. */
	long committed() {
		return this.committed;
	}

}
