package dev.falgate.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * fal's retention headers on submit ({@code X-Fal-Object-Lifecycle-Preference},
 * {@code X-Fal-Store-IO}) are recorded in the ledger and honoured, scaled by the speed: the
 * request's files leave the CDN after the preferred time, and without payload storage its
 * result expires as fal's short retention. A result read carries {@code X-Fal-Billable-Units}.
 */
class RetentionHeadersTest {
    private static final String MODEL = "fal-ai/image-editing/color-correction";
    /** 1 h at fal is 6 s here. */
    private static final double SPEED = 600;
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String LIFECYCLE = "X-Fal-Object-Lifecycle-Preference";

    @RegisterExtension
    static final RunningEmulator running = RunningEmulator.with(FalEmulatorConfig.builder().speed(SPEED).build());

    @Test
    void theLedgerRecordsWhatEachSubmitAskedFalToKeep() {
        int before = running.emulator().acceptedSubmits().size();
        String asked = submit(Map.of(LIFECYCLE, "{\"expiration_duration_seconds\":7200}", "X-Fal-Store-IO", "0"))
                .get("request_id").asText();
        String plain = submit(Map.of()).get("request_id").asText();

        List<AcceptedSubmit> submits = running.emulator().acceptedSubmits();
        AcceptedSubmit withHeaders = submits.get(before);
        assertThat(withHeaders.requestId()).isEqualTo(asked);
        assertThat(withHeaders.preferences().objectExpiry()).isEqualTo(Duration.ofHours(2));
        assertThat(withHeaders.preferences().storeIo()).isFalse();
        assertThat(submits.get(before + 1).requestId()).isEqualTo(plain);
        assertThat(submits.get(before + 1).preferences().objectExpiry()).isNull();
        assertThat(submits.get(before + 1).preferences().storeIo()).isTrue();

        JsonNode overHttp = running.fal().path("GET", "/_emulator/requests", null).json().get("requests");
        assertThat(overHttp.get(before).get("object_lifecycle_preference").asText())
                .isEqualTo("{\"expiration_duration_seconds\":7200}");
        assertThat(overHttp.get(before).get("store_io").asText()).isEqualTo("0");
        assertThat(overHttp.get(before + 1).get("store_io").isNull()).isTrue();
    }

    @Test
    void theRequestsFilesLeaveTheCdnAfterThePreferredTime() {
        JsonNode expiring = submit(Map.of(LIFECYCLE, "{\"expiration_duration_seconds\":3600}")); // 6 s here
        JsonNode kept = submit(Map.of(LIFECYCLE, "{\"expiration_duration_seconds\":null}"));
        String expiringFile = fileUrl(expiring);
        String keptFile = fileUrl(kept);
        assertThat(running.fal().get(expiringFile).status()).isEqualTo(200);

        awaitStatus(expiringFile, 404);
        assertThat(running.fal().get(keptFile).status()).as("no expiry asked: kept").isEqualTo(200);
    }

    @Test
    void withoutPayloadStorageTheResultExpiresAsAtFalAndWithItIsKept() {
        JsonNode unstored = submit(Map.of("X-Fal-Store-IO", "0"));
        JsonNode stored = submit(Map.of("X-Fal-Store-IO", "1"));
        running.fal().awaitCompleted(unstored, TIMEOUT);
        running.fal().awaitCompleted(stored, TIMEOUT);
        FalTestClient.Response first = running.fal().get(unstored.get("response_url").asText());
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.header("X-Fal-Billable-Units")).as("one output image").isEqualTo("1");

        // a result under 10 KB: 1 h at fal, 6 s at this speed
        awaitStatus(unstored.get("response_url").asText(), 404);
        assertThat(running.fal().get(stored.get("response_url").asText()).status()).isEqualTo(200);
    }

    @Test
    void aRetentionHeaderFalWouldNotAcceptIsRefusedAndNothingIsQueued() {
        int before = running.emulator().acceptedSubmits().size();

        FalTestClient.Response badStoreIo = running.fal().submitWithHeaders(MODEL, input(), Map.of("X-Fal-Store-IO", "yes"));
        FalTestClient.Response badLifecycle = running.fal().submitWithHeaders(MODEL, input(),
                Map.of(LIFECYCLE, "{\"expiration_duration_seconds\":\"soon\"}"));

        assertThat(badStoreIo.status()).isEqualTo(400);
        assertThat(badStoreIo.json().get("detail").asText()).contains("X-Fal-Store-IO");
        assertThat(badLifecycle.status()).isEqualTo(400);
        assertThat(badLifecycle.json().get("detail").asText()).contains("expiration_duration_seconds");
        assertThat(running.emulator().acceptedSubmits()).hasSize(before);
    }

    private static JsonNode submit(Map<String, String> headers) {
        FalTestClient.Response r = running.fal().submitWithHeaders(MODEL, input(), headers);
        assertThat(r.status()).isEqualTo(200);
        return r.json();
    }

    /** The request's output image URL, once it completed. */
    private static String fileUrl(JsonNode submitted) {
        running.fal().awaitCompleted(submitted, TIMEOUT);
        JsonNode result = running.fal().get(submitted.get("response_url").asText()).json();
        return result.get("images").get(0).get("url").asText();
    }

    private static void awaitStatus(String url, int status) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            last = running.fal().get(url).status();
            if (last == status) {
                return;
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        throw new AssertionError(url + " still answers " + last + " after " + TIMEOUT);
    }

    private static ObjectNode input() {
        return Json.object().put("image_url", running.inputs().imageUrl());
    }
}
