package dev.falgate.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The concurrency limit with a real queue, and fal's result expiry. */
class QueueTimingTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String MODEL = "fal-ai/post-processing/sharpen";
    /** An image edit at 40x: ~40 ms queue wait, ~0.2 s run. */
    private static final double SPEED = 40;

    @RegisterExtension
    static final RunningEmulator running = RunningEmulator.with(FalEmulatorConfig.builder().speed(SPEED).concurrency(1)
                .build());

    @Test
    void withALimitOfOneRequestsRunOneAtATimeAndQueuePositionsCountDown() {
        List<JsonNode> submitted = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            submitted.add(running.fal().submit(MODEL, input(), null).json());
        }
        List<Integer> positions = new ArrayList<>();
        while (true) {
            // statuses read one after another are no snapshot: the bound is checked on the
            // queue's own high-water mark below
            JsonNode last = status(submitted.get(3));
            if (last.get("status").asText().equals("COMPLETED")) {
                break;
            }
            if (last.get("status").asText().equals("IN_QUEUE")) {
                addIfChanged(positions, last.get("queue_position").asInt());
            }
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
        assertThat(running.emulator().mostRunningAtOnce()).as("requests running at once").isEqualTo(1);
        assertThat(submitted.get(3).get("queue_position").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(positions.subList(positions.size() - 3, positions.size()))
                .containsExactly(2, 1, 0);
        assertThat(positions).isSortedAccordingTo((a, b) -> Integer.compare(b, a));
    }

    @Test
    void theStatusStreamReportsEachMoveInTheQueue() {
        running.fal().submit(MODEL, input(), null);
        running.fal().submit(MODEL, input(), null);
        JsonNode third = running.fal().submit(MODEL, input(), null).json();

        FalTestClient.Response stream = running.fal().get(third.get("status_url").asText() + "/stream");

        List<Integer> positions = new String(stream.body(), StandardCharsets.UTF_8).lines()
                .filter(line -> line.startsWith("data: "))
                .map(line -> readTree(line.substring("data: ".length())))
                .filter(event -> event.get("status").asText().equals("IN_QUEUE"))
                .map(event -> event.get("queue_position").asInt()).toList();
        assertThat(positions).endsWith(1, 0);
    }

    @Test
    void resultsExpireWhenSwitchedOnLargeOnesSooner() {
        try (RunningEmulator expiring = RunningEmulator.start(FalEmulatorConfig.builder()
                .speed(400).build())) { // 1 h → 9 s, 6 min → 0.9 s
            FalTestClient client = expiring.fal();
            String keptLarge = completedResultUrl(client, largeResultInput(expiring));
            expiring.emulator().setExpireResults(true);
            String large = completedResultUrl(client, largeResultInput(expiring));
            assertThat(client.get(large).status()).as("readable at first").isEqualTo(200);
            String small = completedResultUrl(client, imageToImageInput(expiring, "small"));

            Deadline.await("large result expired", TIMEOUT, () -> client.get(large).status() == 404);
            assertThat(client.get(small).status()).as("1 h scaled is longer").isEqualTo(200);
            assertThat(client.get(keptLarge).status()).as("completed before").isEqualTo(200);
        }
    }

    @Test
    void raisingTheLimitStartsWaitingRequestsAtOnce() {
        try (RunningEmulator limited = RunningEmulator.start(FalEmulatorConfig.builder()
                .speed(SPEED).concurrency(1).build())) {
            ObjectNode input = Json.object().put("image_url", limited.inputs().imageUrl());
            List<JsonNode> meshes = new ArrayList<>();
            for (int i = 0; i < 3; i++) { // a 3D job at 40x runs ~2 s
                meshes.add(limited.fal().submit("fal-ai/triposr", input, null).json());
            }
            Deadline.await("first started", TIMEOUT, () -> inProgress(limited.fal(), meshes) == 1);

            limited.emulator().setConcurrency(3);

            Deadline.await("all started", Duration.ofMillis(1500),
                    () -> inProgress(limited.fal(), meshes) == 3);
        }
    }

    private static long inProgress(FalTestClient client, List<JsonNode> submitted) {
        return submitted.stream().map(s -> client.get(s.get("status_url").asText()).json())
                .filter(s -> s.get("status").asText().equals("IN_PROGRESS")).count();
    }

    @Test
    void concurrencyAndExpiryAreSwitchedOverTheControlApi() {
        FalTestClient.Response set = running.fal().path("POST", "/_emulator/config",
                "{\"concurrency\": 3, \"expire_results\": true}");
        FalTestClient.Response refused = running.fal().path("POST", "/_emulator/config",
                "{\"concurrency\": -1, \"expire_results\": false}");
        JsonNode config = running.fal().path("GET", "/_emulator/config", null).json();
        running.fal().path("POST", "/_emulator/config", "{\"concurrency\": 1, \"expire_results\": false}");

        assertThat(set.status()).isEqualTo(200);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(config.get("concurrency").asInt()).isEqualTo(3);
        assertThat(config.get("expire_results").asBoolean()).as("unchanged by the 400").isTrue();
    }

    /** flux image-to-image echoes its prompt, so a long prompt makes a result over 10 KB. */
    private static ObjectNode largeResultInput(RunningEmulator emulator) {
        return imageToImageInput(emulator, "a".repeat(11 * 1024));
    }

    private static ObjectNode imageToImageInput(RunningEmulator emulator, String prompt) {
        return Json.object().put("image_url", emulator.inputs().imageUrl()).put("prompt", prompt);
    }

    private static String completedResultUrl(FalTestClient client, ObjectNode input) {
        JsonNode submitted = client.submit("fal-ai/flux/dev/image-to-image", input, null).json();
        client.awaitCompleted(submitted, TIMEOUT);
        return submitted.get("response_url").asText();
    }

    private static JsonNode status(JsonNode submitted) {
        return running.fal().get(submitted.get("status_url").asText()).json();
    }

    private static void addIfChanged(List<Integer> values, int value) {
        if (values.isEmpty() || values.get(values.size() - 1) != value) {
            values.add(value);
        }
    }

    private static ObjectNode input() {
        return Json.object().put("image_url", running.inputs().imageUrl());
    }

    private static JsonNode readTree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
