package dev.courier.testsupport.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.RepeatedTest;

/**
 * A server that refuses a request before reading all of it, as Tomcat does with a header past its limit: it reads a
 * little, answers 400 and closes, so that the rest of the request meets a reset. The refusal must still be read
 * (before the fix the write failed first and the answer was lost: {@code got no answer} in a property test).
 */
class RawHttpIT {

    @RepeatedTest(5)
    void readsARefusalSentBeforeTheRequestWasReadWhole() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> refusing = new CompletableFuture<>();
            Thread.ofPlatform().daemon(true).start(() -> {
                refuseEarly(server);
                refusing.complete(null);
            });
            // Far more than any socket buffer on loopback holds, so the write cannot finish before the close.
            String hugeHeader = "x".repeat(32 * 1024 * 1024);

            RawHttp.Answer answer = RawHttp.send(
                    server.getLocalPort(), "POST", "/api", Map.of("Idempotency-Key", hugeHeader), new byte[] {'{', '}'
                    });

            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.body()).isEqualTo("header too large");
            refusing.join();
        }
    }

    private static void refuseEarly(ServerSocket server) {
        try (Socket socket = server.accept()) {
            InputStream in = socket.getInputStream();
            in.readNBytes(8192);
            byte[] body = "header too large".getBytes(StandardCharsets.US_ASCII);
            OutputStream out = socket.getOutputStream();
            out.write(("HTTP/1.1 400 Bad Request\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
