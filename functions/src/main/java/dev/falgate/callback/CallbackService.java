package dev.falgate.callback;

import com.fasterxml.jackson.databind.JsonNode;
import dev.falgate.fal.FalUrls;
import dev.falgate.fal.WebhookTokens;
import dev.falgate.fal.WebhookVerifier;
import dev.falgate.http.ApiException;
import dev.falgate.http.ApiRequest;
import dev.falgate.http.Json;
import dev.falgate.jobs.Ids;
import dev.falgate.jobs.Job;
import dev.falgate.jobs.JobRepository;
import dev.falgate.jobs.ResultRecorder;
import dev.falgate.jobs.JobMetrics;
import dev.falgate.poller.ImmediateFinish;
import dev.falgate.poller.JobFinisher;
import dev.falgate.poller.PollScheduler;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;

/**
 * fal's webhook for one job. fal signs every customer's webhooks with the same keys, so a valid
 * signature alone proves only that fal sent it. Three checks bind it to this deployment and
 * this job, in this order: the job's token in the URL (only this deployment can make it), the
 * signature, and the signed fal account ({@code FAL_USER_ID}, when set). The signed request id
 * must then be the job's own, or become it if fal's answer to our submit never arrived.
 * Records the result with one conditional write (no read), then finishes image jobs in place
 * ({@link dev.falgate.poller.ImmediateFinish}) and leaves larger copies to the finish queue, so it
 * answers within a fraction of fal's 15 s timeout and a crash loses nothing.
 */
public final class CallbackService {
    private final WebhookTokens tokens;
    private final Optional<String> falUserId;
    private final WebhookVerifier verifier;
    private final JobRepository jobs;
    private final ResultRecorder results;
    private final PollScheduler polls;
    private final URI falQueueBase;
    private final Clock clock;
    private final java.util.function.Consumer<Job> recorded;
    /** Null: every result is recorded first and handed to {@link #recorded}. */
    private final ImmediateFinish inPlace;

    /** A recorded result goes to the finish queue. */
    public CallbackService(WebhookTokens tokens, Optional<String> falUserId, WebhookVerifier verifier,
            JobRepository jobs, ResultRecorder results, PollScheduler polls, URI falQueueBase, Clock clock) {
        this(tokens, falUserId, verifier, jobs, results, polls, falQueueBase, clock, job -> polls.finishNow(job.id()));
    }

    /** {@code recorded} hears the job as the write that recorded its result returned it (to finish it). */
    public CallbackService(WebhookTokens tokens, Optional<String> falUserId, WebhookVerifier verifier,
            JobRepository jobs, ResultRecorder results, PollScheduler polls, URI falQueueBase, Clock clock,
            java.util.function.Consumer<Job> recorded) {
        this(tokens, falUserId, verifier, jobs, results, polls, falQueueBase, clock, recorded, null);
    }

    /**
     * Image jobs whose webhook URL names their tenant and model are finished by {@code inPlace}
     * with their copy first and one write; any other recorded result goes to {@code inPlace} too.
     */
    public CallbackService(WebhookTokens tokens, Optional<String> falUserId, WebhookVerifier verifier,
            JobRepository jobs, ResultRecorder results, PollScheduler polls, URI falQueueBase, Clock clock,
            ImmediateFinish inPlace) {
        this(tokens, falUserId, verifier, jobs, results, polls, falQueueBase, clock, inPlace::finish, inPlace);
    }

    private CallbackService(WebhookTokens tokens, Optional<String> falUserId, WebhookVerifier verifier,
            JobRepository jobs, ResultRecorder results, PollScheduler polls, URI falQueueBase, Clock clock,
            java.util.function.Consumer<Job> recorded, ImmediateFinish inPlace) {
        this.recorded = recorded;
        this.inPlace = inPlace;
        this.tokens = tokens;
        this.falUserId = falUserId;
        this.verifier = verifier;
        this.jobs = jobs;
        this.results = results;
        this.polls = polls;
        this.falQueueBase = falQueueBase;
        this.clock = clock;
    }

