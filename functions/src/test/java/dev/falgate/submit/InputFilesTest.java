package dev.falgate.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.falgate.catalog.Catalog;
import dev.falgate.catalog.Category;
import dev.falgate.catalog.FieldSpec;
import dev.falgate.catalog.ModelSpec;
import dev.falgate.catalog.OutputField;
import dev.falgate.http.ApiException;
import dev.falgate.http.FieldError;
import dev.falgate.http.Json;
import dev.falgate.ingest.FetchLimits;
import dev.falgate.ingest.SafeDnsResolver;
import dev.falgate.ingest.UrlFetcher;
import dev.falgate.jobs.Ids;
import dev.falgate.uploads.UploadService;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * URL inputs of one request against a loopback server: fetched concurrently under one shared
 * deadline and one size total, and no temporary file left in the fetcher's directory, whatever
 * the outcome.
 */
class InputFilesTest {
    private static final String HOST = "fixtures.test";
    private static final Duration SLOW = Duration.ofMillis(1000);
    private static final ModelSpec MODEL = new ModelSpec("acme/editor", "Editor", Category.IMAGE_EDITING, "",
            List.of(new FieldSpec("image_urls", "list<string>", true, null, null, "", true, "image"),
                    new FieldSpec("steps", "integer", false, null, null, "", false, null)),
            List.of(new OutputField("images", "image", true, true, "")), Json.object());
    private static final byte[] PNG = png();

    @TempDir
    Path temp;
    private final HttpServer server;
    private final ExecutorService serverThreads = Executors.newCachedThreadPool();
    private final AtomicInteger requests = new AtomicInteger();
    private final InputValidator validator = new InputValidator(new Catalog(List.of(MODEL)));
    /** URL inputs and data: URIs only: nothing here resolves or stores an upload. */
    private final UploadService uploads = new UploadService(null, null, new Ids(Clock.systemUTC()), Clock.systemUTC());

