package dev.falgate.emulator.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.emulator.Json;
import dev.falgate.emulator.RuntimeSettings;
import dev.falgate.emulator.StatsRecorder;
import dev.falgate.emulator.StatsRecorder.Counter;
import dev.falgate.emulator.queue.FalRequest;
import dev.falgate.emulator.queue.Outcome;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Delivers the completion webhook (fal-protocol.md §2-3): signed JSON POST, retried on any
 * non-2xx or transport failure after the configured delays, abandoned at once on a 3xx
 * (fal treats redirects as permanent failures and never follows them).
 */
public final class WebhookSender {
    private final HttpClient http;
    private final WebhookSigner signer;
    private final RuntimeSettings settings;
    private final StatsRecorder stats;
    private final ScheduledExecutorService scheduler;
    private final String userId;
    private final List<Duration> retryDelays;
    private final Duration timeout;
    private final Clock clock;

    public WebhookSender(HttpClient http, WebhookSigner signer, RuntimeSettings settings,
            StatsRecorder stats, ScheduledExecutorService scheduler, String userId,
            List<Duration> retryDelays, Duration timeout, Clock clock) {
        this.http = http;
        this.signer = signer;
        this.settings = settings;
        this.stats = stats;
        this.scheduler = scheduler;
        this.userId = userId;
        this.retryDelays = List.copyOf(retryDelays);
        this.timeout = timeout;
        this.clock = clock;
    }

    /** Called once when a request completes; does nothing without {@code fal_webhook}. */
    public void deliver(FalRequest request) {
        request.webhook().ifPresent(url -> {
            if (settings.dropWebhooks()) {
                stats.increment(request.model().id(), Counter.WEBHOOKS_DROPPED);
                return;
            }
            attempt(request, url, body(request), 0);
        });
    }

    /** {@code request_id, gateway_request_id, status OK|ERROR, payload, error?}. */
    static byte[] body(FalRequest request) {
        Outcome outcome = request.view().outcome();
        ObjectNode body = Json.object()
                .put("request_id", request.id())
                .put("gateway_request_id", request.id())
                .put("status", outcome.succeeded() ? "OK" : "ERROR");
        body.set("payload", outcome.body());
        if (!outcome.succeeded()) {
            body.put("error", "Invalid status code: " + outcome.httpStatus());
        }
        try {
            return Json.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void attempt(FalRequest request, URI url, byte[] body, int attempt) {
        stats.increment(request.model().id(), Counter.WEBHOOKS_SENT);
        http.sendAsync(signed(request.id(), url, body), HttpResponse.BodyHandlers.discarding())
                .whenComplete((response, failure) -> {
                    int status = response == null ? 0 : response.statusCode();
                    if (status / 100 == 2) {
                        stats.increment(request.model().id(), Counter.WEBHOOKS_ACKNOWLEDGED);
                    } else if (status / 100 != 3 && attempt < retryDelays.size()) {
                        scheduler.schedule(() -> attempt(request, url, body, attempt + 1),
                                retryDelays.get(attempt).toNanos(), TimeUnit.NANOSECONDS);
                    }
                });
    }

    /** Each attempt is signed afresh: receivers reject timestamps older than five minutes. */
    private HttpRequest signed(String requestId, URI url, byte[] body) {
        String timestamp = Long.toString(clock.instant().getEpochSecond());
        return HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("X-Fal-Webhook-Request-Id", requestId)
                .header("X-Fal-Webhook-User-Id", userId)
                .header("X-Fal-Webhook-Timestamp", timestamp)
                .header("X-Fal-Webhook-Signature", signer.sign(requestId, userId, timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }
}
