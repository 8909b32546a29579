package io.threadline.soak;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import io.threadline.recorder.BatchCodec;
import io.threadline.recorder.EventBatch;

/**
 * One STOMP frame as a viewer receives it: its command, headers and where its body
 * starts; null for a heart-beat.
 */
record StompFrame(String command, Map<String, String> headers, byte[] bytes, int bodyStart) {

	static StompFrame parse(byte[] frame) {
		int blank = indexOf(frame, "\n\n".getBytes(StandardCharsets.US_ASCII));
		if (blank < 0) {
			return null; // a heart-beat (an empty line)
		}
		String[] head = new String(frame, 0, blank, StandardCharsets.UTF_8).split("\n");
		int start = 0;
		while (start < head.length && head[start].isEmpty()) {
			start++; // heart-beats before the frame
		}
		Map<String, String> headers = new HashMap<>();
		for (int i = start + 1; i < head.length; i++) {
			int colon = head[i].indexOf(':');
			headers.putIfAbsent(head[i].substring(0, colon), head[i].substring(colon + 1));
		}
		return new StompFrame(head[start], headers, frame, blank + 2);
	}

	/**
	 * A MESSAGE's batch, checked against its seq-from and seq-to headers.
	 * @throws IllegalStateException if they disagree
	 */
	EventBatch batch() {
		EventBatch batch = BatchCodec.decodeFrame(body());
		if (batch.firstSeq() != Long.parseLong(this.headers.get("seq-from"))
				|| batch.endSeq() - 1 != Long.parseLong(this.headers.get("seq-to"))) {
			throw new IllegalStateException("seq-from/seq-to headers do not match the batch");
		}
		return batch;
	}

	/** The body: content-length bytes, or up to the frame's closing NUL. */
	byte[] body() {
		return Arrays.copyOfRange(this.bytes, this.bodyStart, this.bodyStart + bodyLength());
	}

	/** Whether the body is {@code body}, byte for byte. */
	boolean bodyIs(byte[] body) {
		return Arrays.equals(this.bytes, this.bodyStart, this.bodyStart + bodyLength(), body, 0, body.length);
	}

	private int bodyLength() {
		return this.headers.containsKey("content-length") ? Integer.parseInt(this.headers.get("content-length"))
				: this.bytes.length - this.bodyStart - 1;
	}

	static int indexOf(byte[] haystack, byte[] needle) {
		outer: for (int i = 0; i + needle.length <= haystack.length; i++) {
			for (int j = 0; j < needle.length; j++) {
				if (haystack[i + j] != needle[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

}
