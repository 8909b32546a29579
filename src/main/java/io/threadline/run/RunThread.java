package io.threadline.run;

/** A thread of a run: its lane id, its Java name and its kernel thread id. */
public record RunThread(int id, String name, long tid) {
}
