package dev.courier.outbox.wakeup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The LISTEN connection's sockets, over a real loopback connection. */
class PromptProbeSocketFactoryTest {

    ServerSocket server;
    Socket client;
    Socket peer;

    @BeforeEach
    void connect() throws Exception {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
            try {
                return server.accept();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        client = new PromptProbeSocketFactory().createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        peer = accepted.get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() throws Exception {
        client.close();
        peer.close();
        server.close();
    }

    @Test
    void aProbeWithNothingReceivedFailsWithoutWaitingOutItsTimeout() throws Exception {
        client.setSoTimeout(PromptProbeSocketFactory.PROBE_TIMEOUT_MILLIS);
        InputStream input = client.getInputStream();
        int probes = 500;
        long started = System.nanoTime();
        for (int i = 0; i < probes; i++) {
            assertThatThrownBy(() -> input.read(new byte[16], 0, 16)).isInstanceOf(SocketTimeoutException.class);
        }
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        // A plain socket waits out every 1 ms timeout: 500 probes take at least 500 ms there.
        assertThat(elapsedMillis).isLessThan(probes / 2);
    }

    @Test
    void aProbeReadsWhatHasArrived() throws Exception {
        OutputStream output = peer.getOutputStream();
        output.write(new byte[] {'A', 1, 2});
        output.flush();
        InputStream input = client.getInputStream();
        client.setSoTimeout(5_000);
        assertThat(input.read()).isEqualTo('A'); // waits for the bytes to arrive
        client.setSoTimeout(PromptProbeSocketFactory.PROBE_TIMEOUT_MILLIS);
        byte[] rest = new byte[2];
        assertThat(input.read(rest, 0, 2)).isEqualTo(2);
        assertThat(rest).containsExactly(1, 2);
    }

    @Test
    void anyOtherTimeoutWaitsForBytesAsAPlainSocketDoes() throws Exception {
        client.setSoTimeout(10_000);
        CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
            try {
                return client.getInputStream().read();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        peer.getOutputStream().write(42);
        peer.getOutputStream().flush();
        assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo(42);

        client.setSoTimeout(20);
        assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
    }
}
