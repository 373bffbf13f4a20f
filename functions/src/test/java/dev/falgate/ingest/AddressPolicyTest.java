package dev.falgate.ingest;

import static dev.falgate.ingest.FakeDns.literal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.falgate.ingest.AddressPolicy.Kind;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The classifier alone: addresses as bytes, no connection anywhere. */
class AddressPolicyTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "127.0.0.1, LOOPBACK", "127.255.255.254, LOOPBACK",
        "0.0.0.0, UNSPECIFIED", "0.1.2.3, UNSPECIFIED",
        "10.0.0.5, PRIVATE", "10.255.255.255, PRIVATE",
        "172.16.0.1, PRIVATE", "172.31.255.255, PRIVATE",
        "192.168.0.1, PRIVATE", "192.168.255.255, PRIVATE",
        "169.254.169.254, LINK_LOCAL", "169.254.0.1, LINK_LOCAL",
        "100.64.0.1, CARRIER_NAT", "100.127.255.255, CARRIER_NAT",
        "224.0.0.1, MULTICAST", "239.255.255.250, MULTICAST",
        "255.255.255.255, RESERVED", "240.0.0.1, RESERVED",
        "192.0.0.170, RESERVED", "192.0.2.1, RESERVED", "192.88.99.1, RESERVED",
        "198.18.0.1, RESERVED", "198.19.255.255, RESERVED", "198.51.100.7, RESERVED", "203.0.113.9, RESERVED",
    })
    void refusesEveryNonPublicIpv4Range(String ip, Kind kind) {
        assertThat(AddressPolicy.classify(literal(ip))).isEqualTo(kind);
        assertThat(AddressPolicy.isPublic(literal(ip))).isFalse();
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "::1, LOOPBACK", "::, UNSPECIFIED",
        "fe80::1, LINK_LOCAL", "fc00::1, PRIVATE", "fd00:ec2::254, PRIVATE", "fec0::1, PRIVATE",
        "ff02::1, MULTICAST",
        "2001:db8::1, RESERVED", "2001::1, RESERVED", "2001:2::1, RESERVED", "3fff::1, RESERVED",
        "100::1, RESERVED", "64:ff9b:1::1, RESERVED", "5f00::1, RESERVED",
        "::127.0.0.1, RESERVED",
        // IPv4 carried in NAT64 and 6to4 addresses is judged as IPv4
        "64:ff9b::7f00:1, LOOPBACK", "64:ff9b::a9fe:a9fe, LINK_LOCAL", "64:ff9b::a00:5, PRIVATE",
        "2002:7f00:1::1, LOOPBACK", "2002:c0a8:101::1, PRIVATE", "2002:a9fe:a9fe::, LINK_LOCAL",
    })
    void refusesEveryNonGlobalIpv6RangeAndIpv4HiddenInIpv6(String ip, Kind kind) {
        assertThat(AddressPolicy.classify(literal(ip))).isEqualTo(kind);
    }

    /** The JDK turns a parsed ::ffff:a.b.c.d into IPv4; built from 16 bytes it stays IPv6. */
    @ParameterizedTest(name = "::ffff:{0} is {1}")
    @CsvSource({"127.0.0.1, LOOPBACK", "10.0.0.1, PRIVATE", "169.254.169.254, LINK_LOCAL", "0.0.0.0, UNSPECIFIED",
        "93.184.216.34, PUBLIC"})
    void judgesIpv4MappedIpv6ByTheIpv4Inside(String ipv4, Kind kind) throws UnknownHostException {
        byte[] bytes = new byte[16];
        bytes[10] = (byte) 0xff;
        bytes[11] = (byte) 0xff;
        System.arraycopy(literal(ipv4).getAddress(), 0, bytes, 12, 4);
        InetAddress mapped = Inet6Address.getByAddress(null, bytes, -1);
        assertThat(mapped).isInstanceOf(Inet6Address.class);
        assertThat(AddressPolicy.classify(mapped)).isEqualTo(kind);
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "1.1.1.1", "223.255.255.255",
        // just outside the refused ranges
        "172.15.255.255", "172.32.0.0", "100.63.255.255", "100.128.0.0", "169.253.255.255", "169.255.0.0",
        "192.167.255.255", "192.169.0.0", "198.17.255.255", "198.20.0.0", "11.0.0.0", "9.255.255.255",
        "2606:4700:4700::1111", "2a00:1450:4001::1", "2001:200::1",
        "64:ff9b::5db8:d822", "2002:5db8:d822::1"})
    void allowsPublicAddresses(String ip) {
        assertThat(AddressPolicy.classify(literal(ip))).isEqualTo(Kind.PUBLIC);
    }
}
