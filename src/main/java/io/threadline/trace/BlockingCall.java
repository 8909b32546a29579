package io.threadline.trace;

/**
 * A call that may block its thread, such as a socket's connect or read, for
 * {@link Work#io(BlockingCall)} and {@link TracedVirtualThreads#blocking}.
 */
@FunctionalInterface
public interface BlockingCall<T, E extends Exception> {

	T call() throws E;

}
