package io.threadline.recorder;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The processor's time-stamp counter read directly, for comparison with
 * {@link System#nanoTime()}: whether a clock cheaper than the JVM's exists for a recorder on
 * this machine. On x86-64 Linux with {@code rdtscp} only: seven instructions ({@code rdtscp},
 * the counter's two halves joined and shifted, the CPU number from {@code TSC_AUX} put in
 * the low 12 bits, return) written to an executable page and called as a critical
 * downcall. Not for the product: its ticks
 * need converting to nanoseconds, which the kernel's clock already does.
 */
final class Rdtscp {

	/** rdtscp; shl rdx,32; or rax,rdx; shl rax,12; and ecx,0xfff; or rax,rcx; ret */
	private static final byte[] CODE = { 0x0F, 0x01, (byte) 0xF9, 0x48, (byte) 0xC1, (byte) 0xE2, 0x20, 0x48, 0x09,
			(byte) 0xD0, 0x48, (byte) 0xC1, (byte) 0xE0, 0x0C, (byte) 0x81, (byte) 0xE1, (byte) 0xFF, 0x0F, 0x00, 0x00,
			0x48, 0x09, (byte) 0xC8, (byte) 0xC3 };

	private static final int PROT_READ = 1;

	private static final int PROT_WRITE = 2;

	private static final int PROT_EXEC = 4;

	private static final int MAP_PRIVATE_ANONYMOUS = 0x22;

	private static final MethodHandle READ = link();

	private Rdtscp() {
	}

	/** Whether the counter can be read here. */
	static boolean available() {
		return READ != null;
	}

	/** The counter shifted left by 12, the CPU number in the low 12 bits. */
	static long read() throws Throwable {
		return (long) READ.invokeExact();
	}

	private static MethodHandle link() {
		try {
			if (!"amd64".equals(System.getProperty("os.arch"))
					|| !Files.readString(Path.of("/proc/cpuinfo")).contains(" rdtscp")) {
				return null;
			}
			Linker linker = Linker.nativeLinker();
			SymbolLookup libc = linker.defaultLookup();
			MethodHandle mmap = linker.downcallHandle(libc.find("mmap").orElseThrow(),
					FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
							ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
			MethodHandle mprotect = linker.downcallHandle(libc.find("mprotect").orElseThrow(), FunctionDescriptor
				.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
			MemorySegment page = ((MemorySegment) mmap.invokeExact(MemorySegment.NULL, 4096L, PROT_READ | PROT_WRITE,
					MAP_PRIVATE_ANONYMOUS, -1, 0L))
				.reinterpret(4096);
			if (page.address() == -1L) {
				return null;
			}
			MemorySegment.copy(CODE, 0, page, ValueLayout.JAVA_BYTE, 0, CODE.length);
			if ((int) mprotect.invokeExact(page, 4096L, PROT_READ | PROT_EXEC) != 0) {
				return null;
			}
			return linker.downcallHandle(page, FunctionDescriptor.of(ValueLayout.JAVA_LONG),
					Linker.Option.critical(false));
		}
		catch (IOException ex) {
			return null;
		}
		catch (Throwable ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

}
