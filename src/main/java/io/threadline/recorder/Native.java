package io.threadline.recorder;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The two libc calls the recorder needs, through the FFM API: {@code sched_getcpu} (which
 * CPU the calling thread is on, about 9 ns as a critical downcall) and {@code gettid}
 * (the kernel's id of the calling thread, which /proc/self/task names). Both answer -1
 * where libc lacks them, so the recorder still works off Linux, with CPUs shown as
 * unknown.
 */
public final class Native {

	private static final MethodHandle SCHED_GETCPU;

	private static final MethodHandle GETTID;

	static {
		Linker linker = Linker.nativeLinker();
		SymbolLookup libc = linker.defaultLookup();
		// critical(false): these calls neither block nor call back into Java, so the JVM
		// may skip the thread-state transition that makes an ordinary downcall cost ten
		// times more.
		SCHED_GETCPU = libc.find("sched_getcpu")
			.map(a -> linker.downcallHandle(a, FunctionDescriptor.of(ValueLayout.JAVA_INT),
					Linker.Option.critical(false)))
			.orElse(null);
		GETTID = libc.find("gettid")
			.map(a -> linker.downcallHandle(a, FunctionDescriptor.of(ValueLayout.JAVA_INT),
					Linker.Option.critical(false)))
			.orElse(null);
	}

	private Native() {
	}

	/** The CPU the calling thread runs on now, or -1 if unknown. */
	public static int currentCpu() {
		if (SCHED_GETCPU == null) {
			return -1;
		}
		try {
			return (int) SCHED_GETCPU.invokeExact();
		}
		catch (Throwable ex) {
			return -1;
		}
	}

	/** The kernel's thread id of the calling thread, or -1 if unknown. */
	public static int currentTid() {
		if (GETTID == null) {
			return -1;
		}
		try {
			return (int) GETTID.invokeExact();
		}
		catch (Throwable ex) {
			return -1;
		}
	}

}
