package io.threadline.scenario;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The four ways the ipc scenario moves messages between two processes (§4.3, §5.3), and
 * how the two ends of each meet in the run's temporary directory: the receiver makes its
 * end first ({@link #listen}), then the sender joins it ({@link #connect}).
 */
enum IpcMechanism {

	QUEUE("queue", "Queue"), PIPE("pipe", "Pipe"), MANAGER("manager", "Manager"),
	SHARED_MEMORY("shared-memory", "Shared memory");

	/** The manager process's socket, in the run's temporary directory. */
	static final String MANAGER_SOCKET = "manager.sock";

	/** The receiver's end, made but not yet joined by the sender. */
	@FunctionalInterface
	interface Listening {

		/** Waits for the sender to join and returns the receiver's link. */
		IpcLink accept() throws IOException;

	}

	private final String id;

	private final String title;

	IpcMechanism(String id, String title) {
		this.id = id;
		this.title = title;
	}

	/** The name in parameters, commands and marks. */
	String id() {
		return this.id;
	}

	/** The name in spans and figures. */
	String title() {
		return this.title;
	}

	static IpcMechanism byId(String id) {
		return Arrays.stream(values())
			.filter(m -> m.id.equals(id))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("no IPC mechanism " + id));
	}

	/**
	 * The receiver's side: binds the sockets or creates the mapped file that the sender
	 * will join, in {@code dir}.
	 */
	Listening listen(Path dir, int size) throws IOException {
		return switch (this) {
			case QUEUE -> {
				ServerSocketChannel forth = IpcWire.bind(dir.resolve("queue-to-receiver.sock"));
				ServerSocketChannel back;
				try {
					back = IpcWire.bind(dir.resolve("queue-to-sender.sock"));
				}
				catch (IOException ex) {
					forth.close();
					throw ex;
				}
				yield () -> {
					try (forth; back) {
						SocketChannel in = forth.accept();
						return new IpcQueue(back.accept(), in);
					}
				};
			}
			case PIPE -> {
				ServerSocketChannel server = IpcWire.bind(dir.resolve("pipe.sock"));
				yield () -> {
					try (server) {
						return new IpcPipe(server.accept(), size);
					}
				};
			}
			case MANAGER -> () -> new IpcManager.Proxy(dir.resolve(MANAGER_SOCKET), "to-sender/", "to-receiver/");
			case SHARED_MEMORY -> {
				Path file = dir.resolve("shared-memory.ring");
				IpcRing.createFile(file, size);
				ServerSocketChannel doorbell = IpcWire.bind(dir.resolve("shared-memory-doorbell.sock"));
				yield () -> {
					try (doorbell) {
						return new IpcRing(file, size, false, doorbell.accept());
					}
				};
			}
		};
	}

	/**
	 * The sender's side: joins what the receiver made.
	 */
	IpcLink connect(Path dir, int size) throws IOException {
		return switch (this) {
			case QUEUE -> {
				SocketChannel out = IpcWire.connect(dir.resolve("queue-to-receiver.sock"));
				try {
					yield new IpcQueue(out, IpcWire.connect(dir.resolve("queue-to-sender.sock")));
				}
				catch (IOException ex) {
					out.close();
					throw ex;
				}
			}
			case PIPE -> new IpcPipe(IpcWire.connect(dir.resolve("pipe.sock")), size);
			case MANAGER -> new IpcManager.Proxy(dir.resolve(MANAGER_SOCKET), "to-receiver/", "to-sender/");
			case SHARED_MEMORY -> {
				SocketChannel doorbell = IpcWire.connect(dir.resolve("shared-memory-doorbell.sock"));
				try {
					yield new IpcRing(dir.resolve("shared-memory.ring"), size, true, doorbell);
				}
				catch (IOException ex) {
					doorbell.close();
					throw ex;
				}
			}
		};
	}

}
