package io.threadline.run;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import io.threadline.ThreadlineApplication;
import io.threadline.recorder.BatchCodec;
import io.threadline.recording.RecordingFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A disk that fills up while a run records: the recordings directory is a real 8 MB
 * filesystem (a tmpfs; mounting one needs root, as CI has), filled to the last byte in
 * the middle of a run. The run goes on and says its recording stopped; the recording
 * keeps every event written before and says where it stopped; the server stays healthy
 * and, with space again, records the next run whole.
 */
class RecordingDiskFullIT {

	@TempDir
	Path temp;

	@Test
	void aFullDiskStopsTheRecordingNotTheRunAndKeepsWhatWasWritten() throws Exception {
		Path disk = this.temp.resolve("disk");
		Files.createDirectories(disk);
		mountSmallDisk(disk);
		try (ConfigurableApplicationContext server = new SpringApplicationBuilder(ThreadlineApplication.class)
			.run("--server.port=0", "--threadline.recordings.dir=" + disk, "--threadline.runs.warm-runner=false")) {
			Api api = new Api(Integer.parseInt(server.getEnvironment().getProperty("local.server.port")));
			String id = api.start("cpu-vs-io", RunControlIT.ENDLESS).get("id").asString();
			api.awaitRun(id, r -> r.get("status").asString().equals("RUNNING") && r.get("eventCount").asLong() > 100,
					Duration.ofSeconds(30));
			assertThat(disk.resolve(id + ".partial")).exists();

			Path filler = disk.resolve("filler");
			fill(filler);
			JsonNode broken = api.awaitRun(id, r -> r.hasNonNull("recordingProblem"), Duration.ofSeconds(30));
			assertThat(broken.get("recordingProblem").asString()).contains("the recording stopped after event")
				.contains("the run went on");
			assertThat(broken.get("status").asString()).isEqualTo("RUNNING");
			long atFailure = broken.get("eventCount").asLong();
			api.awaitRun(id, r -> r.get("eventCount").asLong() > atFailure, Duration.ofSeconds(30));
			assertThat(api.json(api.get("/actuator/health")).get("status").asString()).isEqualTo("UP");

			Files.delete(filler); // space again: the recording's end can be written
			assertThat(api.post("/api/runs/" + id + "/cancel", "").statusCode()).isEqualTo(202);
			JsonNode run = api.awaitEnded(id, Duration.ofSeconds(30));
			assertThat(run.get("status").asString()).isEqualTo("CANCELLED");

			JsonNode recording = recording(api, id);
			long kept = recording.get("eventCount").asLong();
			assertThat(kept).as("events recorded before the disk filled")
				.isPositive()
				.isLessThan(run.get("eventCount").asLong());
			RecordingFile.Contents file = RecordingFile.read(disk.resolve(id + ".tlrec"));
			assertThat(file.damage()).isNull();
			assertThat(file.events().stream().mapToLong(b -> BatchCodec.decode(b).count()).sum()).isEqualTo(kept);
			assertThat(Api.json.readTree(file.end()).get("error").asString()).contains("cancelled on request")
				.contains("the recording stopped after event");

			String next = api.start("race-condition", "{\"threads\":2,\"increments\":1000}").get("id").asString();
			JsonNode whole = api.awaitEnded(next, Duration.ofSeconds(60));
			assertThat(whole.get("status").asString()).isEqualTo("SUCCEEDED");
			assertThat(whole.hasNonNull("recordingProblem")).isFalse();
			assertThat(recording(api, next).get("eventCount").asLong()).isEqualTo(whole.get("eventCount").asLong());
		}
		finally {
			command("umount", "-l", disk.toString());
		}
	}

	/**
	 * The run's recording: listed by the time the server says the run has ended (it
	 * answers a wait for the end once the recording is stored).
	 */
	private static JsonNode recording(Api api, String id) {
		api.awaitEnded(id, Duration.ofSeconds(30));
		for (JsonNode r : api.json(api.get("/api/recordings")).get("recordings")) {
			if (r.get("id").asString().equals(id)) {
				return r;
			}
		}
		throw new AssertionError("run " + id + " has ended but its recording is not listed");
	}

	/** Writes until the filesystem refuses: the disk is then full. */
	private static void fill(Path filler) {
		byte[] chunk = new byte[64 << 10];
		try (OutputStream out = Files.newOutputStream(filler)) {
			for (int i = 0; i < 1024; i++) {
				out.write(chunk);
				out.flush();
			}
			throw new AssertionError("wrote 64 MB to an 8 MB disk");
		}
		catch (IOException full) {
			assertThat(full.getMessage()).contains("No space left");
		}
	}

	private static void mountSmallDisk(Path at) throws Exception {
		int exit = command("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", at.toString());
		Assumptions.assumeTrue(exit == 0, "mounting an 8 MB tmpfs needs root (CI runs as root); exit " + exit);
	}

	private static int command(String... args) throws Exception {
		Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
		p.getInputStream().transferTo(OutputStream.nullOutputStream());
		return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
	}

}
