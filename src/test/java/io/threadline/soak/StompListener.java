package io.threadline.soak;

import java.io.ByteArrayOutputStream;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;

/**
 * A viewer's WebSocket listener that hands on whole STOMP frames (a frame may arrive in
 * parts, text or binary), one at a time: what the soak's viewers and the load generator's
 * share.
 */
abstract class StompListener implements WebSocket.Listener {

	private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

	@Override
	public void onOpen(WebSocket webSocket) {
		webSocket.request(1);
	}

	@Override
	public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		return onBytes(webSocket, data.toString().getBytes(StandardCharsets.UTF_8), last);
	}

	@Override
	public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
		byte[] bytes = new byte[data.remaining()];
		data.get(bytes);
		return onBytes(webSocket, bytes, last);
	}

	private CompletionStage<?> onBytes(WebSocket webSocket, byte[] bytes, boolean last) {
		long arrived = System.currentTimeMillis();
		this.partial.writeBytes(bytes);
		if (last) {
			byte[] frame = this.partial.toByteArray();
			this.partial.reset();
			try {
				frame(frame, arrived);
			}
			catch (RuntimeException ex) {
				fail("bad frame: " + ex);
			}
		}
		webSocket.request(1);
		return null;
	}

	/** A whole frame, whose last part arrived at {@code arrivedMs} (epoch ms). */
	abstract void frame(byte[] frame, long arrivedMs);

	/** Something went wrong for this viewer. */
	abstract void fail(String why);

}
