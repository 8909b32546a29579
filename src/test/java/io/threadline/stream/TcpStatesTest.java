package io.threadline.stream;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class TcpStatesTest {

	@Test
	void anEndIsEstablishedUntilItsSideClosesItWithDataStillUnsent() throws Exception {
		assumeTrue(TcpStates.end(1, 1).isPresent(), "/proc/net/tcp is readable (Linux)");
		try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
				Socket client = new Socket()) {
			client.setReceiveBufferSize(4096);
			client.connect(listener.getLocalSocketAddress());
			Socket server = listener.accept();
			int serverPort = listener.getLocalPort();
			TcpStates.End open = TcpStates.end(serverPort, client.getLocalPort()).orElseThrow();
			assertThat(open.state()).isEqualTo("ESTABLISHED");
			assertThat(open.closedHere()).isFalse();
			assertThat(TcpStates.end(client.getLocalPort(), serverPort).orElseThrow().state()).isEqualTo("ESTABLISHED");

			// The client reads nothing: the server's last bytes wait in its kernel, ahead
			// of the FIN, once the server has closed.
			server.setSoTimeout(1);
			OutputStream out = server.getOutputStream();
			Thread writer = Thread.ofVirtual().start(() -> {
				try {
					out.write(new byte[1 << 20]);
				}
				catch (Exception ex) {
					// closed under the write: expected
				}
			});
			server.close();
			writer.join();
			TcpStates.End closed = TcpStates.end(serverPort, client.getLocalPort()).orElseThrow();
			assertThat(closed.closedHere()).as(closed.toString()).isTrue();
			assertThat(TcpStates.end(serverPort, 1).orElseThrow().state()).isEqualTo("GONE");
		}
	}

}
