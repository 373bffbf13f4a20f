package dev.falgate.callback;

import com.fasterxml.jackson.databind.JsonNode;
import dev.falgate.fal.FalUrls;
import dev.falgate.fal.WebhookVerifier;
import dev.falgate.http.ApiException;
import dev.falgate.http.ApiRequest;
import dev.falgate.http.Json;
import dev.falgate.jobs.Ids;
import dev.falgate.jobs.Job;
import dev.falgate.jobs.JobRepository;
import dev.falgate.jobs.ResultRecorder;
import dev.falgate.poller.PollScheduler;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;

/**
 * fal's webhook for one job. Authenticated by fal's Ed25519 signature alone; the signed
 * request id must be the job's own (a valid webhook replayed to another job's URL is
 * refused). Records the result and leaves copying the outputs to the poll path, so it
 * answers within a fraction of fal's 15 s timeout and a crash loses nothing.
 */
public final class CallbackService {
    private final WebhookVerifier verifier;
    private final JobRepository jobs;
    private final ResultRecorder results;
    private final PollScheduler polls;
    private final URI falQueueBase;
    private final Clock clock;

    public CallbackService(WebhookVerifier verifier, JobRepository jobs, ResultRecorder results,
            PollScheduler polls, URI falQueueBase, Clock clock) {
        this.verifier = verifier;
        this.jobs = jobs;
        this.results = results;
        this.polls = polls;
        this.falQueueBase = falQueueBase;
        this.clock = clock;
    }

    public void handle(String jobId, ApiRequest request) {
        byte[] body = request.rawBody();
        String requestId = verifier.verify(request::header, body).orElseThrow(CallbackService::forged);
        JsonNode webhook = parse(body);
        if (!requestId.equals(webhook.path("request_id").asText())) {
            throw forged();
        }
        Job job = (Ids.isJobId(jobId) ? jobs.find(jobId) : Optional.<Job>empty())
                .orElseThrow(() -> ApiException.notFound("job"));
        if (job.falRequestId() != null && !job.falRequestId().equals(requestId)) {
            throw forged();
        }
        if (job.falRequestId() == null) {
            job = bind(job, requestId);
            if (!requestId.equals(job.falRequestId())) {
                throw forged();
            }
        }
        if (job.hasResult() || job.outputsCopied()) {
            return; // a duplicate delivery
        }
        record(job, webhook);
    }

    /** The webhook beat submit's own write of fal's request id: store it from the webhook. */
    private Job bind(Job job, String requestId) {
        return jobs.update(job.id(), j -> {
            if (j.falRequestId() != null) {
                return false;
            }
            j.bindRequest(requestId, FalUrls.status(falQueueBase, j.model(), requestId),
                    FalUrls.requestBase(falQueueBase, j.model(), requestId),
                    FalUrls.cancel(falQueueBase, j.model(), requestId), clock.instant());
            return true;
        }).orElse(job);
    }

    private void record(Job job, JsonNode webhook) {
        String status = webhook.path("status").asText();
        JsonNode payload = webhook.get("payload");
        if ("OK".equals(status) && (payload == null || payload.isNull())) {
            // payload_error: fal could not put the result in the webhook; read it from the queue
            polls.pollNow(job.id());
            return;
        }
        boolean ok = "OK".equals(status);
        String error = webhook.hasNonNull("error") ? webhook.get("error").asText() : null;
        results.record(job.id(), ok, payload, error, "webhook");
        polls.finishNow(job.id());
    }

    private static JsonNode parse(byte[] body) {
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            if (node == null || !node.isObject()) {
                throw forged();
            }
            return node;
        } catch (java.io.IOException e) {
            throw forged();
        }
    }

    private static ApiException forged() {
        return new ApiException(401, "invalid_signature", "webhook signature does not verify");
    }
}
