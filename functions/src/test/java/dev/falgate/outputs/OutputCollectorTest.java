package dev.falgate.outputs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.falgate.http.Json;
import dev.falgate.storage.BlobStore;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Which copy failures no retry can mend (permanent: the job fails {@code output_copy_failed})
 * and which may pass next time (transient: retried until the deadline). A loopback CDN serves
 * the files; S3 is a mock, as only its failures matter here.
 */
class OutputCollectorTest {
    private static final Duration IDLE = Duration.ofMillis(300);
    private static final byte[] BYTES = "not really a png, but bytes".getBytes();

    private final S3Client s3 = mock(S3Client.class);
    private final AtomicInteger cdnHits = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer cdn;
    private OutputCollector collector;

    @BeforeEach
    void start() throws IOException {
        cdn = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        cdn.setExecutor(Executors.newCachedThreadPool());
        route("/ok.png", e -> send(e, 200, BYTES.length, BYTES));
        route("/short.png", e -> send(e, 200, BYTES.length, java.util.Arrays.copyOf(BYTES, 5)));
        route("/stalled.png", e -> {
            send(e, 200, BYTES.length, java.util.Arrays.copyOf(BYTES, 5), false);
            await(release);
        });
        for (int status : new int[] {403, 404, 410, 429, 500, 503}) {
            route("/status/" + status + ".png", e -> send(e, status, -1, new byte[0]));
        }
        cdn.start();
        collector = new OutputCollector(new BlobStore(s3, null, "bucket"), HttpClient.newHttpClient(),
                List.of("127.0.0.1"), IDLE);
    }

    @AfterEach
    void stop() {
        release.countDown();
        cdn.stop(0);
    }

    @Test
    void aFileOnTheCdnIsCopied() {
        OutputCollector.Collected c = collector.collect("acme", "job_1", result(cdnUrl("/ok.png")));
        assertThat(c.files()).singleElement().satisfies(f -> assertThat(f.size()).isEqualTo(BYTES.length));
    }

    @Test
    void aHostOutsideTheCdnListIsPermanentAndNeverContacted() {
        String foreign = cdnUrl("/ok.png").replace("127.0.0.1", "127.0.0.2");
        OutputCollector.OutputCopyException e = copyFails(foreign);
        assertThat(e.permanent()).isTrue();
        assertThat(e.getMessage()).contains("127.0.0.2").contains("not a fal CDN host");
        assertThat(cdnHits).hasValue(0);
    }

    @ParameterizedTest
    @ValueSource(ints = {403, 404, 410})
    void aCdnAnswerThatWillNotChangeIsPermanent(int status) {
        OutputCollector.OutputCopyException e = copyFails(cdnUrl("/status/" + status + ".png"));
        assertThat(e.permanent()).as(e.getMessage()).isTrue();
        assertThat(e.getMessage()).contains(String.valueOf(status));
    }

    @ParameterizedTest
    @ValueSource(ints = {429, 500, 503})
    void aBusyOrFailingCdnIsTransient(int status) {
        OutputCollector.OutputCopyException e = copyFails(cdnUrl("/status/" + status + ".png"));
        assertThat(e.permanent()).as(e.getMessage()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"data:image/png;base64,***not base64***", "http://bad host/x.png", "https://"})
    void malformedDataIsPermanent(String url) {
        assertThat(copyFails(url).permanent()).isTrue();
    }

    @Test
    void aShortBodyIsTransient() {
        assertThat(copyFails(cdnUrl("/short.png")).permanent()).isFalse();
    }

    @Test
    void aBodyThatStallsTimesOutAsTransient() {
        long started = System.nanoTime();
        OutputCollector.OutputCopyException e = copyFails(cdnUrl("/stalled.png"));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertThat(e.permanent()).isFalse();
        assertThat(e.getMessage()).contains("stalled");
        assertThat(millis).as("failed after the idle timeout, not the stall").isBetween(IDLE.toMillis(), 10_000L);
    }

    @Test
    @SuppressWarnings("unchecked")
    void anS3ErrorIsTransient() {
        when(s3.putObject(any(java.util.function.Consumer.class), any(RequestBody.class)))
                .thenThrow(S3Exception.builder().statusCode(503).message("Slow Down").build());
        OutputCollector.OutputCopyException e = copyFails(cdnUrl("/ok.png"));
        assertThat(e.permanent()).isFalse();
        assertThat(e.getCause()).isInstanceOf(S3Exception.class);
    }

    private OutputCollector.OutputCopyException copyFails(String url) {
        return catchThrowableOfType(() -> collector.collect("acme", "job_1", result(url)),
                OutputCollector.OutputCopyException.class);
    }

    private static ObjectNode result(String url) {
        ObjectNode result = Json.object();
        result.putArray("images").addObject().put("url", url).put("content_type", "image/png");
        return result;
    }

    private String cdnUrl(String path) {
        return "http://127.0.0.1:" + cdn.getAddress().getPort() + path;
    }

    private interface Route {
        void handle(HttpExchange e) throws IOException;
    }

    private void route(String path, Route route) {
        cdn.createContext(path, e -> {
            cdnHits.incrementAndGet();
            try (e) {
                route.handle(e);
            }
        });
    }

    private static void send(HttpExchange e, int status, long length, byte[] body) throws IOException {
        send(e, status, length, body, true);
    }

    private static void send(HttpExchange e, int status, long length, byte[] body, boolean close) throws IOException {
        e.sendResponseHeaders(status, length);
        OutputStream out = e.getResponseBody();
        out.write(body);
        out.flush();
        if (close) {
            out.close();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
