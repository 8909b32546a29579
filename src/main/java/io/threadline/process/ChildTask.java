package io.threadline.process;

/**
 * What a child process runs: a class with a public no-argument constructor, loaded by
 * name in a fresh JVM. Its threads are traced like the runner's (the child records its
 * own events, merged into the run's log); what it returns is its result, and an exception
 * or a halt is how it fails or crashes.
 */
@FunctionalInterface
public interface ChildTask {

	/**
	 * Runs in the child's main thread.
	 * @param context the line channel to and from the parent
	 * @param args the arguments the parent gave {@link ChildProcess#start}
	 * @return the child's result text, handed to the parent (single line or not)
	 */
	String run(ChildContext context, String[] args) throws Exception;

}
