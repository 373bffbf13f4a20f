package dev.falgate.webhooks;

import dev.falgate.http.Json;
import dev.falgate.ingest.GuardedPoster;
import dev.falgate.ingest.IngestException;
import dev.falgate.jobs.Job;
import dev.falgate.jobs.JobRepository;
import dev.falgate.jobs.JobView;
import dev.falgate.jobs.WebhookDelivery;
import dev.falgate.telemetry.Metrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * One attempt at one event: the job as {@code GET /v1/jobs/{id}} shows it now (fresh file URLs)
 * in the Standard Webhooks envelope, signed now with the tenant's secrets, POSTed through the
 * SSRF guard. A 2xx ends it; anything else (3xx included, no answer, a refused target) is
 * recorded on the job and tried again after an exponential backoff, up to {@link #MAX_ATTEMPTS};
 * the last failure goes to the dead-letter queue.
 */
public final class WebhookDeliveryService {
    /** 12 attempts over about 34 hours: 5 s, 15 s, 45 s, ... tripling, each wait at most 10 h. */
    public static final int MAX_ATTEMPTS = 12;
    /** The metric counting partner-webhook attempts, by {@code outcome}. */
    public static final String WEBHOOK_DELIVERIES = "WebhookDeliveries";
    static final Duration FIRST_WAIT = Duration.ofSeconds(5);
    static final Duration LONGEST_WAIT = Duration.ofHours(10);

    private final JobRepository jobs;
    private final JobView view;
    private final WebhookSecrets secrets;
    private final GuardedPoster poster;
    private final WebhookQueue queue;
    private final UnaryOperator<Duration> scale;
    private final Clock clock;

    /** {@code scale} shortens the waits where the stack runs sped up (FALGATE_TIME_SCALE). */
    public WebhookDeliveryService(JobRepository jobs, JobView view, WebhookSecrets secrets, GuardedPoster poster,
            WebhookQueue queue, UnaryOperator<Duration> scale, Clock clock) {
        this.jobs = jobs;
        this.view = view;
        this.secrets = secrets;
        this.poster = poster;
        this.queue = queue;
        this.scale = scale;
        this.clock = clock;
    }

    /** The wait after a failed attempt {@code attempt} (1-based), unscaled. */
    static Duration backoff(int attempt) {
        Duration wait = FIRST_WAIT;
        for (int i = 1; i < attempt && wait.compareTo(LONGEST_WAIT) < 0; i++) {
            wait = wait.multipliedBy(3);
        }
        return wait.compareTo(LONGEST_WAIT) < 0 ? wait : LONGEST_WAIT;
    }

    public void deliver(WebhookMessage message) {
        if (message.notBefore().isAfter(clock.instant())) {
            queue.send(message); // a wait longer than SQS can delay: back for the rest
            return;
        }
        Optional<Job> found = jobs.find(message.jobId());
        if (found.isEmpty() || found.get().subscription() == null || alreadyDelivered(found.get(), message)) {
            return;
        }
        WebhookDelivery delivery = new WebhookDelivery(message.event(), message.attempt(), attempt(found.get(), message),
                clock.instant(), message.webhookId());
        // a fresh read, not the job read before the POST: a copy still holding an outbox its
        // writer is publishing would store that outbox again, and it would be published twice
        jobs.update(message.jobId(), j -> {
            j.recordDelivery(delivery);
            return true;
        });
        if (delivery.succeeded()) {
            countDelivery("delivered");
            return;
        }
        if (message.attempt() >= MAX_ATTEMPTS) {
            countDelivery("gave_up");
            queue.deadLetter(message);
        } else {
            countDelivery("retrying");
            queue.send(message.nextAttempt(clock.instant().plus(scale.apply(backoff(message.attempt())))));
        }
    }

    /** Partner webhook attempts by outcome: delivered, retrying (failed, another attempt comes), gave_up. */
    private static void countDelivery(String outcome) {
        Metrics.put(WEBHOOK_DELIVERIES, 1, Metrics.Unit.COUNT, Map.of("outcome", outcome));
    }

    /** A first attempt of an event that already reached the receiver is a relayed duplicate. */
    private static boolean alreadyDelivered(Job job, WebhookMessage message) {
        return message.attempt() == 1 && job.webhookDeliveries().stream()
                .anyMatch(d -> d.webhookId().equals(message.webhookId()) && d.succeeded());
    }

    /** The receiver's status code, or null when none came (refused, unreachable, timed out). */
    private Integer attempt(Job job, WebhookMessage message) {
        Instant now = clock.instant();
        byte[] body = Json.write(Json.object().put("type", "job." + message.event())
                .put("timestamp", Json.time(now)).set("data", view.render(job))).getBytes(StandardCharsets.UTF_8);
        long timestamp = now.getEpochSecond();
        Map<String, String> headers = Map.of(
                "webhook-id", message.webhookId(),
                "webhook-timestamp", Long.toString(timestamp),
                "webhook-signature", WebhookSigner.signatureHeader(secrets.of(job.tenant()).signing(now),
                        message.webhookId(), timestamp, body),
                "User-Agent", "falgate-webhooks");
        try {
            return poster.post(job.subscription().url(), headers, body);
        } catch (IngestException | IOException e) {
            dev.falgate.http.Log.warn(null, "webhook " + message.webhookId() + " attempt " + message.attempt()
                    + " got no answer: " + e.getMessage());
            return null;
        }
    }
}
