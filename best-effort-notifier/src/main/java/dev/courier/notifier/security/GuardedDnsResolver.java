package dev.courier.notifier.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;

/**
 * Resolves a receiver's host and refuses it if any of its addresses is internal. The HTTP client connects to exactly
 * the addresses returned here, so a host cannot pass the check with one address and be reached on another (DNS
 * rebinding).
 */
public final class GuardedDnsResolver implements DnsResolver {

    private final AddressPolicy policy;
    private final DnsResolver delegate;

    public GuardedDnsResolver(AddressPolicy policy) {
        this(policy, SystemDefaultDnsResolver.INSTANCE);
    }

    GuardedDnsResolver(AddressPolicy policy, DnsResolver delegate) {
        this.policy = policy;
        this.delegate = delegate;
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        InetAddress[] addresses = delegate.resolve(host);
        for (InetAddress address : addresses) {
            Optional<String> refusal = policy.refusal(address);
            if (refusal.isPresent()) {
                throw new BlockedAddressException(host, refusal.get());
            }
        }
        return addresses;
    }

    @Override
    public String resolveCanonicalHostname(String host) throws UnknownHostException {
        return delegate.resolveCanonicalHostname(host);
    }
}
