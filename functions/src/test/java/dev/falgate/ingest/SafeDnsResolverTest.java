package dev.falgate.ingest;

import static dev.falgate.ingest.FakeDns.literal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The resolver alone: answers come from {@link FakeDns}, nothing is connected to. */
class SafeDnsResolverTest {
    private final FakeDns dns = new FakeDns()
            .answer("public.test", "93.184.216.34,2606:4700:4700::1111")
            .answer("loopback.test", "127.0.0.1")
            .answer("mapped-loopback.test", "::ffff:7f00:1")
            .answer("metadata.test", "169.254.169.254")
            .answer("intranet.test", "10.1.2.3")
            .answer("mixed.test", "93.184.216.34,192.168.0.10")
            .answer("empty.test", "")
            .answer("rebind.test", "93.184.216.34", "127.0.0.1");
    private final SafeDnsResolver resolver = new SafeDnsResolver(dns);

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "10.0.0.5", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
        "0.0.0.0", "[::1]", "::1", "[::ffff:127.0.0.1]", "[::ffff:a9fe:a9fe]", "[fd00:ec2::254]", "[fe80::1]"})
    void refusesNonPublicLiteralsWithoutALookup(String host) {
        assertThatThrownBy(() -> resolver.resolve(host)).isInstanceOf(RefusedHostException.class)
                .hasMessage("the host is or resolves to a private or reserved address");
        assertThat(dns.totalLookups()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2130706433", "0x7f000001", "0177.0.0.1", "127.1"})
    void refusesNonCanonicalLiteralsEvenIfTheyReachTheResolver(String host) {
        assertThatThrownBy(() -> resolver.resolve(host)).isInstanceOf(RefusedHostException.class);
        assertThat(dns.totalLookups()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"loopback.test", "mapped-loopback.test", "metadata.test", "intranet.test"})
    void refusesANameThatResolvesToANonPublicAddress(String name) {
        assertThatThrownBy(() -> resolver.resolve(name)).isInstanceOf(RefusedHostException.class);
        assertThat(dns.lookups(name)).isEqualTo(1);
    }

    @Test
    void refusesANameIfAnyOfItsAddressesIsNotPublic() {
        assertThatThrownBy(() -> resolver.resolve("mixed.test")).isInstanceOf(RefusedHostException.class)
                .extracting(e -> ((RefusedHostException) e).detail()).isEqualTo("PRIVATE");
    }

    @Test
    void returnsExactlyTheCheckedAddressesOfAPublicName() throws Exception {
        assertThat(resolver.resolve("public.test"))
                .containsExactly(literal("93.184.216.34"), literal("2606:4700:4700::1111"));
        assertThat(resolver.resolve("public.test", 443)).containsExactly(
                new InetSocketAddress(literal("93.184.216.34"), 443),
                new InetSocketAddress(literal("2606:4700:4700::1111"), 443));
        assertThat(resolver.resolve("93.184.216.34")).containsExactly(literal("93.184.216.34"));
    }

    @Test
    void aNameWithoutAddressesIsUnknownNotRefused() {
        assertThatThrownBy(() -> resolver.resolve("nxdomain.test"))
                .isInstanceOf(UnknownHostException.class).isNotInstanceOf(RefusedHostException.class);
        assertThatThrownBy(() -> resolver.resolve("empty.test"))
                .isInstanceOf(UnknownHostException.class).isNotInstanceOf(RefusedHostException.class);
    }

    /**
     * Rebinding: the name is public when asked first and loopback after. Each resolve is one
     * lookup and checks what that lookup said, so only a second lookup could be fooled, and the
     * second one here is refused. UrlFetcherSsrfTest shows the fetcher makes only the first.
     */
    @Test
    void eachResolveChecksTheAnswerItReturns() throws Exception {
        assertThat(resolver.resolve("rebind.test")).containsExactly(literal("93.184.216.34"));
        assertThatThrownBy(() -> resolver.resolve("rebind.test")).isInstanceOf(RefusedHostException.class);
        assertThat(dns.lookups("rebind.test")).isEqualTo(2);
    }

    @Test
    void theCanonicalNameIsNeverLookedUp() {
        assertThat(resolver.resolveCanonicalHostname("public.test")).isEqualTo("public.test");
        assertThat(dns.totalLookups()).isZero();
    }

    @Test
    void onlyExplicitlyNamedHostsMayBeLoopbackAndOnlyWhenAllowed() throws Exception {
        SafeDnsResolver forTests = resolver.allowingLoopbackHosts(Set.of("Fixtures.Test"));
        assertThat(forTests.resolve("fixtures.test")).containsExactly(literal("127.0.0.1"));
        assertThat(forTests.resolve("FIXTURES.test")).containsExactly(literal("127.0.0.1"));
        assertThat(dns.totalLookups()).isZero();
        assertThatThrownBy(() -> forTests.resolve("127.0.0.1")).isInstanceOf(RefusedHostException.class);
        assertThatThrownBy(() -> forTests.resolve("loopback.test")).isInstanceOf(RefusedHostException.class);
        assertThatThrownBy(() -> resolver.resolve("fixtures.test")).isInstanceOf(UnknownHostException.class);
        assertThatThrownBy(() -> resolver.allowingLoopbackHosts(Set.of("127.0.0.1")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void socketsMayConnectToLoopbackOnlyWhenSomeHostWasAllowedThere() {
        assertThat(resolver.mayConnectTo(literal("93.184.216.34"))).isTrue();
        assertThat(resolver.mayConnectTo(literal("127.0.0.1"))).isFalse();
        SafeDnsResolver forTests = resolver.allowingLoopbackHosts(Set.of("fixtures.test"));
        assertThat(forTests.mayConnectTo(literal("127.0.0.1"))).isTrue();
        assertThat(forTests.mayConnectTo(literal("10.0.0.5"))).isFalse();
    }

    /** The production resolver asks the system, which answers localhost from the hosts file. */
    @Test
    void theProductionResolverRefusesLocalhost() {
        assertThatThrownBy(() -> new SafeDnsResolver().resolve("localhost")).isInstanceOf(RefusedHostException.class);
    }
}
