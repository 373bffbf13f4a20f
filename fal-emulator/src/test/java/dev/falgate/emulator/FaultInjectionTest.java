package dev.falgate.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.emulator.faults.Fault;
import dev.falgate.emulator.faults.FaultSettings;
import dev.falgate.emulator.faults.Knob;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every fault knob, shown happening, and counted in the stats each time it fires. */
class FaultInjectionTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Duration QUIET = Duration.ofMillis(300);
    private static final String MODEL = "fal-ai/image-editing/color-correction";
    private static final double FAST = 1000;

    @RegisterExtension
    static final RunningEmulator running = RunningEmulator.with(FalEmulatorConfig.builder().speed(FAST)
            .webhookRetryDelays(List.of(Duration.ofMillis(50))).build());
    private static WebhookReceiver receiver;

    @BeforeAll
    static void startReceiver() {
        receiver = new WebhookReceiver();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    @AfterEach
    void disarm() {
        running.emulator().faults().replace(FaultSettings.none());
        running.emulator().setSpeed(FAST);
    }

    @Test
    void knobsSetAtStartActAndShowOverHttp() {
        try (RunningEmulator started = RunningEmulator.start(FalEmulatorConfig.builder()
                .faults("{\"knobs\": {\"accept_missing_key\": {\"count\": 1}}}").build())) {
            FalTestClient client = started.fal();
            JsonNode faults = client.path("GET", "/_emulator/faults", null).json();
            assertThat(faults.at("/knobs/accept_missing_key/count").asLong()).isEqualTo(1);
            assertThat(faults.at("/available/status_http_error/0").asText()).isEqualTo("status");
            HttpRequest.Builder keyless = HttpRequest.newBuilder(
                    URI.create(started.emulator().baseUrl() + "/" + MODEL))
                    .POST(HttpRequest.BodyPublishers.ofString(input().toString()));

            assertThat(client.anonymous(keyless).status()).isEqualTo(200);
            assertThat(client.anonymous(keyless).status()).as("refused by default").isEqualTo(401);
            assertThat(started.emulator().stats().fired(Fault.ACCEPT_MISSING_KEY)).isEqualTo(1);
            assertThat(client.path("GET", "/_emulator/stats", null).json()
                    .at("/faults/accept_missing_key").asLong()).isEqualTo(1);
        }
    }

    @Test
    void faultsChangeAtRunTimeOverHttpAndBadBodiesChangeNothing() {
        FalTestClient.Response set = running.fal().path("POST", "/_emulator/faults",
                "{\"seed\": 5, \"knobs\": {\"status_http_error\": {\"count\": 2, \"status\": 429}}}");
        assertThat(set.status()).isEqualTo(200);
        assertThat(set.json().at("/knobs/status_http_error/status").asInt()).isEqualTo(429);

        FalTestClient.Response bad = running.fal().path("POST", "/_emulator/faults",
                "{\"knobs\": {\"status_http_error\": {\"count\": 1, \"delay_ms\": 5}}}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("detail").asText()).contains("does not take delay_ms");
        assertThat(running.fal().path("GET", "/_emulator/faults", null).json()
                .at("/knobs/status_http_error/count").asLong()).isEqualTo(2);

        running.fal().path("POST", "/_emulator/faults", "{\"reset\": true}");
        assertThat(running.fal().path("GET", "/_emulator/faults", null).json().get("knobs")).isEmpty();
    }

    @Test
    void dropWebhookSendsNothing() throws Exception {
        arm(Fault.DROP_WEBHOOK, Knob.count(1));
        long dropped = counts().webhooksDropped();

        running.fal().awaitCompleted(submitWithWebhook("/drop"), TIMEOUT);

        Deadline.await("drop counted", TIMEOUT, () -> counts().webhooksDropped() == dropped + 1);
        assertThat(receiver.next(QUIET)).isNull();
        assertFiredOnce(Fault.DROP_WEBHOOK);
    }

    @Test
    void duplicateWebhookArrivesTwice() throws Exception {
        arm(Fault.DUPLICATE_WEBHOOK, Knob.count(1));
        String id = submitWithWebhook("/duplicate").get("request_id").asText();

        WebhookReceiver.Delivery first = receiver.next(TIMEOUT);
        WebhookReceiver.Delivery second = receiver.next(TIMEOUT);

        assertThat(first.header("X-Fal-Webhook-Request-Id")).isEqualTo(id);
        assertThat(second.header("X-Fal-Webhook-Request-Id")).isEqualTo(id);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(receiver.next(QUIET)).isNull();
        assertFiredOnce(Fault.DUPLICATE_WEBHOOK);
    }

    @Test
    void duplicateWebhookArrivesAsOftenAsItsCopies() throws Exception {
        arm(Fault.DUPLICATE_WEBHOOK, Knob.count(1).withCopies(5));
        String id = submitWithWebhook("/duplicate5").get("request_id").asText();
        for (int i = 0; i < 5; i++) {
            assertThat(receiver.next(TIMEOUT).header("X-Fal-Webhook-Request-Id")).as("copy " + (i + 1)).isEqualTo(id);
        }
        assertThat(receiver.next(QUIET)).isNull();
        assertFiredOnce(Fault.DUPLICATE_WEBHOOK);
    }

    @Test
    void delayWebhookHoldsItBack() throws Exception {
        arm(Fault.DELAY_WEBHOOK, Knob.count(1).withDelay(Duration.ofMillis(600)));
        JsonNode submitted = submitWithWebhook("/delay");
        running.fal().awaitCompleted(submitted, TIMEOUT);
        long completedAt = System.nanoTime();

        assertThat(receiver.next(Duration.ofMillis(300))).as("not yet").isNull();
        assertThat(receiver.next(TIMEOUT)).isNotNull();
        assertThat(Duration.ofNanos(System.nanoTime() - completedAt))
                .isGreaterThanOrEqualTo(Duration.ofMillis(500));
        assertFiredOnce(Fault.DELAY_WEBHOOK);
    }

    @Test
    void webhookBeforeResultArrivesWhileTheRequestStillRuns() throws Exception {
        arm(Fault.WEBHOOK_BEFORE_RESULT, Knob.count(1).withDelay(Duration.ofMillis(800)));
        JsonNode submitted = submitWithWebhook("/early");

        JsonNode webhook = Json.MAPPER.readTree(receiver.next(TIMEOUT).body());
        FalTestClient.Response status = running.fal().get(submitted.get("status_url").asText());
        FalTestClient.Response result = running.fal().get(submitted.get("response_url").asText());

        assertThat(webhook.get("status").asText()).isEqualTo("OK");
        assertThat(status.status()).isEqualTo(202);
        assertThat(status.json().get("status").asText()).isEqualTo("IN_PROGRESS");
        assertThat(result.status()).isEqualTo(400);
        running.fal().awaitCompleted(submitted, TIMEOUT);
        assertThat(running.fal().get(submitted.get("response_url").asText()).json())
                .isEqualTo(webhook.get("payload"));
        assertFiredOnce(Fault.WEBHOOK_BEFORE_RESULT);
    }

    @Test
    void modelErrorCompletesWithA422AndAnErrorWebhook() throws Exception {
        arm(Fault.MODEL_ERROR, Knob.count(1));
        JsonNode submitted = submitWithWebhook("/model-error");

        JsonNode status = running.fal().awaitCompleted(submitted, TIMEOUT);
        FalTestClient.Response result = running.fal().get(submitted.get("response_url").asText());
        JsonNode webhook = Json.MAPPER.readTree(receiver.next(TIMEOUT).body());

        assertThat(status.get("error").asText()).isEqualTo("Invalid status code: 422");
        assertThat(result.status()).isEqualTo(422);
        assertThat(result.json().at("/detail/0/loc/0").asText()).isEqualTo("body");
        assertThat(result.json().at("/detail/0/msg").asText()).isNotEmpty();
        assertThat(webhook.get("status").asText()).isEqualTo("ERROR");
        assertThat(webhook.get("payload")).isEqualTo(result.json());
        assertFiredOnce(Fault.MODEL_ERROR);
    }

    @Test
    void infrastructureErrorCarriesItsTypeInBodyAndHeader() throws Exception {
        arm(Fault.INFRASTRUCTURE_ERROR, Knob.count(1).withErrorType("request_timeout"));
        JsonNode submitted = submitWithWebhook("/infra");

        JsonNode status = running.fal().awaitCompleted(submitted, TIMEOUT);
        FalTestClient.Response result = running.fal().get(submitted.get("response_url").asText());
        JsonNode webhook = Json.MAPPER.readTree(receiver.next(TIMEOUT).body());

        assertThat(status.get("error_type").asText()).isEqualTo("request_timeout");
        assertThat(result.status()).isEqualTo(504);
        assertThat(result.header("X-Fal-Error-Type")).isEqualTo("request_timeout");
        assertThat(result.json().get("error_type").asText()).isEqualTo("request_timeout");
        assertThat(result.json().get("detail").asText()).isNotEmpty();
        assertThat(webhook.get("error").asText()).isEqualTo("Invalid status code: 504");
        assertFiredOnce(Fault.INFRASTRUCTURE_ERROR);
    }

    @Test
    void submitHttpErrorIsAnIngressErrorThatQueuesNothing() {
        arm(Fault.SUBMIT_HTTP_ERROR, Knob.count(1).withStatus(503));
        long submits = counts().submits();

        FalTestClient.Response refused = running.fal().submit(MODEL, input(), null);
        FalTestClient.Response accepted = running.fal().submit(MODEL, input(), null);

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.header("Content-Type")).isEqualTo("text/html");
        assertThat(new String(refused.body(), StandardCharsets.UTF_8)).contains("nginx");
        assertThat(refused.header("x-fal-request-id")).isNull();
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(counts().submits()).isEqualTo(submits + 1);
        assertFiredOnce(Fault.SUBMIT_HTTP_ERROR);
    }

    @Test
    void statusHttpErrorCanBeA429() {
        JsonNode submitted = running.fal().submit(MODEL, input(), null).json();
        arm(Fault.STATUS_HTTP_ERROR, Knob.count(1).withStatus(429));

        FalTestClient.Response limited = running.fal().get(submitted.get("status_url").asText());

        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("X-Fal-Needs-Retry")).isEqualTo("1");
        assertThat(limited.json().get("error_type").asText())
                .isEqualTo("concurrent_requests_limit");
        assertThat(running.fal().awaitCompleted(submitted, TIMEOUT).get("status").asText())
                .isEqualTo("COMPLETED");
        assertFiredOnce(Fault.STATUS_HTTP_ERROR);
    }

    @Test
    void resultHttpErrorFailsOneRead() {
        JsonNode submitted = running.fal().submit(MODEL, input(), null).json();
        running.fal().awaitCompleted(submitted, TIMEOUT);
        arm(Fault.RESULT_HTTP_ERROR, Knob.count(1).withStatus(502));

        FalTestClient.Response failed = running.fal().get(submitted.get("response_url").asText());
        FalTestClient.Response retried = running.fal().get(submitted.get("response_url").asText());

        assertThat(failed.status()).isEqualTo(502);
        assertThat(retried.status()).isEqualTo(200);
        assertFiredOnce(Fault.RESULT_HTTP_ERROR);
    }

    @Test
    void slowDownloadTakesItsDelayAndArrivesWhole() {
        JsonNode image = completedImage();
        arm(Fault.SLOW_DOWNLOAD, Knob.count(1).withDelay(Duration.ofMillis(400)));

        long began = System.nanoTime();
        FalTestClient.Response file = download(image);

        assertThat(Duration.ofNanos(System.nanoTime() - began))
                .isGreaterThanOrEqualTo(Duration.ofMillis(350));
        assertThat(file.body()).hasSize(image.get("file_size").asInt());
        assertFiredOnce(Fault.SLOW_DOWNLOAD);
    }

    @Test
    void truncatedDownloadBreaksOffBeforeTheAnnouncedLength() {
        JsonNode image = completedImage();
        arm(Fault.TRUNCATED_DOWNLOAD, Knob.count(1));

        assertThatThrownBy(() -> download(image)).isInstanceOf(UncheckedIOException.class);
        assertThat(download(image).body()).hasSize(image.get("file_size").asInt());
        assertFiredOnce(Fault.TRUNCATED_DOWNLOAD);
    }

    @Test
    void payloadErrorSendsANullPayload() throws Exception {
        arm(Fault.PAYLOAD_ERROR, Knob.count(1));
        JsonNode submitted = submitWithWebhook("/payload-error");

        JsonNode webhook = Json.MAPPER.readTree(receiver.next(TIMEOUT).body());

        assertThat(webhook.get("status").asText()).isEqualTo("OK");
        assertThat(webhook.get("payload").isNull()).isTrue();
        assertThat(webhook.get("payload_error").asText()).contains("not JSON serializable");
        assertThat(running.fal().get(submitted.get("response_url").asText()).status()).isEqualTo(200);
        assertFiredOnce(Fault.PAYLOAD_ERROR);
    }

    @Test
    void completeDespiteCancelRunsOnAfterCancellationRequested() {
        running.emulator().setSpeed(20); // an image edit: ~75 ms queued, ~0.4 s running
        arm(Fault.COMPLETE_DESPITE_CANCEL, Knob.count(1));
        JsonNode submitted = running.fal().submit(MODEL, input(), null).json();

        FalTestClient.Response cancel = running.fal().put(submitted.get("cancel_url").asText());
        JsonNode status = running.fal().awaitCompleted(submitted, TIMEOUT);

        assertThat(cancel.status()).isEqualTo(202);
        assertThat(cancel.json().get("status").asText()).isEqualTo("CANCELLATION_REQUESTED");
        assertThat(status.has("error")).as("completed normally").isFalse();
        assertThat(running.fal().get(submitted.get("response_url").asText()).status()).isEqualTo(200);
        assertThat(running.fal().put(submitted.get("cancel_url").asText()).json().get("status").asText())
                .isEqualTo("ALREADY_COMPLETED");
        assertFiredOnce(Fault.COMPLETE_DESPITE_CANCEL);
    }

    @Test
    void acceptMissingKeyLetsKeylessRequestsInButNeverAWrongKey() {
        arm(Fault.ACCEPT_MISSING_KEY, Knob.always());

        FalTestClient.Response keyless = running.fal().anonymous(submitRequest());
        FalTestClient.Response wrongKey = running.fal().anonymous(submitRequest()
                .header("Authorization", "Key not-the-key"));

        assertThat(keyless.status()).isEqualTo(200);
        assertThat(wrongKey.status()).isEqualTo(401);
        assertThat(running.emulator().stats().fired(Fault.ACCEPT_MISSING_KEY)).isEqualTo(firedBefore + 1);
    }

    /** The knob's stats counter when it was armed. */
    private long firedBefore;

    private void arm(Fault fault, Knob knob) {
        firedBefore = running.emulator().stats().fired(fault);
        running.emulator().faults().replace(FaultSettings.none().with(fault, knob));
    }

    /** Each test arms a count-1 knob: it was used up, and its stats counter moved by one. */
    private void assertFiredOnce(Fault fault) {
        assertThat(running.emulator().faults().current().knobs().get(fault).count()).isZero();
        assertThat(running.emulator().stats().fired(fault)).isEqualTo(firedBefore + 1);
    }

    private static ModelCounts counts() {
        return running.emulator().stats().model(MODEL);
    }

    private static ObjectNode input() {
        return Json.object().put("image_url", running.inputs().imageUrl());
    }

    private static JsonNode submitWithWebhook(String path) {
        return running.fal().submit(MODEL, input(), receiver.url(path)).json();
    }

    private static HttpRequest.Builder submitRequest() {
        return HttpRequest.newBuilder(URI.create(running.emulator().baseUrl() + "/" + MODEL))
                .POST(HttpRequest.BodyPublishers.ofString(input().toString()));
    }

    private static JsonNode completedImage() {
        JsonNode submitted = running.fal().submit(MODEL, input(), null).json();
        running.fal().awaitCompleted(submitted, TIMEOUT);
        return running.fal().get(submitted.get("response_url").asText()).json().at("/images/0");
    }

    private static FalTestClient.Response download(JsonNode file) {
        return running.fal().anonymous(HttpRequest.newBuilder(URI.create(file.get("url").asText())));
    }
}