    InputFilesTest() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(serverThreads);
        server.createContext("/slow.png", e -> answerAfter(e, SLOW, PNG));
        server.createContext("/cat.png", e -> answerAfter(e, Duration.ZERO, PNG));
        server.createContext("/page.png", e -> answerAfter(e, Duration.ZERO, "<html>".getBytes()));
        server.createContext("/endless", this::endless);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        serverThreads.shutdownNow();
    }

    @Test
    void fourSlowUrlsTakeAboutOneSlowUrlsTimeAndClosingDeletesTheirFiles() throws IOException {
        long start = System.nanoTime();
        try (InputFiles.Checked files = inputFiles(limits(Duration.ofSeconds(10)), Long.MAX_VALUE)
                .check("acme", request(urls("/slow.png", 4)))) {
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took).as("one after another would take 4 s").isLessThan(SLOW.multipliedBy(2));
            assertThat(tempFiles()).hasSize(4);
        }
        assertThat(tempFiles()).isEmpty();
    }

    /** Eight 1 s URLs, four at a time, need 2 s; the request has 1.5 s for all, not 10 s each. */
    @Test
    void aSetOverTheSharedDeadlineFailsByTheDeadlineNamingTheLateFields() throws IOException {
        long start = System.nanoTime();
        ApiException e = refused(inputFiles(limits(Duration.ofMillis(1500)), Long.MAX_VALUE), request(urls("/slow.png", 8)));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(1500)).isLessThan(Duration.ofMillis(2500));
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.details()).extracting(FieldError::code).containsOnly("fetch_timeout").hasSize(4);
        assertThat(e.details()).extracting(FieldError::field)
                .containsExactly("input.image_urls[4]", "input.image_urls[5]", "input.image_urls[6]", "input.image_urls[7]");
        assertThat(e.details().get(0).message()).contains("share 1500 ms").contains("POST /v1/uploads");
        assertThat(tempFiles()).as("the four fetched in time are deleted too").isEmpty();
    }

    /** An endless body stops as soon as the job's total is passed, well before its own cap or the deadline. */
    @Test
    void goingOverTheJobsTotalWhileFetchingIs413AndStopsEarly() throws IOException {
        long start = System.nanoTime();
        List<String> urls = new ArrayList<>(urls("/cat.png", 3));
        urls.add(url("/endless"));
        ApiException e = refused(inputFiles(limits(Duration.ofSeconds(10)), 64 * 1024), request(urls));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(e.status()).isEqualTo(413);
        assertThat(e.code()).isEqualTo("payload_too_large");
        assertThat(e.getMessage()).contains(String.valueOf(64 * 1024));
        assertThat(tempFiles()).isEmpty();
    }

    @Test
    void dataUrisOverTheTotalAre413BeforeAnyUrlIsFetched() throws IOException {
        List<String> inputs = new ArrayList<>(List.of(dataUri(), dataUri()));
        inputs.add(url("/cat.png"));
        ApiException e = refused(inputFiles(limits(Duration.ofSeconds(10)), PNG.length + 1L), request(inputs));

        assertThat(e.code()).isEqualTo("payload_too_large");
        assertThat(requests).hasValue(0);
        assertThat(tempFiles()).isEmpty();
    }

    @Test
    void aValidationErrorReportsEveryProblemAndLeavesNoFile() throws IOException {
        List<String> inputs = new ArrayList<>(urls("/cat.png", 2));
        inputs.add(url("/page.png"));
        ApiException e = refused(inputFiles(limits(Duration.ofSeconds(10)), Long.MAX_VALUE),
                Json.parse("{\"model\":\"acme/editor\",\"input\":{\"steps\":\"many\",\"image_urls\":"
                        + Json.mapper().valueToTree(inputs) + "}}"));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.details()).extracting(FieldError::field, FieldError::code).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("input.steps", "invalid_type"),
                org.assertj.core.groups.Tuple.tuple("input.image_urls[2]", "invalid_file"));
        assertThat(requests).hasValue(3);
        assertThat(tempFiles()).isEmpty();
    }

    /** Storing fails half way (here: no upload store at all); closing still deletes every file. */
    @Test
    void anExceptionWhileStoringLeavesNoFile() throws IOException {
        InputValidator.Checked request = request(urls("/cat.png", 2));
        Throwable thrown = null;
        try (InputFiles.Checked files = inputFiles(limits(Duration.ofSeconds(10)), Long.MAX_VALUE).check("acme", request)) {
            assertThat(tempFiles()).hasSize(2);
            files.storeInto("acme", request.input());
        } catch (RuntimeException e) {
            thrown = e;
        }
        assertThat(thrown).isInstanceOf(NullPointerException.class);
        assertThat(tempFiles()).isEmpty();
    }

    private InputFiles inputFiles(FetchLimits limits, long maxTotalBytes) {
        SafeDnsResolver resolver = new SafeDnsResolver(name -> {
            throw new UnknownHostException(name);
        }).allowingLoopbackHosts(Set.of(HOST));
        return new InputFiles(uploads, new UrlFetcher(limits, resolver, temp), maxTotalBytes);
    }

    private static FetchLimits limits(Duration total) {
        return new FetchLimits(Duration.ofSeconds(2), Duration.ofSeconds(5), total, 1024 * 1024, 3);
    }

    private ApiException refused(InputFiles files, com.fasterxml.jackson.databind.JsonNode body) {
        return refused(files, validator.check(body));
    }

    private ApiException refused(InputFiles files, InputValidator.Checked request) {
        return catchThrowableOfType(() -> files.check("acme", request).close(), ApiException.class);
    }

    private InputValidator.Checked request(List<String> inputs) {
        return validator.check(Json.parse("{\"model\":\"acme/editor\",\"input\":{\"image_urls\":"
                + Json.mapper().valueToTree(inputs) + "}}"));
    }

    private List<String> urls(String path, int count) {
        return Stream.generate(() -> url(path)).limit(count).toList();
    }

    private String url(String path) {
        return "http://" + HOST + ":" + server.getAddress().getPort() + path;
    }

    private static String dataUri() {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(PNG);
    }

    private List<Path> tempFiles() throws IOException {
        try (Stream<Path> files = Files.list(temp)) {
            return files.toList();
        }
    }

    private void answerAfter(HttpExchange e, Duration delay, byte[] body) throws IOException {
        requests.incrementAndGet();
        try (e) {
            Thread.sleep(delay.toMillis()); // the server is slow; the test waits on the fetcher, not on this
            e.getResponseHeaders().set("Content-Type", "image/png");
            e.sendResponseHeaders(200, body.length);
            e.getResponseBody().write(body);
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        } catch (IOException clientWentAway) {
            // expected when the fetcher gives up
        }
    }

    private void endless(HttpExchange e) {
        requests.incrementAndGet();
        try (e) {
            e.getResponseHeaders().set("Content-Type", "image/png");
            e.sendResponseHeaders(200, 0);
            OutputStream out = e.getResponseBody();
            out.write(PNG);
            byte[] chunk = new byte[16 * 1024];
            while (true) {
                out.write(chunk);
            }
        } catch (IOException clientWentAway) {
            // expected: the fetcher stops reading
        }
    }

    private static byte[] png() {
        try {
            return ConstraintsTest.png(40, 30);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
