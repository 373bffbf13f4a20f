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
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

    @ParameterizedTest
    @ValueSource(ints = {429, 500, 503})
    void submitHttpErrorRefusesAndQueuesNothingWhateverItsStatus(int status) {
        arm(Fault.SUBMIT_HTTP_ERROR, Knob.count(1).withStatus(status));
        long submits = counts().submits();
        int accepted = running.emulator().acceptedSubmits().size();

        FalTestClient.Response refused = running.fal().submit(MODEL, input(), receiver.url("/x"));

        assertThat(refused.status()).isEqualTo(status);
        assertThat(refused.header("x-fal-request-id")).isNull();
        assertThat(counts().submits()).isEqualTo(submits);
        assertThat(running.emulator().acceptedSubmits()).hasSize(accepted);
        assertFiredOnce(Fault.SUBMIT_HTTP_ERROR);
    }

    @Test
    void submitTimeoutAnswersTooLateButTheRequestRunsAndItsWebhookComes() throws Exception {
        arm(Fault.SUBMIT_TIMEOUT, Knob.count(1).withDelay(Duration.ofSeconds(2)));
        int accepted = running.emulator().acceptedSubmits().size();
        URI webhook = receiver.url("/late-answer");
        HttpRequest impatient = HttpRequest.newBuilder(URI.create(running.emulator().baseUrl()
                + "/" + MODEL + "?fal_webhook=" + URLEncoder.encode(webhook.toString(),
                StandardCharsets.UTF_8)))
                .header("Authorization", "Key " + running.emulator().apiKey())
                .timeout(Duration.ofMillis(300))
                .POST(HttpRequest.BodyPublishers.ofString(input().toString())).build();

        assertThatThrownBy(() -> HttpClient.newHttpClient().send(impatient,
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(HttpTimeoutException.class);

        WebhookReceiver.Delivery delivery = receiver.next(TIMEOUT);
        assertThat(delivery.path()).isEqualTo("/late-answer");
        AcceptedSubmit submit = running.emulator().acceptedSubmits().get(accepted);
        assertThat(submit.webhookUrl()).isEqualTo(webhook.toString());
        assertThat(delivery.header("X-Fal-Webhook-Request-Id")).isEqualTo(submit.requestId());
        assertThat(Json.MAPPER.readTree(delivery.body()).get("status").asText()).isEqualTo("OK");
        assertFiredOnce(Fault.SUBMIT_TIMEOUT);
    }

    @Test
    void submitTimeoutAnswerArrivesAfterItsDelay() {
        arm(Fault.SUBMIT_TIMEOUT, Knob.count(1).withDelay(Duration.ofMillis(500)));

        long began = System.nanoTime();
        FalTestClient.Response late = running.fal().submit(MODEL, input(), null);
        Duration took = Duration.ofNanos(System.nanoTime() - began);
        long beganAgain = System.nanoTime();
        FalTestClient.Response prompt = running.fal().submit(MODEL, input(), null);

        assertThat(late.status()).isEqualTo(200);
        assertThat(late.json().get("request_id").asText()).isNotBlank();
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(450));
        assertThat(prompt.status()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - beganAgain)).isLessThan(took);
        assertFiredOnce(Fault.SUBMIT_TIMEOUT);
    }

    @Test
    void missingOutputAnswers404ForEveryFileOfTheStruckRequestOnly() {
        arm(Fault.MISSING_OUTPUT, Knob.count(1));
        String model = "fal-ai/era-3d"; // several output files (views and normals)
        JsonNode struck = completedResult(model);
        JsonNode healthy = completedResult(model);

        List<String> struckUrls = fileUrls(struck);
        List<String> healthyUrls = fileUrls(healthy);
        assertThat(struckUrls).hasSizeGreaterThan(1);
        for (String url : struckUrls) {
            assertThat(download(url).status()).as(url).isEqualTo(404);
        }
        for (String url : healthyUrls) {
            assertThat(download(url).status()).as(url).isEqualTo(200);
        }
        assertFiredOnce(Fault.MISSING_OUTPUT);
    }

    @Test
    void foreignOutputHostNamesAnotherLoopbackHostInResultAndWebhook() throws Exception {
        arm(Fault.FOREIGN_OUTPUT_HOST, Knob.count(1));
        JsonNode submitted = submitWithWebhook("/foreign-host");

        JsonNode webhook = Json.MAPPER.readTree(receiver.next(TIMEOUT).body());
        running.fal().awaitCompleted(submitted, TIMEOUT);
        JsonNode result = running.fal().get(submitted.get("response_url").asText()).json();

        String foreignPrefix = "http://127.0.0.2:" + running.emulator().baseUrl().getPort()
                + "/files/" + submitted.get("request_id").asText() + "/";
        assertThat(fileUrls(result)).isNotEmpty().allSatisfy(url ->
                assertThat(url).startsWith(foreignPrefix));
        assertThat(fileUrls(webhook.get("payload"))).isEqualTo(fileUrls(result));
        assertThat(fileUrls(completedResult(MODEL))).allSatisfy(url ->
                assertThat(url).startsWith(running.emulator().baseUrl() + "/files/"));
        assertFiredOnce(Fault.FOREIGN_OUTPUT_HOST);
    }

    @Test
    void theNewKnobsAreTakenAtStartAndListedOverHttp() {
        String knobs = "{\"knobs\": {\"submit_timeout\": {\"count\": 1, \"delay_ms\": 50},"
                + " \"missing_output\": {\"probability\": 0.5},"
                + " \"foreign_output_host\": {\"count\": 2}}}";
        try (RunningEmulator started = RunningEmulator.start(FalEmulatorConfig.builder()
                .faults(knobs).build())) {
            JsonNode faults = started.fal().path("GET", "/_emulator/faults", null).json();

            assertThat(faults.at("/knobs/submit_timeout/delay_ms").asLong()).isEqualTo(50);
            assertThat(faults.at("/knobs/missing_output/probability").asDouble()).isEqualTo(0.5);
            assertThat(faults.at("/knobs/foreign_output_host/count").asLong()).isEqualTo(2);
            assertThat(faults.at("/available/submit_timeout/0").asText()).isEqualTo("delay_ms");
            assertThat(faults.at("/available/missing_output").isEmpty()).isTrue();
            assertThat(faults.at("/fired/foreign_output_host").asLong()).isZero();
        }
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
        return download(file.get("url").asText());
    }

    private static FalTestClient.Response download(String url) {
        return running.fal().anonymous(HttpRequest.newBuilder(URI.create(url)));
    }

    private static JsonNode completedResult(String model) {
        JsonNode submitted = running.fal().submit(model, Json.object()
                .put("image_url", running.inputs().imageUrl()), null).json();
        running.fal().awaitCompleted(submitted, TIMEOUT);
        return running.fal().get(submitted.get("response_url").asText()).json();
    }

    /** Every {@code url} in the result, wherever the schema puts its files. */
    private static List<String> fileUrls(JsonNode result) {
        return result.findValues("url").stream().map(JsonNode::asText).toList();
    }
}
