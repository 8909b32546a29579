package io.threadline.process;

/** A child process failed, crashed or was killed before giving what was asked of it. */
public final class ChildProcessException extends RuntimeException {

	private final int exitStatus;

	ChildProcessException(String name, int exitStatus, String error) {
		super("child process " + name + " " + describe(exitStatus)
				+ ((error != null && !error.isBlank()) ? ": " + error.lines().findFirst().orElse("") : ""));
		this.exitStatus = exitStatus;
	}

	/** "exited with status 3", "was killed by signal 9", as a user would read it. */
	public static String describe(int exitStatus) {
		if (exitStatus > 128 && exitStatus < 128 + 65) {
			return "was killed by signal " + (exitStatus - 128);
		}
		return "exited with status " + exitStatus;
	}

	public int exitStatus() {
		return this.exitStatus;
	}

}
