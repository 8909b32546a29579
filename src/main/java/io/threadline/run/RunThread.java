package io.threadline.run;

/**
 * A thread of a run: its lane id, its Java name, its kernel thread id and the process it
 * ran in (a {@link RunProcess} id, 0 for the runner itself).
 */
public record RunThread(int id, String name, long tid, int process) {
}
