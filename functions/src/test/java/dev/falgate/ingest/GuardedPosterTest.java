package dev.falgate.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Partner-webhook targets under the URL inputs' SSRF rules. "Deployed" is the resolver AWS
 * uses (no loopback at all); "local" is {@code ./falgate local}'s, which admits loopback only.
 * Every refused target is aimed at a loopback listener that must see no connection.
 */
class GuardedPosterTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private static GuardedPoster deployed(FakeDns dns) {
        return new GuardedPoster(new SafeDnsResolver(dns), false, TIMEOUT);
    }

    private static GuardedPoster local(FakeDns dns) {
        return new GuardedPoster(new SafeDnsResolver(dns).allowingLoopbackAddresses(), true, TIMEOUT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://127.0.0.1:%d/hook", "http://127.0.0.1:%d/hook", "https://[::1]:%d/hook",
            "https://10.0.0.1:%d/hook", "https://192.168.1.5:%d/", "https://169.254.169.254:%d/latest/meta-data",
            "https://[fd00:ec2::254]:%d/", "https://[::ffff:127.0.0.1]:%d/", "https://internal.test:%d/hook",
            "ftp://example.test:%d/"})
    void aDeployedStackRefusesLoopbackPrivateLinkLocalAndMetadataTargetsAtSubmitAndAtDelivery(String pattern)
            throws Exception {
        FakeDns dns = new FakeDns().answer("internal.test", "10.1.2.3");
        try (LoopbackListener listener = new LoopbackListener(); GuardedPoster poster = deployed(dns)) {
            String url = String.format(pattern, listener.port());

            assertThatThrownBy(() -> poster.check(url)).isInstanceOfSatisfying(IngestException.class,
                    e -> assertThat(e.code()).isEqualTo(IngestException.Code.URL_NOT_ALLOWED));
            assertThatThrownBy(() -> poster.post(url, Map.of(), new byte[0])).isInstanceOf(IngestException.class);
            assertThat(listener.accepted()).isZero();
        }
    }

    @Test
    void aDeployedStackWantsHttpsEvenForAPublicHost() {
        FakeDns dns = new FakeDns().answer("hooks.example", "93.184.216.34");
        try (GuardedPoster poster = deployed(dns)) {
            assertThatThrownBy(() -> poster.check("http://hooks.example/x")).isInstanceOf(IngestException.class)
                    .hasMessageContaining("https");
            assertThat(poster.check("https://hooks.example/x")).hasToString("https://hooks.example/x");
        }
    }

    @Test
    void aNameThatTurnsInternalAfterSubmitIsRefusedAtDeliveryWithoutAConnection() throws Exception {
        FakeDns dns = new FakeDns().answer("rebind.example", "93.184.216.34", "127.0.0.1");
        try (LoopbackListener listener = new LoopbackListener(); GuardedPoster poster = deployed(dns)) {
            String url = "https://rebind.example:" + listener.port() + "/hook";
            poster.check(url); // at submit: public

            assertThatThrownBy(() -> poster.post(url, Map.of(), new byte[0])).isInstanceOfSatisfying(
                    IngestException.class, e -> assertThat(e.code()).isEqualTo(IngestException.Code.URL_NOT_ALLOWED));
            assertThat(listener.accepted()).isZero();
        }
    }

    @Test
    void theLocalStackPostsToLoopbackOverHttpButNeverFollowsARedirect() throws Exception {
        try (FixtureServer receiver = new FixtureServer(); LoopbackListener elsewhere = new LoopbackListener();
                GuardedPoster poster = local(new FakeDns())) {
            receiver.route("/ok", e -> {
                byte[] body = e.getRequestBody().readAllBytes();
                FixtureServer.send(e, new String(body, StandardCharsets.UTF_8).equals("{}")
                        && "abc".equals(e.getRequestHeaders().getFirst("webhook-id")) ? 204 : 400, new byte[0]);
            });
            receiver.redirect("/moved", "http://127.0.0.1:" + elsewhere.port() + "/");
            String base = "http://127.0.0.1:" + receiver.port();

            assertThat(poster.post(base + "/ok", Map.of("webhook-id", "abc"), "{}".getBytes(StandardCharsets.UTF_8)))
                    .isEqualTo(204);
            assertThat(poster.post(base + "/moved", Map.of(), new byte[0])).isEqualTo(302);
            assertThat(elsewhere.accepted()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://10.0.0.1/", "https://169.254.169.254/", "http://93.184.216.34/",
            "http://[fe80::1]/"})
    void theLocalStackStillRefusesEverythingButLoopback(String url) {
        try (GuardedPoster poster = local(new FakeDns())) {
            assertThatThrownBy(() -> poster.check(url)).isInstanceOf(IngestException.class);
        }
    }

    @Test
    void aReceiverThatNeverAnswersCostsOneTimeout() throws Exception {
        try (FixtureServer receiver = new FixtureServer(); GuardedPoster poster = local(new FakeDns())) {
            receiver.route("/slow", e -> Thread.sleep(TIMEOUT.multipliedBy(3).toMillis()));
            long started = System.nanoTime();

            assertThatThrownBy(() -> poster.post("http://127.0.0.1:" + receiver.port() + "/slow", Map.of(), new byte[0]))
                    .isInstanceOf(java.io.IOException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TIMEOUT.multipliedBy(2));
        }
    }
}
