package io.threadline.run;

/**
 * A child process a run started: its id (the {@code process} of its threads), its name,
 * its OS pid, and its exit status once it ended (null while it runs; 0 normal, the exit
 * code otherwise, 128 + n when killed by signal n).
 */
public record RunProcess(int id, String name, long pid, Integer exitStatus) {
}
