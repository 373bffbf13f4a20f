package dev.falgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code https://} (and http) URL inputs: fetched by the submit function through the SSRF
 * guard into our bucket. Only a named fixture host may reach loopback here (a test setting);
 * the fixture counts every request it gets.
 */
class UrlInputTest {
    private static HttpServer fixture;
    private static final AtomicInteger requests = new AtomicInteger();
    private static final byte[] PNG = Images.png(48, 32);

    private final TestStack t = TestStack.get();

    @BeforeAll
    static void startFixture() throws IOException {
        fixture = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        fixture.setExecutor(java.util.concurrent.Executors.newCachedThreadPool()); // a slow answer holds up no other
        fixture.createContext("/cat.png", ex -> reply(ex.getResponseHeaders(), ex, "image/png", PNG));
        fixture.createContext("/not-an-image.png", ex -> reply(ex.getResponseHeaders(), ex, "image/png", "<html>".getBytes()));
        fixture.createContext("/slow.png", ex -> {
            try {
                Thread.sleep(TestStack.URL_INPUT_BUDGET.multipliedBy(2).toMillis()); // a slow host, not a synchronisation
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            reply(ex.getResponseHeaders(), ex, "image/png", PNG);
        });
        fixture.createContext("/huge.png", ex -> {
            requests.incrementAndGet();
            ex.getResponseHeaders().add("content-type", "image/png");
            ex.sendResponseHeaders(200, 64L * 1024 * 1024); // announced, never sent: refused on the header
            ex.close();
        });
        fixture.start();
    }

    @AfterAll
    static void stopFixture() {
        fixture.stop(0);
    }

    private static void reply(com.sun.net.httpserver.Headers h, com.sun.net.httpserver.HttpExchange ex, String type, byte[] body)
            throws IOException {
        requests.incrementAndGet();
        h.add("content-type", type);
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private String url(String host, String path) {
        return "http://" + host + ":" + fixture.getAddress().getPort() + path;
    }

    private Api.Response submit(String url) {
        return t.api.post("/v1/jobs", TestStack.ACME_KEY, Map.of("model", PipelineTest.EDITOR, "input", Map.of("image_url", url)));
    }

    @Test
    void aUrlInputIsFetchedIntoAnUploadAndTheJobRuns() {
        Api.Response r = submit(url(TestStack.FIXTURE_HOST, "/cat.png"));
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        assertThat(r.json().at("/input/image_url").asText()).startsWith("upload://upl_");
        JsonNode done = t.api.awaitTerminal(TestStack.ACME_KEY, r.json().get("id").asText(), PipelineTest.WITHIN);
        assertThat(done.get("status").asText()).isEqualTo("succeeded");
        assertThat(done.at("/files/0/width").asInt()).isEqualTo(48);
    }

    @Test
    void loopbackByAddressIsRefusedWithoutAConnection() {
        int before = requests.get();
        for (String host : new String[] {"127.0.0.1", "localhost", "[::1]", "2130706433", "0x7f000001", "0177.0.0.1"}) {
            Api.Response r = submit(url(host, "/cat.png"));
            assertThat(r.status()).as(host).isEqualTo(400);
            assertThat(r.json().at("/error/details/0/code").asText()).as(host).isEqualTo("url_not_allowed");
        }
        assertThat(requests.get()).as("requests the fixture received").isEqualTo(before);
    }

    @Test
    void aUrlSlowerThanTheSharedBudgetIsAFetchTimeoutNamingTheFieldAndCostsNothing() {
        long submits = t.fal.stats().totals().submits();
        long start = System.nanoTime();
        Api.Response r = submit(url(TestStack.FIXTURE_HOST, "/slow.png"));
        java.time.Duration took = java.time.Duration.ofNanos(System.nanoTime() - start);

        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(r.json().at("/error/details/0/field").asText()).isEqualTo("input.image_url");
        assertThat(r.json().at("/error/details/0/code").asText()).isEqualTo("fetch_timeout");
        assertThat(took).isLessThan(TestStack.URL_INPUT_BUDGET.multipliedBy(2));
        assertThat(t.fal.stats().totals().submits()).isEqualTo(submits);
    }

    /** Schemes other than http(s): refused without a fetch, in the words every file-form refusal uses. */
    @Test
    void otherSchemesAreUrlNotAllowedNamingEveryAcceptedForm() {
        for (String value : new String[] {"ftp://example.com/a.png", "file:///etc/passwd"}) {
            Api.Response r = submit(value);
            assertThat(r.status()).as(value).isEqualTo(400);
            assertThat(r.json().at("/error/details/0/code").asText()).as(value).isEqualTo("url_not_allowed");
            assertThat(r.json().at("/error/details/0/message").asText()).as(value)
                    .isEqualTo("image_url must be an upload:// ref, a data: URI or an http(s):// URL");
        }
        Api.Response blank = submit("");
        assertThat(blank.json().at("/error/details/0/code").asText()).isEqualTo("invalid_type");
        assertThat(blank.json().at("/error/details/0/message").asText())
                .isEqualTo("image_url must be an upload:// ref, a data: URI or an http(s):// URL");
    }

    @Test
    void aFileOverTheCapIs413PointingToUploadsAndANonImageIsRefused() {
        Api.Response big = submit(url(TestStack.FIXTURE_HOST, "/huge.png"));
        assertThat(big.status()).isEqualTo(413);
        assertThat(big.json().at("/error/details/0/field").asText()).isEqualTo("input.image_url");
        assertThat(big.text()).contains("/v1/uploads");
        Api.Response html = submit(url(TestStack.FIXTURE_HOST, "/not-an-image.png"));
        assertThat(html.status()).isEqualTo(400);
        assertThat(html.json().at("/error/details/0/code").asText()).isEqualTo("invalid_file");
    }
}