    public void handle(String jobId, ApiRequest request) {
        Optional<WebhookTokens.Scope> scope = WebhookTokens.Scope.of(request.query("tenant"), request.query("model"));
        if (!Ids.isJobId(jobId) || !tokens.verifies(jobId, scope, request.query(WebhookTokens.QUERY_PARAMETER))) {
            // before anything else: no JWKS fetch, no DynamoDB read for a URL we never gave out
            throw new ApiException(401, "invalid_webhook_token", "this webhook URL was not issued by this deployment");
        }
        byte[] body = request.rawBody();
        WebhookVerifier.Verified verified = verifier.verify(request::header, body).orElseThrow(CallbackService::forged);
        if (!fromOurAccount(verified.userId())) {
            throw new ApiException(401, "foreign_account", "the webhook comes from another fal account");
        }
        String requestId = verified.requestId();
        JsonNode webhook = parse(body);
        if (!requestId.equals(webhook.path("request_id").asText())) {
            throw forged();
        }
        if (!resultInside(webhook)) {
            // payload_error: fal could not put the result in the webhook; read it from the queue
            if (!hasResult(boundJob(jobs.find(jobId).orElseThrow(() -> ApiException.notFound("job")), requestId))) {
                polls.pollNow(jobId);
            }
            return;
        }
        if (inPlace != null && scope.isPresent() && "OK".equals(webhook.path("status").asText())
                && inPlace.inPlace(scope.get().model())) {
            copyThenFinish(jobId, scope.get(), requestId, webhook);
            return;
        }
        recordThen(jobId, requestId, webhook, recorded);
    }

    /**
     * An image job's usual end: its outputs are copied first (same keys however often), then one
     * conditional write records the result and ends the job: two AWS calls for a one-output job,
     * no read. A crash before that write records nothing: the callback never answered 2xx, so fal
     * delivers the webhook again (and the sweeper's poll fetches the result if every delivery
     * fails). Refused (a duplicate, a racing poll, an unbound, canceled or subscribed job) or the
     * copy failed: as before, the result is recorded and the job finished with this copy, or
     * handed to the finish queue.
     */
    private void copyThenFinish(String jobId, WebhookTokens.Scope scope, String requestId, JsonNode webhook) {
        JsonNode payload = webhook.get("payload");
        // under the request's own folder: a request that turns out not to be the job's cannot overwrite its files
        ImmediateFinish.Copy copy = inPlace.copy(scope.tenant(), jobId, requestId, payload);
        if (copy.collected() != null) {
            Optional<JobRepository.ResultWrite> once = results.recordFinished(jobId, requestId, scope.tenant(), payload,
                    copy.collected().output(), copy.collected().files(), "webhook");
            if (once.map(JobRepository.ResultWrite::written).orElse(false)) {
                JobMetrics.outputsCopied(once.get().job(), JobFinisher.copiedBytes(copy.collected()));
                return;
            }
        }
        try {
            recordThen(jobId, requestId, webhook, job -> inPlace.finish(job, copy));
        } catch (ApiException e) {
            // the job is gone, or holds another request: nothing it will list may outlive the refusal
            inPlace.discard(copy);
            throw e;
        }
    }

    /** Records the result with one conditional write and no read (binding the request if need be), then {@code then}. */
    private void recordThen(String jobId, String requestId, JsonNode webhook, java.util.function.Consumer<Job> then) {
        // the usual case costs one conditional write and no read: the job holds this request, no result yet
        JobRepository.ResultWrite write = record(jobId, requestId, webhook);
        if (!write.written()) {
            Job stood = write.job();
            if (stood == null) {
                throw ApiException.notFound("job");
            }
            Job bound = boundJob(stood, requestId);
            if (hasResult(bound)) {
                return; // a duplicate delivery
            }
            write = record(jobId, requestId, webhook); // the request was bound just now
            if (!write.written()) {
                return; // the poller recorded it meanwhile, or the job is gone
            }
        }
        then.accept(write.job());
    }

    /** The job with {@code requestId} as its request: bound now if it held none, else a forgery if it holds another. */
    private Job boundJob(Job job, String requestId) {
        if (job.falRequestId() == null) {
            job = bind(job, requestId);
        }
        if (!requestId.equals(job.falRequestId())) {
            throw forged();
        }
        return job;
    }

    private static boolean hasResult(Job job) {
        return job.hasResult() || job.outputsCopied();
    }

    private boolean fromOurAccount(String userId) {
        return falUserId.map(ours -> java.security.MessageDigest.isEqual(
                ours.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                userId.getBytes(java.nio.charset.StandardCharsets.UTF_8))).orElse(true);
    }

    /**
     * fal's answer to our submit has not named the request yet (it is in flight, or was lost):
     * store it from the webhook, which passed every check above.
     */
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

    /** False for an OK webhook without a payload (fal's payload_error): the result must be read from the queue. */
    private static boolean resultInside(JsonNode webhook) {
        JsonNode payload = webhook.get("payload");
        return !"OK".equals(webhook.path("status").asText()) || (payload != null && !payload.isNull());
    }

    private JobRepository.ResultWrite record(String jobId, String requestId, JsonNode webhook) {
        boolean ok = "OK".equals(webhook.path("status").asText());
        String error = webhook.hasNonNull("error") ? webhook.get("error").asText() : null;
        return results.recordFor(jobId, requestId, ok, webhook.get("payload"), error, "webhook");
    }

    private static JsonNode parse(byte[] body) {
        try {
            JsonNode node = Json.readTree(body);
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
