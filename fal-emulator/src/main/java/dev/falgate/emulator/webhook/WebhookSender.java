package dev.falgate.emulator.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.emulator.Json;
import dev.falgate.emulator.RuntimeSettings;
import dev.falgate.emulator.StatsRecorder;
import dev.falgate.emulator.StatsRecorder.Counter;
import dev.falgate.emulator.faults.Fault;
import dev.falgate.emulator.faults.FaultPlan;
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
 * (fal treats redirects as permanent failures and never follows them). The webhook faults
 * (drop, duplicate, delay, payload_error) act here.
 */
public final class WebhookSender {
    static final String PAYLOAD_ERROR = "Response payload is not JSON serializable. Either return"
            + " a JSON serializable object or use the queue endpoint to retrieve the response.";

    private final HttpClient http;
    private final WebhookSigner signer;
    private final RuntimeSettings settings;
    private final FaultPlan faults;
    private final StatsRecorder stats;
    private final ScheduledExecutorService scheduler;
    private final List<Duration> retryDelays;
    private final Duration timeout;
    private final Clock clock;

    public WebhookSender(HttpClient http, WebhookSigner signer, RuntimeSettings settings,
            FaultPlan faults, StatsRecorder stats, ScheduledExecutorService scheduler,
            List<Duration> retryDelays, Duration timeout, Clock clock) {
        this.http = http;
        this.signer = signer;
        this.settings = settings;
        this.faults = faults;
        this.stats = stats;
        this.scheduler = scheduler;
        this.retryDelays = List.copyOf(retryDelays);
        this.timeout = timeout;
        this.clock = clock;
    }

    /** Called once per request when its outcome is known; does nothing without {@code fal_webhook}. */
    public void deliver(FalRequest request, Outcome outcome) {
        request.webhook().ifPresent(url -> send(request, outcome, url));
    }

    private void send(FalRequest request, Outcome outcome, URI url) {
        if (settings.dropWebhooks() || faults.fires(Fault.DROP_WEBHOOK)) {
            stats.increment(request.model().id(), Counter.WEBHOOKS_DROPPED);
            return;
        }
        boolean unserializable = outcome.succeeded() && faults.fires(Fault.PAYLOAD_ERROR);
        byte[] body = body(request.id(), outcome, unserializable);
        Duration delay = faults.fires(Fault.DELAY_WEBHOOK) ? faults.delay(Fault.DELAY_WEBHOOK)
                : Duration.ZERO;
        int copies = faults.fires(Fault.DUPLICATE_WEBHOOK) ? faults.copies(Fault.DUPLICATE_WEBHOOK) : 1;
        for (int copy = 0; copy < copies; copy++) {
            scheduler.schedule(() -> attempt(request, url, body, 0), delay.toNanos(),
                    TimeUnit.NANOSECONDS);
        }
    }

    /**
     * {@code request_id, gateway_request_id, status OK|ERROR, payload}, plus {@code error} when
     * failed, or {@code payload_error} (with a null payload) when the output "did not serialize".
     */
    static byte[] body(String requestId, Outcome outcome, boolean unserializable) {
        ObjectNode body = Json.object()
                .put("request_id", requestId)
                .put("gateway_request_id", requestId)
                .put("status", outcome.succeeded() ? "OK" : "ERROR");
        if (unserializable) {
            body.putNull("payload").put("payload_error", PAYLOAD_ERROR);
        } else {
            body.set("payload", outcome.body());
        }
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
        http.sendAsync(signed(request, url, body), HttpResponse.BodyHandlers.discarding())
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

    /**
     * Each attempt is signed afresh: receivers reject timestamps older than five minutes. The
     * user id is the submitting account's; the keys are the same for every account.
     */
    private HttpRequest signed(FalRequest request, URI url, byte[] body) {
        String requestId = request.id();
        String userId = request.userId();
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
