package io.threadline.stream;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;

/**
 * A WebSocket client by hand on a plain socket, for what a library client will not do:
 * stop reading its socket, send malformed or oversized frames, or a STOMP frame split
 * anywhere. Client frames are masked, as RFC 6455 requires.
 */
final class RawWebSocket implements AutoCloseable {

	static final int TEXT = 1;

	static final int BINARY = 2;

	static final int CLOSE = 8;

	static final int PING = 9;

	static final int PONG = 10;

	/** A frame read from the server; {@code opcode} -1 means the connection ended. */
	record Frame(int opcode, byte[] payload) {

		String text() {
			return new String(this.payload, StandardCharsets.UTF_8);
		}

		boolean ended() {
			return this.opcode < 0;
		}

	}

	private final Socket socket;

	private final DataInputStream in;

	private final OutputStream out;

	private final Random masks = new Random(7);

	private RawWebSocket(Socket socket) throws IOException {
		this.socket = socket;
		this.in = new DataInputStream(socket.getInputStream());
		this.out = socket.getOutputStream();
	}

	/**
	 * Opens {@code /ws} with the STOMP sub-protocol; {@code receiveBuffer} > 0 shrinks
	 * the socket's receive window (set before connecting, so the server sees it).
	 */
	static RawWebSocket open(int port, int receiveBuffer) throws IOException {
		Socket s = new Socket();
		if (receiveBuffer > 0) {
			s.setReceiveBufferSize(receiveBuffer);
		}
		s.connect(new InetSocketAddress("localhost", port), 5_000);
		s.setSoTimeout(10_000);
		byte[] key = new byte[16];
		new Random().nextBytes(key);
		s.getOutputStream()
			.write(("GET /ws HTTP/1.1\r\nHost: localhost:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
					+ "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
					+ "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: v12.stomp\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
		String head = readHead(s.getInputStream());
		if (!head.startsWith("HTTP/1.1 101")) {
			s.close();
			throw new IOException("handshake refused: " + head.lines().findFirst().orElse(head));
		}
		return new RawWebSocket(s);
	}

	/** The status line's code of a handshake with these request headers, by hand. */
	static int handshakeStatus(int port, String headers) throws IOException {
		String[] status = handshakeHead(port, headers).split(" ", 3);
		return status.length > 1 ? Integer.parseInt(status[1]) : -1;
	}

	/**
	 * The response head (status line and headers) of a handshake with these request
	 * headers, by hand.
	 */
	static String handshakeHead(int port, String headers) throws IOException {
		try (Socket s = new Socket("localhost", port)) {
			s.setSoTimeout(10_000);
			s.getOutputStream()
				.write(("GET /ws HTTP/1.1\r\nHost: localhost:" + port + "\r\n" + headers + "\r\n")
					.getBytes(StandardCharsets.ISO_8859_1));
			return readHead(s.getInputStream());
		}
	}

	private static String readHead(InputStream in) throws IOException {
		StringBuilder head = new StringBuilder();
		int c;
		while ((c = in.read()) != -1) {
			head.append((char) c);
			if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
				break;
			}
		}
		return head.toString();
	}

	void timeout(int millis) throws SocketException {
		this.socket.setSoTimeout(millis);
	}

	void sendText(String text) throws IOException {
		send(TEXT, text.getBytes(StandardCharsets.UTF_8));
	}

	void send(int opcode, byte[] payload) throws IOException {
		ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 14);
		f.write(0x80 | opcode);
		if (payload.length < 126) {
			f.write(0x80 | payload.length);
		}
		else if (payload.length < 65536) {
			f.write(0x80 | 126);
			f.write(payload.length >>> 8);
			f.write(payload.length);
		}
		else {
			f.write(0x80 | 127);
			for (int shift = 56; shift >= 0; shift -= 8) {
				f.write((int) ((long) payload.length >>> shift));
			}
		}
		byte[] mask = new byte[4];
		this.masks.nextBytes(mask);
		f.write(mask);
		for (int i = 0; i < payload.length; i++) {
			f.write(payload[i] ^ mask[i & 3]);
		}
		this.out.write(f.toByteArray());
		this.out.flush();
	}

	/**
	 * The next frame, whole; a timeout throws {@link SocketTimeoutException}; the end of
	 * the connection (EOF or reset) is a frame with opcode -1.
	 */
	Frame read() throws IOException {
		try {
			int b0 = this.in.readUnsignedByte();
			int b1 = this.in.readUnsignedByte();
			long length = b1 & 0x7f;
			if (length == 126) {
				length = this.in.readUnsignedShort();
			}
			else if (length == 127) {
				length = this.in.readLong();
			}
			if (length > (64 << 20)) {
				throw new IOException("frame of " + length + " bytes");
			}
			byte[] payload = new byte[(int) length];
			this.in.readFully(payload);
			return new Frame(b0 & 0x0f, payload);
		}
		catch (EOFException ex) {
			return new Frame(-1, new byte[0]);
		}
		catch (SocketTimeoutException ex) {
			throw ex;
		}
		catch (SocketException ex) { // reset by the server
			return new Frame(-1, ex.getMessage().getBytes(StandardCharsets.UTF_8));
		}
	}

	/**
	 * Reads and discards until the server ends the connection; false if it is still open
	 * when the socket's timeout passes with nothing to read.
	 */
	/** This client's end's port: with the server's, it names the connection. */
	int localPort() {
		return this.socket.getLocalPort();
	}

	boolean drainToEnd() throws IOException {
		byte[] buffer = new byte[64 << 10];
		try {
			while (true) {
				if (this.socket.getInputStream().read(buffer) < 0) {
					return true;
				}
			}
		}
		catch (SocketTimeoutException ex) {
			return false;
		}
		catch (SocketException ex) {
			return true; // reset
		}
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
