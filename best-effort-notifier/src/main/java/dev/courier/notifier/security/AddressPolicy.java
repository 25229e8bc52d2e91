package dev.courier.notifier.security;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Which addresses a notification may be sent to. Refused unless allow-listed: loopback, private, link-local (with
 * the cloud metadata address 169.254.169.254), CGNAT, multicast, unspecified, broadcast, reserved and benchmarking
 * ranges, IPv6 unique-local and site-local, and every IPv4 address embedded in an IPv6 one (IPv4-mapped,
 * IPv4-compatible, NAT64 and 6to4), judged by the embedded address.
 */
public final class AddressPolicy {

    private static final List<Cidr> REFUSED = List.of(
            Cidr.parse("0.0.0.0/8"), // this network, unspecified
            Cidr.parse("10.0.0.0/8"),
            Cidr.parse("100.64.0.0/10"), // CGNAT
            Cidr.parse("127.0.0.0/8"),
            Cidr.parse("169.254.0.0/16"), // link-local, cloud metadata
            Cidr.parse("172.16.0.0/12"),
            Cidr.parse("192.0.0.0/24"), // IETF protocol assignments
            Cidr.parse("192.0.2.0/24"), // documentation
            Cidr.parse("192.168.0.0/16"),
            Cidr.parse("198.18.0.0/15"), // benchmarking
            Cidr.parse("198.51.100.0/24"),
            Cidr.parse("203.0.113.0/24"),
            Cidr.parse("224.0.0.0/4"), // multicast
            Cidr.parse("240.0.0.0/4"), // reserved, broadcast
            Cidr.parse("::/128"),
            Cidr.parse("::1/128"),
            Cidr.parse("fc00::/7"), // unique-local, incl. the metadata address fd00:ec2::254
            Cidr.parse("fe80::/10"), // link-local
            Cidr.parse("fec0::/10"), // site-local (deprecated)
            Cidr.parse("ff00::/8"), // multicast
            Cidr.parse("2001:db8::/32")); // documentation

    private final boolean enabled;
    private final List<Cidr> allowed;

    private AddressPolicy(boolean enabled, List<Cidr> allowed) {
        this.enabled = enabled;
        this.allowed = allowed;
    }

    /**
     * @param allow CIDR ranges allowed although internal
     * @throws IllegalArgumentException naming an entry that is not a CIDR range
     */
    public static AddressPolicy of(boolean enabled, List<String> allow) {
        return new AddressPolicy(enabled, allow.stream().map(Cidr::parse).toList());
    }

    /** Why {@code address} is refused, or empty when a notification may go there. */
    public Optional<String> refusal(InetAddress address) {
        if (!enabled) {
            return Optional.empty();
        }
        byte[] bytes = address.getAddress();
        if (allowed.stream().anyMatch(range -> range.contains(bytes))) {
            return Optional.empty();
        }
        byte[] judged = embeddedIpv4(address).orElse(bytes);
        if (allowed.stream().anyMatch(range -> range.contains(judged))) {
            return Optional.empty();
        }
        for (Cidr range : REFUSED) {
            if (range.contains(judged)) {
                return Optional.of(address.getHostAddress() + " is an internal address (in " + render(range)
                        + "); allow it with courier.notifier.ssrf.allow");
            }
        }
        return Optional.empty();
    }

    private static Optional<byte[]> embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return Optional.empty();
        }
        byte[] b = address.getAddress();
        boolean firstTenZero = Arrays.equals(Arrays.copyOfRange(b, 0, 10), new byte[10]);
        boolean mapped = firstTenZero && b[10] == (byte) 0xff && b[11] == (byte) 0xff;
        boolean compatible = firstTenZero && b[10] == 0 && b[11] == 0 && !(b[12] == 0 && b[13] == 0 && b[14] == 0);
        boolean nat64 = b[0] == 0x00 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b;
        if (mapped || compatible || nat64) {
            return Optional.of(Arrays.copyOfRange(b, 12, 16));
        }
        if (b[0] == 0x20 && b[1] == 0x02) { // 6to4: 2002:AABB:CCDD::/48 carries AA.BB.CC.DD
            return Optional.of(Arrays.copyOfRange(b, 2, 6));
        }
        return Optional.empty();
    }

    private static String render(Cidr range) {
        try {
            return InetAddress.getByAddress(range.network()).getHostAddress() + "/" + range.prefixLength();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
