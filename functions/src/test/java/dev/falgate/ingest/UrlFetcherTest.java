package dev.falgate.ingest;

import static dev.falgate.ingest.FixtureServer.send;
import static dev.falgate.ingest.FixtureServer.sendChunked;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.Headers;
import dev.falgate.ingest.IngestException.Code;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What the fetcher does with an allowed URL: the file, the caps, timeouts and bad answers. */
class UrlFetcherTest {
    private static final int CAP = 4096;
    private static final FetchLimits LIMITS = new FetchLimits(Duration.ofSeconds(2), Duration.ofSeconds(2),
            Duration.ofSeconds(5), CAP, 3);
    private static final byte[] PNG = png(3000);

    @TempDir
    Path temp;
    private final FixtureServer fixture;
    private final LoopbackOnlySockets sockets = new LoopbackOnlySockets();

    UrlFetcherTest() throws IOException {
        fixture = new FixtureServer();
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void fetchesAFileIntoATemporaryFileTheCallerDeletesByClosing() throws IOException {
        AtomicReference<Headers> sent = new AtomicReference<>();
        fixture.route("/cat.png", e -> {
            sent.set(e.getRequestHeaders());
            e.getResponseHeaders().set("Content-Type", "image/png");
            send(e, 200, PNG);
        });

        try (UrlFetcher fetcher = fetcher(LIMITS); Fetched cat = fetcher.fetch(fixture.url("/cat.png"))) {
            assertThat(cat.size()).isEqualTo(PNG.length);
            assertThat(cat.contentType()).isEqualTo("image/png");
            assertThat(cat.file().getParent()).isEqualTo(temp);
            assertThat(Files.readAllBytes(cat.file())).isEqualTo(PNG);
        }
        assertThat(temp).isEmptyDirectory();
        assertThat(sent.get().getFirst("Accept-Encoding")).isEqualTo("identity");
        assertThat(sent.get()).doesNotContainKeys("Cookie", "Authorization", "Proxy-Authorization");
    }

    @ParameterizedTest(name = "Content-Type \"{0}\" is {1}")
    @CsvSource(value = {"image/png|image/png", "Image/PNG; charset=binary|image/png", "|application/octet-stream"},
            delimiter = '|')
    void followsARelativeRedirectAndKeepsOnlyTheMediaType(String header, String expected) {
        fixture.redirect("/old", "/new.png").route("/new.png", e -> {
            if (header != null) {
                e.getResponseHeaders().set("Content-Type", header);
            }
            sendChunked(e, PNG);
        });

        try (UrlFetcher fetcher = fetcher(LIMITS); Fetched file = fetcher.fetch(fixture.url("/old"))) {
            assertThat(file.contentType()).isEqualTo(expected);
            assertThat(file.size()).isEqualTo(PNG.length);
        }
    }

    @Test
    void refusesADeclaredLengthOverTheCapBeforeReading() {
        fixture.route("/big", e -> send(e, 200, new byte[CAP + 1]));
        assertTooLarge(fixture.url("/big"));
    }

    @Test
    void cutsOffABodyWithoutALengthAsSoonAsItPassesTheCap() {
        fixture.route("/big", e -> sendChunked(e, new byte[CAP + 1]));
        assertTooLarge(fixture.url("/big"));
    }

    @Test
    void acceptsABodyOfExactlyTheCap() {
        fixture.route("/full", e -> sendChunked(e, new byte[CAP]));
        try (UrlFetcher fetcher = fetcher(LIMITS); Fetched file = fetcher.fetch(fixture.url("/full"))) {
            assertThat(file.size()).isEqualTo(CAP);
        }
    }

    /** Closing an unread body would read it to the end first; the fetcher drops the connection instead. */
    @Test
    void anEndlessBodyIsCutOffAtTheCapNotDrained() {
        fixture.route("/endless", e -> {
            e.sendResponseHeaders(200, 0);
            OutputStream out = e.getResponseBody();
            byte[] chunk = new byte[64 * 1024];
            while (true) {
                out.write(chunk);
            }
        });
        FetchLimits patient = new FetchLimits(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(30), CAP, 3);
        long start = System.nanoTime();
        IngestException e = FetchFailure.of(fetcher(patient), fixture.url("/endless"));
        assertThat(e.code()).isEqualTo(Code.FILE_TOO_LARGE);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(temp).isEmptyDirectory();
    }

    @ParameterizedTest
    @ValueSource(ints = {204, 206, 304, 404, 500})
    void acceptsNoAnswerButA200(int status) {
        fixture.route("/x", e -> send(e, status, new byte[0]));
        IngestException e = FetchFailure.of(fetcher(LIMITS), fixture.url("/x"));
        assertThat(e.code()).isEqualTo(Code.URL_FETCH_FAILED);
        assertThat(e).hasMessageContaining("answered " + status);
    }

    @Test
    void refusesARedirectWithoutALocation() {
        fixture.route("/x", e -> send(e, 302, new byte[0]));
        assertThat(FetchFailure.of(fetcher(LIMITS), fixture.url("/x")).code()).isEqualTo(Code.URL_FETCH_FAILED);
    }

    /** Decompressing would let a small body expand past the cap; the fetcher asks for identity and gets it. */
    @Test
    void refusesACompressedBody() {
        fixture.route("/x.png", e -> {
            e.getResponseHeaders().set("Content-Encoding", "gzip");
            send(e, 200, PNG);
        });
        IngestException e = FetchFailure.of(fetcher(LIMITS), fixture.url("/x.png"));
        assertThat(e.code()).isEqualTo(Code.URL_FETCH_FAILED);
        assertThat(temp).isEmptyDirectory();
    }

    @Test
    void aServerSilentPastTheReadTimeoutIsUnreachable() {
        fixture.route("/slow", e -> {
            Thread.sleep(5_000);
            send(e, 200, PNG);
        });
        FetchLimits impatient = new FetchLimits(Duration.ofSeconds(2), Duration.ofMillis(300), Duration.ofSeconds(5), CAP, 3);
        assertFailsWithin(impatient, "/slow", Code.URL_UNREACHABLE, Duration.ofSeconds(3));
    }

    /** One byte every 100 ms never trips a 1 s read timeout; the total time still ends it, as a fetch_timeout. */
    @Test
    void aTrickleIsCutOffAtTheTotalTimeout() {
        fixture.route("/trickle", e -> {
            e.sendResponseHeaders(200, 0);
            OutputStream out = e.getResponseBody();
            for (int i = 0; i < 100; i++) {
                out.write(1);
                out.flush();
                Thread.sleep(100);
            }
        });
        FetchLimits brief = new FetchLimits(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMillis(700), CAP, 3);
        assertFailsWithin(brief, "/trickle", Code.FETCH_TIMEOUT, Duration.ofSeconds(4));
        assertThat(temp).isEmptyDirectory();
    }

    /** Shows the TLS path runs (SNI, certificate and name checks): an untrusted certificate ends it. */
    @Test
    void refusesAServerWhoseCertificateIsNotTrusted(@TempDir Path keys) throws Exception {
        try (FixtureServer tls = FixtureServer.withUntrustedTls(keys)) {
            tls.route("/cat.png", e -> send(e, 200, PNG));
            IngestException e = FetchFailure.of(fetcher(LIMITS), tls.url("/cat.png"));
            assertThat(e.code()).isEqualTo(Code.URL_UNREACHABLE);
            assertThat(e).hasMessage("no trusted TLS connection could be made to the host");
            assertThat(tls.requested()).isEmpty();
        }
    }

    /** Header lines and counts are capped, so a server cannot stream an endless header into memory. */
    @Test
    void refusesAnOversizedHeader() {
        fixture.route("/x", e -> {
            e.getResponseHeaders().set("X-Flood", "a".repeat(20_000));
            send(e, 200, PNG);
        });
        assertThat(FetchFailure.of(fetcher(LIMITS), fixture.url("/x")).code()).isEqualTo(Code.URL_FETCH_FAILED);
    }

    @Test
    void anUnknownHostIsUnreachable() {
        IngestException e = FetchFailure.of(fetcher(LIMITS), "https://nowhere.test/a.png");
        assertThat(e.code()).isEqualTo(Code.URL_UNREACHABLE);
        assertThat(e).hasMessage("the host name does not resolve");
    }

    @Test
    void aClosedPortIsUnreachable() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        IngestException e = FetchFailure.of(fetcher(LIMITS), "http://" + FixtureServer.HOST + ":" + closedPort + "/");
        assertThat(e.code()).isEqualTo(Code.URL_UNREACHABLE);
    }

