package dev.falgate.ingest;

import static dev.falgate.ingest.FakeDns.literal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.falgate.ingest.IngestException.Code;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every SSRF case through the whole fetcher. Loopback URLs aim at a real listener that must
 * accept nothing; every other address goes through {@link LoopbackOnlySockets}, so nothing
 * outside loopback is ever connected to, whatever the code under test does.
 */
class UrlFetcherSsrfTest {
    private static final FetchLimits LIMITS = new FetchLimits(Duration.ofSeconds(2), Duration.ofSeconds(2),
            Duration.ofSeconds(5), 64 * 1024, 3);
    private static final AtomicInteger CASES = new AtomicInteger();
    private static LoopbackListener listener;
    private static FixtureServer fixture;

    @TempDir
    Path temp;
    private final FakeDns dns = new FakeDns()
            .answer("localhost", "127.0.0.1,::1")
            .answer("loopback.test", "127.0.0.1")
            .answer("metadata.test", "169.254.169.254")
            .answer("intranet.test", "10.1.2.3")
            .answer("mixed.test", "93.184.216.34,192.168.0.10")
            .answer("rebind.test", "93.184.216.34", "127.0.0.1");
    private final LoopbackOnlySockets sockets = new LoopbackOnlySockets();

    @BeforeAll
    static void start() throws IOException {
        listener = new LoopbackListener();
        fixture = new FixtureServer();
    }

    @AfterAll
    static void stop() throws IOException {
        listener.close();
        fixture.close();
    }

    private int acceptedBefore;

    @BeforeEach
    void countFromHere() {
        acceptedBefore = listener.accepted();
    }

    @AfterEach
    void theListenerAcceptedNothing() {
        assertThat(listener.accepted() - acceptedBefore).as("connections accepted by the loopback listener").isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:{port}/", "https://127.0.0.1:{port}/", "http://127.0.0.2:{port}/",
        "http://localhost:{port}/", "http://LOCALHOST:{port}/", "http://loopback.test:{port}/",
        "http://[::1]:{port}/", "http://[0:0:0:0:0:0:0:1]:{port}/",
        "http://[::ffff:127.0.0.1]:{port}/", "http://[::ffff:7f00:1]:{port}/", "http://[64:ff9b::7f00:1]:{port}/",
        "http://2130706433:{port}/", "http://0x7f000001:{port}/", "http://0x7f.0x0.0x0.0x1:{port}/",
        "http://0177.0.0.1:{port}/", "http://127.1:{port}/", "http://0.0.0.0:{port}/", "http://[::]:{port}/"})
    void refusesEveryWayOfWritingLoopback(String template) {
        assertRefusedWithoutConnecting(template.replace("{port}", String.valueOf(listener.port())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://10.0.0.5/", "http://10.255.255.255/", "http://172.16.0.1/", "http://172.31.255.254/",
        "http://192.168.1.1/", "http://169.254.169.254/latest/meta-data/", "https://169.254.169.254/",
        "http://100.64.0.1/", "http://198.18.0.1/", "http://224.0.0.1/", "http://255.255.255.255/",
        "http://[fd00:ec2::254]/", "http://[fe80::1]/", "http://[ff02::1]/",
        "http://[::ffff:a9fe:a9fe]/", "http://[::ffff:10.0.0.5]/", "http://[2002:a9fe:a9fe::]/",
        "http://metadata.test/", "http://intranet.test/", "http://mixed.test/"})
    void refusesPrivateLinkLocalAndReservedAddresses(String url) {
        assertRefusedWithoutConnecting(url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:///etc/passwd", "gopher://127.0.0.1:{port}/_GET%20/", "ftp://127.0.0.1:{port}/",
        "dict://127.0.0.1:{port}/info", "jar:http://127.0.0.1:{port}/a.jar!/x", "data:image/png;base64,iVBORw0KGgo=",
        "http://user:pw@127.0.0.1:{port}/", "http://fixtures.test@127.0.0.1:{port}/"})
    void refusesOtherSchemesAndUserInfo(String template) {
        assertRefusedWithoutConnecting(template.replace("{port}", String.valueOf(listener.port())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://10.0.0.5/secret", "http://169.254.169.254/latest/meta-data/",
        "http://metadata.test/", "http://2130706433:{port}/", "http://[::1]:{port}/", "http://localhost:{port}/",
        "file:///etc/passwd", "gopher://127.0.0.1:{port}/_x"})
    void threeRedirectsEndingAtAForbiddenTargetAreRefusedAtTheLastHop(String template) {
        String hops = "/case" + CASES.incrementAndGet();
        fixture.redirect(hops + "/hop1", hops + "/hop2")
                .redirect(hops + "/hop2", fixture.url(hops + "/hop3"))
                .redirect(hops + "/hop3", template.replace("{port}", String.valueOf(listener.port())));

        IngestException e = FetchFailure.of(fixtureAllowed(), fixture.url(hops + "/hop1"));

        assertThat(e.code()).isEqualTo(Code.URL_NOT_ALLOWED);
        assertThat(e).hasMessageStartingWith("the URL redirects to one that is not allowed: ");
        assertThat(fixture.requested()).filteredOn(p -> p.startsWith(hops + "/"))
                .containsExactly(hops + "/hop1", hops + "/hop2", hops + "/hop3");
        InetSocketAddress fixtureAddress = new InetSocketAddress(literal("127.0.0.1"), fixture.port());
        assertThat(sockets.dialled()).as("only the fixture was connected to").containsOnly(fixtureAddress).hasSize(3);
    }

    @Test
    void aFourthRedirectIsTooMany() {
        String loop = "/loop" + CASES.incrementAndGet();
        for (int i = 0; i < 5; i++) {
            fixture.redirect(loop + "/" + i, loop + "/" + (i + 1));
        }
        IngestException e = FetchFailure.of(fixtureAllowed(), fixture.url(loop + "/0"));
        assertThat(e.code()).isEqualTo(Code.TOO_MANY_REDIRECTS);
        assertThat(fixture.requested()).filteredOn(p -> p.startsWith(loop + "/")).hasSize(4);
    }

    /**
     * rebind.test is public when first asked and loopback afterwards. The fetcher asks once
     * and connects to the very address that answer gave (the stub refuses the connect, so the
     * public address is never really reached); the loopback answer is never asked for.
     */
    @Test
    void dnsRebindingIsHarmless() {
        int port = listener.port();
        IngestException e = FetchFailure.of(productionLike(), "https://rebind.test:" + port + "/cat.png");

        assertThat(e.code()).isEqualTo(Code.URL_UNREACHABLE);
        assertThat(sockets.dialled()).containsExactly(new InetSocketAddress(literal("93.184.216.34"), port));
        assertThat(dns.lookups("rebind.test")).isEqualTo(1);
    }

    private void assertRefusedWithoutConnecting(String url) {
        IngestException e = FetchFailure.of(productionLike(), url);
        assertThat(e.code()).isEqualTo(Code.URL_NOT_ALLOWED);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.getMessage()).doesNotContain("127.0.0.1", "169.254", "10.1.2.3", "192.168");
        assertThat(sockets.dialled()).as("connect attempts").isEmpty();
    }

    /** No host may be loopback, as in production. */
    private UrlFetcher productionLike() {
        return fetcher(new SafeDnsResolver(dns));
    }

    private UrlFetcher fixtureAllowed() {
        return fetcher(new SafeDnsResolver(dns).allowingLoopbackHosts(Set.of(FixtureServer.HOST)));
    }

    private UrlFetcher fetcher(SafeDnsResolver resolver) {
        return sockets.fetcher(LIMITS, resolver, temp);
    }
}
