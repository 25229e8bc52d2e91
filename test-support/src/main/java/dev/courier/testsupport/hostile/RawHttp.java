package dev.courier.testsupport.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * HTTP/1.1 requests written byte for byte, for requests a well-behaved client refuses to send (raw request targets
 * with backslashes, NULs, encoded slashes). One connection per request ({@code Connection: close}).
 */
public final class RawHttp {

    private RawHttp() {}

    /** The answer's status code and body. */
    public record Answer(int status, String body) {}

    /**
     * Sends {@code method target} to 127.0.0.1:{@code port} with {@code headers} and an optional body.
     *
     * <p>The answer is read while the request is still being written: a server may refuse a request before reading
     * all of it (a header past its limit) and close the connection. The rest of the request then meets a reset, and a
     * client that writes first and reads afterwards loses the refusal it was sent. Here a failed write only counts
     * when no answer came.
     */
    public static Answer send(int port, String method, String target, Map<String, String> headers, byte[] body)
            throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(30_000);
            byte[] request = request(port, method, target, headers, body);
            // A thread of its own: a blocked write must never wait for a pool (the common pool has one thread on 2
            // cores).
            CompletableFuture<Void> written = new CompletableFuture<>();
            Thread.ofPlatform().daemon(true).name("raw-http-write").start(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write(request);
                    out.flush();
                    written.complete(null);
                } catch (IOException | RuntimeException e) {
                    written.completeExceptionally(e);
                }
            });
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            IOException readFailure = read(socket.getInputStream(), received);
            if (received.size() == 0 || (readFailure != null && !complete(received.toByteArray()))) {
                IOException failure =
                        readFailure != null ? readFailure : new IOException("connection closed, no answer");
                writeFailure(written).ifPresent(failure::addSuppressed);
                throw failure;
            }
            return parse(received.toByteArray());
        }
    }

    private static byte[] request(int port, String method, String target, Map<String, String> headers, byte[] body) {
        StringBuilder head = new StringBuilder()
                .append(method)
                .append(' ')
                .append(target)
                .append(" HTTP/1.1\r\nHost: 127.0.0.1:")
                .append(port)
                .append("\r\nConnection: close\r\n");
        headers.forEach(
                (name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            request.writeBytes(body);
        }
        return request.toByteArray();
    }

    /** Reads until the server closes; returns the failure that ended the read early, if any. */
    private static IOException read(InputStream in, ByteArrayOutputStream received) {
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                received.write(buffer, 0, n);
            }
            return null;
        } catch (IOException e) {
            return e;
        }
    }

    /** Whether a reset cut nothing off: the head has arrived, and all of a body of a stated length. */
    private static boolean complete(byte[] response) {
        String text = new String(response, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            return false;
        }
        String head = text.substring(0, headEnd).toLowerCase(Locale.ROOT);
        int at = head.indexOf("\r\ncontent-length:");
        if (at < 0) {
            return head.contains("\r\ntransfer-encoding: chunked") && text.endsWith("0\r\n\r\n");
        }
        int end = head.indexOf("\r\n", at + 2);
        long length = Long.parseLong(
                head.substring(at + 17, end < 0 ? head.length() : end).trim());
        return response.length - headEnd - 4 >= length;
    }

    private static Optional<Throwable> writeFailure(CompletableFuture<Void> written) {
        try {
            written.get(5, TimeUnit.SECONDS);
            return Optional.empty();
        } catch (ExecutionException e) {
            return Optional.of(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(e);
        } catch (TimeoutException e) {
            return Optional.of(e);
        }
    }

    private static Answer parse(byte[] response) throws IOException {
        String text = new String(response, StandardCharsets.ISO_8859_1);
        if (!text.startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP answer: " + text.substring(0, Math.min(80, text.length())));
        }
        int status = Integer.parseInt(text.substring(9, 12));
        int headEnd = text.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            return new Answer(status, "");
        }
        String head = text.substring(0, headEnd).toLowerCase(Locale.ROOT);
        byte[] body = Arrays.copyOfRange(response, headEnd + 4, response.length);
        if (head.contains("\r\ntransfer-encoding: chunked")) {
            body = dechunk(body);
        }
        return new Answer(status, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] dechunk(byte[] chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (at < chunked.length) {
            int lineEnd = indexOfCrLf(chunked, at);
            if (lineEnd < 0) {
                break;
            }
            String sizeLine = new String(chunked, at, lineEnd - at, StandardCharsets.ISO_8859_1);
            int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            out.write(chunked, lineEnd + 2, Math.min(size, chunked.length - lineEnd - 2));
            at = lineEnd + 2 + size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOfCrLf(byte[] bytes, int from) {
        for (int i = from; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