    @Test
    void exposesItsCodeAsAnApiFieldError() {
        IngestException e = new IngestException(Code.FILE_TOO_LARGE, "too big");
        assertThat(e.status()).isEqualTo(413);
        assertThat(e.fieldError("input.image_url"))
                .isEqualTo(new dev.falgate.http.FieldError("input.image_url", "file_too_large", "too big"));
        assertThat(Stream.of(Code.values()).map(Code::id))
                .containsExactly("url_not_allowed", "url_unreachable", "fetch_timeout", "file_too_large", "too_many_redirects", "url_fetch_failed");
    }

    private void assertTooLarge(String url) {
        IngestException e = FetchFailure.of(fetcher(LIMITS), url);
        assertThat(e.code()).isEqualTo(Code.FILE_TOO_LARGE);
        assertThat(e.status()).isEqualTo(413);
        assertThat(e).hasMessageContaining("POST /v1/uploads").hasMessageContaining(CAP + " bytes");
        assertThat(temp).isEmptyDirectory();
    }

    private void assertFailsWithin(FetchLimits limits, String path, Code code, Duration within) {
        long start = System.nanoTime();
        IngestException e = FetchFailure.of(fetcher(limits), fixture.url(path));
        assertThat(e.code()).isEqualTo(code);
        assertThat(e).hasMessageContaining("in time");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(within);
    }

    /** Only the fixture's name resolves, to loopback; nothing else is known. */
    private UrlFetcher fetcher(FetchLimits limits) {
        SafeDnsResolver resolver = new SafeDnsResolver(new FakeDns()).allowingLoopbackHosts(Set.of(FixtureServer.HOST));
        return sockets.fetcher(limits, resolver, temp);
    }

    private static byte[] png(int size) {
        byte[] bytes = Arrays.copyOf(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, size);
        for (int i = 8; i < size; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }
}
