package dev.courier.notifier.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressPolicyTest {

    private static final AddressPolicy GUARD = AddressPolicy.of(true, List.of());

    private static InetAddress address(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    /** IPv4-mapped written as raw bytes, which the JDK would otherwise turn into an Inet4Address. */
    private static InetAddress mapped(int a, int b, int c, int d) throws UnknownHostException {
        byte[] bytes = new byte[16];
        bytes[10] = (byte) 0xff;
        bytes[11] = (byte) 0xff;
        bytes[12] = (byte) a;
        bytes[13] = (byte) b;
        bytes[14] = (byte) c;
        bytes[15] = (byte) d;
        return java.net.Inet6Address.getByAddress(null, bytes, -1);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "127.0.0.1",
                "127.8.9.10",
                "10.1.2.3",
                "172.16.0.1",
                "172.31.255.255",
                "192.168.1.1",
                "169.254.169.254",
                "100.64.0.1",
                "100.127.255.254",
                "0.0.0.0",
                "224.0.0.1",
                "255.255.255.255",
                "::1",
                "::",
                "fe80::1",
                "fc00::1",
                "fd00:ec2::254",
                "ff02::1",
                "::ffff:10.0.0.1",
                "64:ff9b::a00:1",
                "2002:a00:1::1",
                "::127.0.0.1"
            })
    void refusesInternalAddresses(String literal) throws UnknownHostException {
        assertThat(GUARD.refusal(address(literal))).isPresent();
    }

    @Test
    void refusesIpv4MappedFormsByTheirEmbeddedAddress() throws UnknownHostException {
        assertThat(GUARD.refusal(mapped(127, 0, 0, 1)))
                .hasValueSatisfying(reason -> assertThat(reason).contains("127.0.0.0/8"));
        assertThat(GUARD.refusal(mapped(169, 254, 169, 254))).isPresent();
        assertThat(GUARD.refusal(mapped(8, 8, 8, 8))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.1", "172.32.0.1", "2606:4700::1111"})
    void allowsPublicAddresses(String literal) throws UnknownHostException {
        assertThat(GUARD.refusal(address(literal))).isEmpty();
    }

    @Test
    void theAllowListOpensOnlyItsRanges() throws UnknownHostException {
        AddressPolicy allowing = AddressPolicy.of(true, List.of("10.1.0.0/16", "::1/128"));

        assertThat(allowing.refusal(address("10.1.200.3"))).isEmpty();
        assertThat(allowing.refusal(address("::1"))).isEmpty();
        assertThat(allowing.refusal(address("10.2.0.1"))).isPresent();
        assertThat(allowing.refusal(address("127.0.0.1"))).isPresent();
    }

    @Test
    void aDisabledGuardAllowsEverything() throws UnknownHostException {
        assertThat(AddressPolicy.of(false, List.of()).refusal(address("127.0.0.1")))
                .isEmpty();
    }

    @Test
    void refusesAllowListEntriesThatAreNotRanges() {
        assertThatThrownBy(() -> AddressPolicy.of(true, List.of("intranet.local")))
                .hasMessageContaining("not a CIDR");
        assertThatThrownBy(() -> AddressPolicy.of(true, List.of("10.0.0.0/33"))).hasMessageContaining("prefix length");
    }

    @Test
    void theResolverRefusesAHostWithAnyInternalAddress() {
        GuardedDnsResolver resolver = new GuardedDnsResolver(GUARD, new org.apache.hc.client5.http.DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                return new InetAddress[] {address("93.184.215.14"), address("10.0.0.7")};
            }

            @Override
            public String resolveCanonicalHostname(String host) {
                return host;
            }
        });

        assertThatThrownBy(() -> resolver.resolve("rebinding.example"))
                .isInstanceOf(BlockedAddressException.class)
                .hasMessageContaining("rebinding.example")
                .hasMessageContaining("10.0.0.7");
    }
}
