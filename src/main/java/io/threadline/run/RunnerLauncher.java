package io.threadline.run;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.threadline.runner.RunnerMain;
import io.threadline.sampler.JfrContention;

/**
 * Starts runner JVMs from the server's own classpath: from {@code target/classes} in
 * development (the runner needs no library, so its classpath is that one directory) and
 * through Spring Boot's {@code PropertiesLauncher} from the packaged jar.
 */
final class RunnerLauncher {

	static final String PROPERTIES_LAUNCHER = "org.springframework.boot.loader.launch.PropertiesLauncher";

	private final List<String> command;

	/**
	 * Whether runners start a flight recorder (and so need a repository of their own).
	 */
	private final boolean jfr;

	private final Cgroups cgroups;

	RunnerLauncher(RunProperties properties, Cgroups cgroups) {
		this.cgroups = cgroups;
		this.command = command(properties, RunnerMain.class.getProtectionDomain().getCodeSource().getLocation());
		this.jfr = !new JfrContention.Thresholds(properties.jfrThreshold(), properties.jfrWaitThreshold()).off();
	}

	static List<String> command(RunProperties properties, URL codeSource) {
		List<String> cmd = new ArrayList<>();
		cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		cmd.add("-Xmx" + properties.runnerHeap());
		cmd.add("-Xss" + properties.runnerStack());
		cmd.add("-XX:+ExitOnOutOfMemoryError");
		cmd.add("-XX:-UsePerfData");
		// The JVM's own warnings (a thread it could not start) go to stdout by default,
		// where they would corrupt the frames: stderr instead.
		cmd.add("-Xlog:disable");
		cmd.add("-Xlog:all=warning:stderr");
		cmd.add("--enable-native-access=ALL-UNNAMED");
		cmd.add("-Dfile.encoding=UTF-8");
		// On the command line, not in the job: JFR starts while the runner warms up.
		cmd.add("-D" + JfrContention.PROPERTY + "="
				+ new JfrContention.Thresholds(properties.jfrThreshold(), properties.jfrWaitThreshold()).toProperty());
		String location = codeSource.toString();
		if (location.startsWith("jar:nested:")) {
			// Spring Boot 4's nested-jar URL:
			// jar:nested:/abs/app.jar/!BOOT-INF/classes/!/
			String jar = location.substring("jar:nested:".length(), location.indexOf("/!"));
			cmd.add("-cp");
			cmd.add(new File(jar).getPath());
			cmd.add("-Dloader.main=" + RunnerMain.class.getName());
			cmd.add(PROPERTIES_LAUNCHER);
		}
		else {
			Path path = toPath(codeSource);
			if (!Files.isDirectory(path) && !path.toString().endsWith(".jar")) {
				throw new IllegalStateException("cannot start runners from " + location);
			}
			cmd.add("-cp");
			cmd.add(path.toString());
			cmd.add(RunnerMain.class.getName());
		}
		return List.copyOf(cmd);
	}

	private static Path toPath(URL url) {
		try {
			return Path.of(url.toURI());
		}
		catch (URISyntaxException ex) {
			return Path.of(URI.create(url.toString().replace(" ", "%20")));
		}
	}

	List<String> command() {
		return this.command;
	}

	/**
	 * Starts a runner. With JFR on, each runner gets a JFR repository of its own (JFR
	 * writes its chunks to disk, about 130 KB), deleted when the runner exits: a killed
	 * runner (cancel, deadline, a deadlock) cannot clean up after itself.
	 */
	RunnerProcess launch() throws IOException {
		if (!this.jfr) {
			Process process = withoutJvmOptions(new ProcessBuilder(this.command)).start();
			return new RunnerProcess(process, this.cgroups.confine(process.pid()));
		}
		Path repository = Files.createTempDirectory("threadline-jfr-");
		List<String> cmd = new ArrayList<>(this.command);
		cmd.add(1, "-XX:FlightRecorderOptions:repository=" + repository);
		Process process;
		try {
			process = withoutJvmOptions(new ProcessBuilder(cmd)).start();
		}
		catch (IOException | RuntimeException ex) {
			deleteTree(repository);
			throw ex;
		}
		process.onExit().thenRun(() -> deleteTree(repository));
		return new RunnerProcess(process, this.cgroups.confine(process.pid()));
	}

	/**
	 * The environment variables through which a JVM picks up options besides its command
	 * line. Set for the server (a flight recording, verbose GC), they would reach every
	 * runner too, and whatever such an option prints goes to the runner's standard
	 * output, which is its frame stream to the server: runs failed with "lost the
	 * runner's stream". A runner's options are the server's settings only.
	 */
	static final List<String> JVM_OPTION_VARIABLES = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");

	static ProcessBuilder withoutJvmOptions(ProcessBuilder builder) {
		builder.environment().keySet().removeAll(JVM_OPTION_VARIABLES);
		return builder;
	}

	private static void deleteTree(Path root) {
		try (Stream<Path> paths = Files.walk(root)) {
			paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
		}
		catch (IOException | UncheckedIOException ex) {
			// best effort: a temporary directory
		}
	}

}
