package dev.falgate.jobs;

import java.time.Instant;

/**
 * One attempt to deliver a partner webhook, as the job shows it. {@code statusCode} is null when
 * no answer came (refused target, connection failure, timeout).
 */
public record WebhookDelivery(String event, int attempt, Integer statusCode, Instant at, String webhookId) {
    public boolean succeeded() {
        return statusCode != null && statusCode >= 200 && statusCode < 300;
    }
}
