package dev.courier.notifier.security;

import java.net.UnknownHostException;

/**
 * A receiver's host resolved to an address the SSRF guard refuses. An {@link UnknownHostException}, so that the
 * HTTP client fails the attempt before connecting.
 */
public final class BlockedAddressException extends UnknownHostException {

    public BlockedAddressException(String host, String reason) {
        super("refused by the SSRF guard: " + host + " -> " + reason);
    }
}
