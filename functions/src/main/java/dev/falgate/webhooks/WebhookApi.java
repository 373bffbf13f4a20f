package dev.falgate.webhooks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.http.ApiException;
import dev.falgate.http.Json;
import dev.falgate.jobs.Job;
import dev.falgate.read.JobQueries;
import dev.falgate.jobs.JobRepository;
import java.time.Clock;
import java.util.UUID;

/** The partner-facing webhook routes: the tenant's signing secret, its rotation, a job's replay. */
public final class WebhookApi {
    private final WebhookSecrets secrets;
    private final JobRepository jobs;
    private final WebhookQueue queue;
    private final Clock clock;

    public WebhookApi(WebhookSecrets secrets, JobRepository jobs, WebhookQueue queue, Clock clock) {
        this.secrets = secrets;
        this.jobs = jobs;
        this.queue = queue;
        this.clock = clock;
    }

    /** {@code GET /v1/webhooks/secret}. */
    public ObjectNode secret(String tenant) {
        return render(secrets.of(tenant));
    }

    /** {@code POST /v1/webhooks/secret/rotate}: the new secret; the old one signs too for 24 hours. */
    public ObjectNode rotate(String tenant) {
        return render(secrets.rotate(tenant));
    }

    private static ObjectNode render(WebhookSecrets.TenantSecrets s) {
        return Json.object().put("secret", s.current())
                .put("previous_secret_expires_at", s.previousUntil() == null ? null : Json.time(s.previousUntil()));
    }

    /**
     * {@code POST /v1/jobs/{id}/webhook/replay}: the job's last event once more, under a new
     * {@code webhook-id} (receivers that drop repeated ids would drop a replay otherwise).
     */
    public ObjectNode replay(String tenant, String jobId) {
        Job job = JobQueries.find(jobs, tenant, jobId);
        if (job.subscription() == null || job.lastWebhookEvent() == null) {
            throw new ApiException(409, "no_webhook_event", "the job has no webhook event to send again");
        }
        String webhookId = "msg_" + UUID.randomUUID().toString().replace("-", "");
        queue.send(new WebhookMessage(job.id(), job.lastWebhookEvent(), webhookId, 1, clock.instant()));
        return Json.object().put("webhook_id", webhookId).put("event", "job." + job.lastWebhookEvent());
    }
}
