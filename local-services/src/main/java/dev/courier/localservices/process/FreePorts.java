package dev.courier.localservices.process;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for test servers that stay free until they are bound: picked from 20000-29999, below the kernel's
 * ephemeral range (32768 and up on Linux), so that no outgoing connection of a busy machine takes one in between;
 * and never handed out twice by this JVM.
 */
public final class FreePorts {

    private static final int FIRST = 20_000;
    private static final int LAST = 29_999;
    private static final Set<Integer> GIVEN = new HashSet<>();

    private FreePorts() {}

    /** A port {@code p} with {@code p - below} to {@code p + above} all free now and never given before. */
    public static synchronized int pick(int below, int above) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(FIRST + below, LAST - above);
            if (unused(port - below, port + above) && free(port - below, port + above)) {
                for (int p = port - below; p <= port + above; p++) {
                    GIVEN.add(p);
                }
                return port;
            }
        }
        throw new IllegalStateException("no free port range found in " + FIRST + "-" + LAST);
    }

    private static boolean unused(int from, int to) {
        for (int port = from; port <= to; port++) {
            if (GIVEN.contains(port)) {
                return false;
            }
        }
        return true;
    }

    private static boolean free(int from, int to) {
        for (int port = from; port <= to; port++) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(false);
                socket.bind(new InetSocketAddress("0.0.0.0", port));
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}
