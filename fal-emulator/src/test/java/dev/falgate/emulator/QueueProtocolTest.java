package dev.falgate.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class QueueProtocolTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final double FAST = 1000;

    @RegisterExtension
    static final RunningEmulator running = RunningEmulator.with(FalEmulatorConfig.builder().apiKey("test-key").speed(FAST)
                .build());

    private static ObjectNode imageInput() {
        return Json.object().put("image_url", running.inputs().imageUrl());
    }

    @Test
    void submitAnswersInQueueWithOwnerAppUrls() {
        FalTestClient.Response submit = running.fal().submit("tripo3d/tripo/v2.5/image-to-3d",
                imageInput(), null);

        assertThat(submit.status()).isEqualTo(200);
        JsonNode body = submit.json();
        String id = body.get("request_id").asText();
        assertThat(UUID.fromString(id).toString()).isEqualTo(id);
        String requests = running.emulator().baseUrl() + "/tripo3d/tripo/requests/" + id;
        assertThat(body.get("status").asText()).isEqualTo("IN_QUEUE");
        assertThat(body.get("gateway_request_id").asText()).isEqualTo(id);
        assertThat(body.get("response_url").asText()).isEqualTo(requests);
        assertThat(body.get("status_url").asText()).isEqualTo(requests + "/status");
        assertThat(body.get("cancel_url").asText()).isEqualTo(requests + "/cancel");
        assertThat(body.get("queue_position").isInt()).isTrue();
        assertThat(submit.header("x-fal-request-id")).isEqualTo(id);
    }

    @Test
    void imageEditorRoundTripReturnsAnEditedImageOfTheInputSize() {
        JsonNode submitted = running.fal().submit("fal-ai/post-processing/sharpen", imageInput(), null)
                .json();
        String id = submitted.get("request_id").asText();

        JsonNode status = running.fal().awaitCompleted(submitted, TIMEOUT);
        assertThat(status.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(status.get("logs").size()).isGreaterThanOrEqualTo(2);
        assertThat(status.at("/metrics/inference_time").isNumber()).isTrue();
        assertThat(status.has("error")).isFalse();

        FalTestClient.Response result = running.fal().get(submitted.get("response_url").asText());
        assertThat(result.status()).isEqualTo(200);
        assertThat(result.header("x-fal-request-id")).isEqualTo(id);
        JsonNode image = result.json().get("images").get(0);
        assertThat(image.get("content_type").asText()).isEqualTo("image/png");
        assertThat(image.get("width").asInt()).isEqualTo(TestImages.WIDTH);
        assertThat(image.get("height").asInt()).isEqualTo(TestImages.HEIGHT);

        FalTestClient.Response file = running.fal().anonymous(
                HttpRequest.newBuilder(URI.create(image.get("url").asText())));
        assertThat(file.status()).isEqualTo(200);
        assertThat(file.header("Content-Type")).isEqualTo("image/png");
        assertThat(Long.parseLong(file.header("Content-Length")))
                .isEqualTo(image.get("file_size").asLong()).isEqualTo(file.body().length);
        BufferedImage edited = TestImages.decode(file.body());
        assertThat(edited.getWidth()).isEqualTo(TestImages.WIDTH);
        assertThat(edited.getHeight()).isEqualTo(TestImages.HEIGHT);
        assertThat(TestImages.differ(edited, TestImages.subject())).isTrue();
        assertThat(running.inputs().requested()).extracting(URI::getRawQuery)
                .as("presigned query passed through untouched")
                .contains(URI.create(running.inputs().imageUrl()).getRawQuery());
    }

    @Test
    void outputFormatAndNumImagesAreHonoured() {
        JsonNode byDefault = completedResult("fal-ai/image-editing/color-correction",
                imageInput());
        assertThat(byDefault.at("/images/0/content_type").asText()).isEqualTo("image/jpeg");
        assertThat(byDefault.at("/images/0/file_name").asText()).endsWith(".jpg");
        assertThat(byDefault.get("seed").isNumber()).isTrue();

        JsonNode three = completedResult("fal-ai/flux/dev/image-to-image", imageInput()
                .put("prompt", "a wizard").put("num_images", 3).put("output_format", "png"));
        assertThat(three.get("images")).hasSize(3);
        assertThat(three.at("/images/2/content_type").asText()).isEqualTo("image/png");
        assertThat(three.get("has_nsfw_concepts")).hasSize(3);
        assertThat(three.get("prompt").asText()).isEqualTo("a wizard");
    }

    @Test
    void statusGoesInQueueThenInProgressWithLogsThenCompleted() {
        running.emulator().setSpeed(10); // image editing: ~0.15 s queued, ~0.85 s running
        try {
            JsonNode submitted = running.fal().submit("fal-ai/image-editing/face-enhancement",
                    imageInput(), null).json();
            List<String> seen = new ArrayList<>();
            JsonNode inProgress = null;
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                FalTestClient.Response status =
                        running.fal().get(submitted.get("status_url").asText() + "?logs=1");
                String state = status.json().get("status").asText();
                assertThat(status.status()).isEqualTo(state.equals("COMPLETED") ? 200 : 202);
                if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(state)) {
                    seen.add(state);
                }
                if (state.equals("IN_PROGRESS")) {
                    inProgress = status.json();
                }
                if (state.equals("COMPLETED")) {
                    break;
                }
                LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
            }
            assertThat(seen).containsExactly("IN_QUEUE", "IN_PROGRESS", "COMPLETED");
            assertThat(inProgress.get("logs").size()).isGreaterThanOrEqualTo(2);
            assertThat(inProgress.at("/logs/0/message").asText()).isNotEmpty();
        } finally {
            running.emulator().setSpeed(FAST);
        }
    }

    @Test
    void fullIdQueueUrlsAreRoutedAndForeignPrefixesAreNot() {
        JsonNode submitted = running.fal().submit("tripo3d/tripo/v2.5/image-to-3d", imageInput(), null)
                .json();
        String id = submitted.get("request_id").asText();

        FalTestClient.Response full = running.fal().get(running.emulator().baseUrl()
                + "/tripo3d/tripo/v2.5/image-to-3d/requests/" + id + "/status");
        FalTestClient.Response foreign = running.fal().get(running.emulator().baseUrl()
                + "/fal-ai/trellis/requests/" + id + "/status");

        assertThat(full.status()).isIn(200, 202);
        assertThat(foreign.status()).isEqualTo(404);
    }

    @Test
    void queueApiNeedsTheKey() {
        HttpRequest.Builder noKey = HttpRequest.newBuilder(
                URI.create(running.emulator().baseUrl() + "/fal-ai/post-processing/sharpen"))
                .POST(HttpRequest.BodyPublishers.ofString(imageInput().toString()));
        HttpRequest.Builder wrongKey = HttpRequest.newBuilder(
                URI.create(running.emulator().baseUrl() + "/fal-ai/post-processing/sharpen"))
                .header("Authorization", "Key not-the-key")
                .POST(HttpRequest.BodyPublishers.ofString(imageInput().toString()));

        long submitsBefore = running.emulator().stats().model("fal-ai/post-processing/sharpen").submits();

        FalTestClient.Response missing = running.fal().anonymous(noKey);
        FalTestClient.Response wrong = running.fal().anonymous(wrongKey);

        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.json().get("detail").isTextual()).isTrue();
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(running.emulator().stats().model("fal-ai/post-processing/sharpen").submits())
                .isEqualTo(submitsBefore);
        String someStatus = running.emulator().baseUrl() + "/fal-ai/post-processing/requests/"
                + UUID.randomUUID() + "/status";
        assertThat(running.fal().anonymous(HttpRequest.newBuilder(URI.create(someStatus))).status())
                .isEqualTo(401);
    }

    @Test
    void unknownModelsAndRequestsAre404() {
        String unknown = running.emulator().baseUrl() + "/fal-ai/post-processing/requests/"
                + UUID.randomUUID();

        assertThat(running.fal().submit("fal-ai/not-a-model", imageInput(), null).status())
                .isEqualTo(404);
        assertThat(running.fal().get(unknown + "/status").status()).isEqualTo(404);
        assertThat(running.fal().get(unknown).status()).isEqualTo(404);
        FalTestClient.Response cancel = running.fal().put(unknown + "/cancel");
        assertThat(cancel.status()).isEqualTo(404);
        assertThat(cancel.json().get("status").asText()).isEqualTo("NOT_FOUND");
    }

    @Test
    void cancelAnswers202Then400() {
        running.emulator().setSpeed(0.01); // stays queued for minutes
        JsonNode submitted;
        try {
            submitted = running.fal().submit("fal-ai/image-editing/object-removal", imageInput(), null)
                    .json();
        } finally {
            running.emulator().setSpeed(FAST);
        }
        String cancelUrl = submitted.get("cancel_url").asText();

        FalTestClient.Response first = running.fal().put(cancelUrl);
        FalTestClient.Response second = running.fal().put(cancelUrl);

        assertThat(first.status()).isEqualTo(202);
        assertThat(first.json().get("status").asText()).isEqualTo("CANCELLATION_REQUESTED");
        assertThat(second.status()).isEqualTo(400);
        assertThat(second.json().get("status").asText()).isEqualTo("ALREADY_COMPLETED");
        JsonNode status = running.fal().get(submitted.get("status_url").asText()).json();
        assertThat(status.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(status.get("error_type").asText()).isEqualTo("client_cancelled");
        assertThat(running.emulator().stats().model("fal-ai/image-editing/object-removal").cancels())
                .isEqualTo(2);
    }

    @Test
    void invalidInputsCompleteWithAFastApi422() {
        assertIssue(Json.object().put("image_url", running.inputs().url("/missing.png")),
                "file_download_error", "image_url");
        assertIssue(Json.object().put("image_url", "ftp://127.0.0.1/x.png"),
                "value_error.url.scheme", "image_url");
        assertIssue(Json.object(), "value_error.missing", "image_url");
        assertIssue(Json.object().put("image_url", running.inputs().url("/not-an-image.png")),
                "image_load_error", "image_url");
    }

    @Test
    void listFieldProblemsCarryTheIndex() {
        ObjectNode input = Json.object().put("prompt", "p");
        input.putArray("image_urls").add(running.inputs().imageUrl()).add(running.inputs().url("/gone.png"));

        JsonNode detail = failedResult("fal-ai/flux-pro/kontext/max/multi", input);

        assertThat(detail.at("/0/loc").toString()).isEqualTo("[\"body\",\"image_urls\",1]");
    }

    @Test
    void statusStreamSendsEventsUntilCompleted() {
        JsonNode submitted = running.fal().submit("fal-ai/image-preprocessors/sam", imageInput(), null)
                .json();

        FalTestClient.Response stream = running.fal().get(submitted.get("status_url").asText()
                + "/stream?logs=1");

        assertThat(stream.header("Content-Type")).isEqualTo("text/event-stream");
        List<String> events = new String(stream.body(), StandardCharsets.UTF_8).lines()
                .filter(l -> l.startsWith("data: ")).toList();
        assertThat(events).isNotEmpty();
        assertThat(events.get(events.size() - 1)).contains("\"status\":\"COMPLETED\"");
    }

    private static void assertIssue(ObjectNode input, String type, String field) {
        JsonNode detail = failedResult("fal-ai/image-editing/background-change", input);
        assertThat(detail.at("/0/type").asText()).isEqualTo(type);
        assertThat(detail.at("/0/loc/0").asText()).isEqualTo("body");
        assertThat(detail.at("/0/loc/1").asText()).isEqualTo(field);
        assertThat(detail.at("/0/msg").asText()).isNotEmpty();
    }

    /** Submits, expects a failed completion, returns the 422 body's detail. */
    private static JsonNode failedResult(String model, ObjectNode input) {
        JsonNode submitted = running.fal().submit(model, input, null).json();
        JsonNode status = running.fal().awaitCompleted(submitted, TIMEOUT);
        assertThat(status.get("error").asText()).isNotEmpty();
        assertThat(status.get("error_type").asText()).isNotEmpty();
        FalTestClient.Response result = running.fal().get(submitted.get("response_url").asText());
        assertThat(result.status()).isEqualTo(422);
        return result.json().get("detail");
    }

    private static JsonNode completedResult(String model, ObjectNode input) {
        JsonNode submitted = running.fal().submit(model, input, null).json();
        running.fal().awaitCompleted(submitted, TIMEOUT);
        FalTestClient.Response result = running.fal().get(submitted.get("response_url").asText());
        assertThat(result.status()).isEqualTo(200);
        return result.json();
    }
}
