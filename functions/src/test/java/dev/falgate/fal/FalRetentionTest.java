package dev.falgate.fal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.falgate.config.Settings;
import dev.falgate.http.Json;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The retention headers on fal submits and {@code X-Fal-Billable-Units} on fal's result, over
 * real HTTP to a loopback server standing in for fal's queue.
 */
class FalRetentionTest {
    private HttpServer fal;
    private final Map<String, String> submitHeaders = new ConcurrentHashMap<>();
    private volatile String billableUnits;

    @BeforeEach
    void start() throws IOException {
        fal = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        fal.createContext("/fal-ai/sharpen", e -> {
            e.getRequestHeaders().forEach((name, values) -> submitHeaders.put(name.toLowerCase(), values.get(0)));
            send(e, 200, "{\"request_id\":\"r1\",\"status_url\":\"s\",\"response_url\":\"r\",\"cancel_url\":\"c\"}");
        });
        fal.createContext("/fal-ai/sharpen/requests/r1", e -> {
            if (billableUnits != null) {
                e.getResponseHeaders().set("X-Fal-Billable-Units", billableUnits);
            }
            send(e, 200, "{\"images\":[]}");
        });
        fal.start();
    }

    @AfterEach
    void stop() {
        fal.stop(0);
    }

    @Test
    void byDefaultFalKeepsOutputsThreeHoursAndStoresPayloads() {
        FalRetention retention = FalRetention.from(new Settings(Map.of()));

        assertThat(retention).isEqualTo(new FalRetention(Duration.ofHours(3), true));
        assertThat(retention.submitHeaders())
                .containsExactly(Map.entry("X-Fal-Object-Lifecycle-Preference", "{\"expiration_duration_seconds\":10800}"));
    }

    @Test
    void falKeepsOutputsLongerThanAnyJobRetriesItsCopyAndResultsLongerThanTheLongestPollGap() {
        int longestDeadline = java.util.Arrays.stream(dev.falgate.catalog.Category.values())
                .mapToInt(dev.falgate.catalog.Category::deadlineSeconds).max().orElseThrow();

        assertThat(FalRetention.DEFAULT_OUTPUT_EXPIRY).isGreaterThan(Duration.ofSeconds(longestDeadline));
        // with X-Fal-Store-IO: 0 a large result lives 6 min: even a missed poll leaves time for the next
        assertThat(dev.falgate.poller.PollScheduler.MAX_INTERVAL.multipliedBy(3))
                .isLessThan(FalRetention.SHORT_RESULT_RETENTION);
    }

    @Test
    void eachSubmitCarriesTheConfiguredExpiryAndStoreIoOff() {
        FalRetention retention = FalRetention.from(new Settings(Map.of(
                "FAL_OUTPUT_EXPIRY_SECONDS", "3600", "FAL_STORE_PAYLOADS", "false")));

        client().withSubmitHeaders(retention.submitHeaders())
                .submit("fal-ai/sharpen", Json.object().put("image_url", "https://x/y.png"), null);

        assertThat(Json.parse(submitHeaders.get("x-fal-object-lifecycle-preference"))
                .get("expiration_duration_seconds").asLong()).isEqualTo(3600);
        assertThat(submitHeaders).containsEntry("x-fal-store-io", "0");
    }

    @Test
    void aClientWithoutRetentionHeadersSendsNone() {
        client().submit("fal-ai/sharpen", Json.object(), null);

        assertThat(submitHeaders).containsKey("authorization")
                .doesNotContainKeys("x-fal-object-lifecycle-preference", "x-fal-store-io");
    }

    @Test
    void theResultCarriesFalsBillableUnitsWhenTheResponseSaysAndNullOtherwise() {
        String resultUrl = base() + "/fal-ai/sharpen/requests/r1";
        assertThat(client().result(resultUrl).billableUnits()).isNull();

        billableUnits = "2.5";
        assertThat(client().result(resultUrl).billableUnits()).isEqualByComparingTo(new BigDecimal("2.5"));

        billableUnits = "lots";
        assertThat(client().result(resultUrl).billableUnits()).as("a value that is no number is ignored").isNull();
    }

    private FalClient client() {
        return new FalClient(FalClient.defaultHttpClient(), URI.create(base()), dev.falgate.config.SecretSource.of("test-key"));
    }

    private String base() {
        return "http://127.0.0.1:" + fal.getAddress().getPort();
    }

    private static void send(com.sun.net.httpserver.HttpExchange e, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        e.getResponseHeaders().set("content-type", "application/json");
        e.sendResponseHeaders(status, bytes.length);
        e.getResponseBody().write(bytes);
        e.close();
    }
}
