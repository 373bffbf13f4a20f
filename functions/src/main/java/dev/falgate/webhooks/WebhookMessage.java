package dev.falgate.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.falgate.http.Json;
import java.time.Instant;

/**
 * One delivery on the webhook queue. The {@code webhookId} stays the same on every attempt;
 * {@code notBefore} is when the attempt is due (SQS delays stop at 15 minutes, so a longer wait
 * is a message that comes back early and is put back for the rest).
 */
public record WebhookMessage(String jobId, String event, String webhookId, int attempt, Instant notBefore) {

    /** The id of an event a transition made: the same for every relay of it, so receivers see one event. */
    public static WebhookMessage first(String jobId, String event, Instant now) {
        return new WebhookMessage(jobId, event, "msg_" + jobId + "_" + event, 1, now);
    }

    public WebhookMessage nextAttempt(Instant due) {
        return new WebhookMessage(jobId, event, webhookId, attempt + 1, due);
    }

    public String toJson() {
        return Json.write(Json.object().put("job_id", jobId).put("event", event).put("webhook_id", webhookId)
                .put("attempt", attempt).put("not_before", notBefore.toEpochMilli()));
    }

    public static WebhookMessage parse(String body) {
        JsonNode n = Json.parse(body);
        return new WebhookMessage(n.get("job_id").asText(), n.get("event").asText(), n.get("webhook_id").asText(),
                n.get("attempt").asInt(), Instant.ofEpochMilli(n.get("not_before").asLong()));
    }
}
