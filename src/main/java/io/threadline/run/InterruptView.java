package io.threadline.run;

/**
 * What "break the deadlock" did: {@code interrupted} the thread (its wait ended with an
 * InterruptedException and the scenario backs off), or {@code ended} the run, because the
 * thread's wait cannot be interrupted (a monitor, a {@code lock()}).
 *
 * @param action {@code interrupted} or {@code ended}
 * @param thread the lane id of the chosen thread
 * @param detail one sentence for the user
 */
public record InterruptView(String action, int thread, String detail) {

	public static final String INTERRUPTED = "interrupted";

	public static final String ENDED = "ended";

}
