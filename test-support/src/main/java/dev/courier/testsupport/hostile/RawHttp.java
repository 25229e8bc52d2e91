package dev.courier.testsupport.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 requests written byte for byte, for requests a well-behaved client refuses to send (raw request targets
 * with backslashes, NULs, encoded slashes). One connection per request ({@code Connection: close}).
 */
public final class RawHttp {

    private RawHttp() {}

    /** The answer's status code and body. */
    public record Answer(int status, String body) {}

    /** Sends {@code method target} to 127.0.0.1:{@code port} with {@code headers} and an optional body. */
    public static Answer send(int port, String method, String target, Map<String, String> headers, byte[] body)
            throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(30_000);
            StringBuilder head = new StringBuilder()
                    .append(method)
                    .append(' ')
                    .append(target)
                    .append(" HTTP/1.1\r\nHost: 127.0.0.1:")
                    .append(port)
                    .append("\r\nConnection: close\r\n");
            headers.forEach((name, value) ->
                    head.append(name).append(": ").append(value).append("\r\n"));
            if (body != null) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return parse(socket.getInputStream().readAllBytes());
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
