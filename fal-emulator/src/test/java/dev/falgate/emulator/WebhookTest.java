package dev.falgate.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WebhookTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String MODEL = "fal-ai/image-editing/color-correction";

    private static InputServer inputs;
    private static WebhookReceiver receiver;
    private static FalEmulator emulator;
    private static FalTestClient fal;

    @BeforeAll
    static void start() {
        inputs = new InputServer();
        receiver = new WebhookReceiver();
        emulator = FalEmulator.start(FalEmulatorConfig.builder().speed(1000).userId("user-42")
                .webhookRetryDelays(List.of(Duration.ofMillis(20), Duration.ofMillis(40)))
                .build());
        fal = new FalTestClient(emulator);
    }

    @AfterAll
    static void stop() {
        emulator.close();
        receiver.close();
        inputs.close();
    }

    @AfterEach
    void noLeftoverDeliveries() {
        emulator.setDropWebhooks(false);
        assertThat(receiver.pending()).isZero();
    }

    @Test
    void completionWebhookIsSignedWithAPublishedKey() throws Exception {
        JsonNode submitted = submitWithWebhook("/hooks/ok");

        WebhookReceiver.Delivery delivery = receiver.next(TIMEOUT);

        String id = submitted.get("request_id").asText();
        assertThat(delivery.path()).isEqualTo("/hooks/ok");
        assertThat(delivery.header("Content-Type")).isEqualTo("application/json");
        assertThat(delivery.header("X-Fal-Webhook-Request-Id")).isEqualTo(id);
        assertThat(delivery.header("X-Fal-Webhook-User-Id")).isEqualTo("user-42");
        long timestamp = Long.parseLong(delivery.header("X-Fal-Webhook-Timestamp"));
        assertThat(Math.abs(Instant.now().getEpochSecond() - timestamp)).isLessThan(300);

        JsonNode body = Json.MAPPER.readTree(delivery.body());
        assertThat(body.get("request_id").asText()).isEqualTo(id);
        assertThat(body.get("gateway_request_id").asText()).isEqualTo(id);
        assertThat(body.get("status").asText()).isEqualTo("OK");
        assertThat(body.has("error")).isFalse();
        assertThat(body.get("payload"))
                .isEqualTo(fal.get(submitted.get("response_url").asText()).json());

        JwksVerifier verifier = new JwksVerifier(jwks());
        assertThat(verifier.keyCount()).isEqualTo(2);
        String signature = delivery.header("X-Fal-Webhook-Signature");
        assertThat(signature).hasSize(128);
        String ts = delivery.header("X-Fal-Webhook-Timestamp");
        assertThat(verifier.verify(id, "user-42", ts, signature, delivery.body())).isTrue();
        byte[] tampered = delivery.body().clone();
        tampered[tampered.length / 2] ^= 1;
        assertThat(verifier.verify(id, "user-42", ts, signature, tampered)).isFalse();
        Deadline.await("acknowledgement counted", TIMEOUT,
                () -> emulator.stats().model(MODEL).webhooksAcknowledged() >= 1);
    }

    @Test
    void failedRequestsSendAnErrorWebhookWithThe422Body() throws Exception {
        ObjectNode input = Json.object().put("image_url", inputs.url("/absent.png"));
        fal.submit(MODEL, input, receiver.url("/hooks/error"));

        JsonNode body = Json.MAPPER.readTree(receiver.next(TIMEOUT).body());

        assertThat(body.get("status").asText()).isEqualTo("ERROR");
        assertThat(body.get("error").asText()).isEqualTo("Invalid status code: 422");
        assertThat(body.at("/payload/detail/0/type").asText()).isEqualTo("file_download_error");
    }

    @Test
    void non2xxAnswersAreRetriedButRedirectsAreNot() throws Exception {
        long sentBefore = emulator.stats().model(MODEL).webhooksSent();
        receiver.respondWith(500, 503);
        submitWithWebhook("/hooks/flaky");

        assertThat(receiver.next(TIMEOUT)).isNotNull();
        assertThat(receiver.next(TIMEOUT)).isNotNull();
        assertThat(receiver.next(TIMEOUT)).isNotNull(); // the third attempt gets the 200
        Deadline.await("three attempts counted", TIMEOUT,
                () -> emulator.stats().model(MODEL).webhooksSent() == sentBefore + 3);

        receiver.respondWith(307);
        submitWithWebhook("/hooks/redirect");
        assertThat(receiver.next(TIMEOUT)).isNotNull();
        assertThat(receiver.next(Duration.ofMillis(300))).as("no retry after a 3xx").isNull();
    }

    @Test
    void dropSwitchSendsNothingAndCountsTheDrop() {
        emulator.setDropWebhooks(true);
        long dropped = emulator.stats().model(MODEL).webhooksDropped();
        long sent = emulator.stats().model(MODEL).webhooksSent();

        JsonNode submitted = submitWithWebhook("/hooks/dropped");
        fal.awaitCompleted(submitted, TIMEOUT);

        Deadline.await("drop counted", TIMEOUT,
                () -> emulator.stats().model(MODEL).webhooksDropped() == dropped + 1);
        assertThat(emulator.stats().model(MODEL).webhooksSent()).isEqualTo(sent);
    }

    @Test
    void controlApiSwitchesDropAndSpeedAndServesStats() {
        FalTestClient.Response config = fal.path("POST", "/_emulator/config",
                "{\"drop_webhooks\": true, \"speed\": 20}");
        assertThat(config.status()).isEqualTo(200);
        assertThat(config.json().get("drop_webhooks").asBoolean()).isTrue();
        assertThat(config.json().get("speed").asDouble()).isEqualTo(20.0);
        long dropped = emulator.stats().model(MODEL).webhooksDropped();
        try {
            fal.awaitCompleted(submitWithWebhook("/hooks/dropped-over-http"), TIMEOUT);
            Deadline.await("drop counted", TIMEOUT,
                    () -> emulator.stats().model(MODEL).webhooksDropped() == dropped + 1);
        } finally {
            fal.path("POST", "/_emulator/config", "{\"drop_webhooks\": false, \"speed\": 1000}");
        }
        assertThat(fal.path("POST", "/_emulator/config", "{\"speed\": -1}").status())
                .isEqualTo(400);

        JsonNode stats = fal.path("GET", "/_emulator/stats", null).json();
        JsonNode counts = stats.at("/models/" + MODEL.replace("/", "~1"));
        assertThat(counts.get("submits").asLong()).isPositive();
        assertThat(counts.get("status_polls").asLong()).isPositive();
        assertThat(counts.get("webhooks_dropped").asLong()).isPositive();
        assertThat(stats.at("/totals/submits").asLong()).isGreaterThanOrEqualTo(
                counts.get("submits").asLong());
    }

    @Test
    void afterARotationTheNewerKeySignsAndThePreviousStaysPublished() throws Exception {
        JsonNode before = jwks();
        FalTestClient.Response rotated = fal.path("POST", "/_emulator/rotate-keys", null);
        JsonNode after = jwks();
        assertThat(rotated.json()).isEqualTo(after);
        assertThat(after.at("/keys/1/x")).isEqualTo(before.at("/keys/0/x"));
        assertThat(after.at("/keys/0/kid")).isNotIn(before.findValues("kid"));

        JsonNode submitted = submitWithWebhook("/hooks/rotated");
        WebhookReceiver.Delivery delivery = receiver.next(TIMEOUT);

        String id = submitted.get("request_id").asText();
        String ts = delivery.header("X-Fal-Webhook-Timestamp");
        String signature = delivery.header("X-Fal-Webhook-Signature");
        assertThat(new JwksVerifier(after).verify(id, "user-42", ts, signature, delivery.body()))
                .isTrue();
        assertThat(new JwksVerifier(before).verify(id, "user-42", ts, signature, delivery.body()))
                .as("a stale JWKS").isFalse();
    }

    private static JsonNode submitWithWebhook(String path) {
        return fal.submit(MODEL, Json.object().put("image_url", inputs.imageUrl()),
                receiver.url(path)).json();
    }

    private static JsonNode jwks() {
        FalTestClient.Response response = fal.anonymous(HttpRequest.newBuilder(
                URI.create(emulator.jwksUrl().toString())));
        assertThat(response.status()).isEqualTo(200);
        return response.json();
    }
}
