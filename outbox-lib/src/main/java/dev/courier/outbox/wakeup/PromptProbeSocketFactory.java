package dev.courier.outbox.wakeup;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import javax.net.SocketFactory;

/**
 * Sockets for the LISTEN connection (pgjdbc's {@code socketFactory}) that answer "is more pending?" at once.
 *
 * <p>pgjdbc returns a notification only after asking whether another message follows it: it sets the socket's
 * timeout to 1 ms and reads, so every {@code getNotifications} that received something waits that millisecond out
 * before it returns (measured: NOTIFY to return 1.6 ms at the median with it, 0.6 ms without). On these sockets a
 * read under a 1 ms timeout with no byte received yet fails with the {@link SocketTimeoutException} such a read would
 * end with, without waiting; every other read is the socket's own. A URL that names a socket factory of its own keeps
 * it (pgjdbc's URL settings take precedence), and only loses the millisecond.
 */
public final class PromptProbeSocketFactory extends SocketFactory {

    /** The socket timeout, in milliseconds, that marks pgjdbc's probe for a pending message. */
    public static final int PROBE_TIMEOUT_MILLIS = 1;

    /** pgjdbc instantiates the factory by name, through this constructor. */
    public PromptProbeSocketFactory() {}

    @Override
    public Socket createSocket() {
        return new PromptProbeSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localAddress, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port), new InetSocketAddress(localAddress, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(InetAddress host, int port, InetAddress localAddress, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port), new InetSocketAddress(localAddress, localPort));
    }

    /** A socket connected to {@code server}, from {@code local} (null: any local address). */
    private static Socket connected(InetSocketAddress server, InetSocketAddress local) throws IOException {
        Socket socket = new PromptProbeSocket();
        try {
            if (local != null) {
                socket.bind(local);
            }
            socket.connect(server);
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** A plain socket whose input stream fails a probe read at once when nothing has arrived. */
    static final class PromptProbeSocket extends Socket {

        private volatile int timeoutMillis;
        private InputStream input;

        @Override
        public void setSoTimeout(int timeout) throws SocketException {
            super.setSoTimeout(timeout);
            timeoutMillis = timeout;
        }

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (input == null) {
                input = new PromptProbeInput(super.getInputStream());
            }
            return input;
        }

        private final class PromptProbeInput extends FilterInputStream {

            PromptProbeInput(InputStream socketInput) {
                super(socketInput);
            }

            @Override
            public int read() throws IOException {
                failIfProbingNothing();
                return super.read();
            }

            @Override
            public int read(byte[] bytes, int offset, int length) throws IOException {
                failIfProbingNothing();
                return super.read(bytes, offset, length);
            }

            private void failIfProbingNothing() throws IOException {
                if (timeoutMillis == PROBE_TIMEOUT_MILLIS && in.available() == 0) {
                    throw new SocketTimeoutException("nothing pending (answered without waiting)");
                }
            }
        }
    }
}
