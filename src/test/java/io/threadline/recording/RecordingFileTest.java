package io.threadline.recording;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class RecordingFileTest {

	@TempDir
	Path dir;

	private Path write(String... frames) throws IOException {
		Path file = this.dir.resolve("r.tlrec");
		try (RecordingFile.Writer w = new RecordingFile.Writer(file)) {
			w.frame(RecordingFile.META, "{\"id\":\"r\"}".getBytes(StandardCharsets.UTF_8));
			for (String f : frames) {
				w.frame(RecordingFile.EVENTS, f.getBytes(StandardCharsets.UTF_8));
			}
			w.frame(RecordingFile.END, "{}".getBytes(StandardCharsets.UTF_8));
		}
		return file;
	}

	@Test
	void readsBackWhatWasWritten() throws IOException {
		RecordingFile.Contents c = RecordingFile.read(write("one", "two"));
		assertThat(c.damage()).isNull();
		assertThat(new String(c.meta(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"r\"}");
		assertThat(c.events()).extracting(b -> new String(b, StandardCharsets.UTF_8)).containsExactly("one", "two");
		assertThat(c.end()).isNotNull();
	}

	@Test
	void aTruncatedFileKeepsItsWholeFramesAndSaysWhereItBroke() throws IOException {
		byte[] whole = Files.readAllBytes(write("one", "two"));
		// Cut inside the second EVENTS frame: META and the first survive.
		int cut = RecordingFile.MAGIC.length + (9 + 10) + (9 + 3) + 5;
		RecordingFile.Contents c = RecordingFile.read(new ByteArrayInputStream(Arrays.copyOf(whole, cut)));
		assertThat(c.meta()).isNotNull();
		assertThat(c.events()).hasSize(1);
		assertThat(c.end()).isNull();
		assertThat(c.damage()).isEqualTo("truncated at byte " + (RecordingFile.MAGIC.length + 19 + 12));
	}

	@Test
	void aFlippedByteIsFoundByItsChecksum() throws IOException {
		byte[] bytes = Files.readAllBytes(write("one", "two"));
		int inSecondFrame = RecordingFile.MAGIC.length + 19 + 5 + 1;
		bytes[inSecondFrame] ^= 0x20;
		RecordingFile.Contents c = RecordingFile.read(new ByteArrayInputStream(bytes));
		assertThat(c.events()).isEmpty();
		assertThat(c.damage()).startsWith("checksum mismatch at byte");
	}

	@Test
	void aFileWithoutNotesHasNoneAndTheLastNotesFrameIsTheNotes() throws IOException {
		byte[] plain = Files.readAllBytes(write("one"));
		assertThat(RecordingFile.read(new ByteArrayInputStream(plain)).notes()).isNull();
		// As an export appends them, twice (an imported file exported again).
		byte[] first = RecordingFile.frame(RecordingFile.NOTES, "{\"notes\":[]}".getBytes(StandardCharsets.UTF_8));
		byte[] second = RecordingFile.frame(RecordingFile.NOTES,
				"{\"notes\":[{\"id\":\"a\",\"tNs\":5,\"text\":\"x\"}]}".getBytes(StandardCharsets.UTF_8));
		byte[] exported = new byte[plain.length + first.length + second.length];
		System.arraycopy(plain, 0, exported, 0, plain.length);
		System.arraycopy(first, 0, exported, plain.length, first.length);
		System.arraycopy(second, 0, exported, plain.length + first.length, second.length);
		RecordingFile.Contents c = RecordingFile.read(new ByteArrayInputStream(exported));
		assertThat(c.damage()).isNull();
		assertThat(c.events()).hasSize(1);
		assertThat(c.end()).isNotNull();
		assertThat(new String(c.notes(), StandardCharsets.UTF_8)).contains("\"tNs\":5");
	}

	@Test
	void somethingElseIsNotARecording() throws IOException {
		assertThat(RecordingFile.read(new ByteArrayInputStream("<html>hello</html>".getBytes())).damage())
			.isEqualTo("not a Threadline recording (unknown header)");
		assertThat(RecordingFile.read(new ByteArrayInputStream(new byte[3])).damage())
			.isEqualTo("not a Threadline recording (too short)");
	}

}
