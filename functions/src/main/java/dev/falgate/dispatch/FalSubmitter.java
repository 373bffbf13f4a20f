package dev.falgate.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.catalog.Catalog;
import dev.falgate.fal.FalClient;
import dev.falgate.fal.FalException;
import dev.falgate.fal.FalUrls;
import dev.falgate.fal.InputHandoff;
import dev.falgate.fal.WebhookTokens;
import dev.falgate.jobs.Job;
import dev.falgate.jobs.JobRepository;
import dev.falgate.uploads.Upload;
import dev.falgate.uploads.UploadRepository;
import dev.falgate.uploads.UploadService;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Sends a job to fal at most once per certain refusal. Every send is claimed first with a
 * conditional write ({@link Job#claimSubmit}), so of the submit request, a poll chain and an
 * idempotent retry exactly one talks to fal. What fal answered decides what may happen next:
 * a 429, a 503 or no connection at all may be sent again (RETRY); anything after which fal
 * may hold the request (a 500, 502 or 504, a lost answer) is never sent again (UNCERTAIN).
 */
public final class FalSubmitter {
    /** Set {@code WEBHOOK_BASE_URL} to this when fal cannot call back (a laptop): the poller finishes. */
    public static final String NO_WEBHOOK = "none";

    private final FalClient fal;
    private final JobRepository jobs;
    private final InputHandoff inputs;
    private final Catalog catalog;
    private final UploadRepository uploadRecords;
    private final Optional<String> webhookBase;
    private final WebhookTokens tokens;
    private final URI falQueueBase;
    private final Clock clock;

    public FalSubmitter(FalClient fal, JobRepository jobs, InputHandoff inputs, Catalog catalog,
            UploadRepository uploadRecords, Optional<String> webhookBase, WebhookTokens tokens, URI falQueueBase,
            Clock clock) {
        this.fal = fal;
        this.jobs = jobs;
        this.inputs = inputs;
        this.catalog = catalog;
        this.uploadRecords = uploadRecords;
        this.webhookBase = webhookBase;
        this.tokens = tokens;
        this.falQueueBase = falQueueBase;
        this.clock = clock;
    }

    /**
     * The webhook URL for a new job, without its token (the token is added only on the way to
     * fal, so it is never stored or shown): the configured public base, or the API's own
     * origin; null when webhooks are off.
     */
    public String webhookUrl(String jobId, String apiOrigin) {
        String base = webhookBase.orElse(apiOrigin);
        return NO_WEBHOOK.equals(base) ? null : base.replaceAll("/+$", "") + "/v1/webhooks/fal/" + jobId;
    }

    /** {@link #webhookUrl(String, String)} naming the job's tenant and model ({@link WebhookTokens.Scope}). */
    public String webhookUrl(String jobId, WebhookTokens.Scope scope, String apiOrigin) {
        String url = webhookUrl(jobId, apiOrigin);
        return url == null ? null : url + "?" + scope.query();
    }

    /**
     * Claims the job and sends it to fal, if fal certainly does not have it yet; otherwise
     * leaves it as it is. Returns the newest job.
     */
    public Job dispatch(Job job, String source) {
        return dispatch(job, source, null);
    }

    /**
     * When the sweeper should look at a job that has no poll message: {@code afterClaim} while its
     * sender talks to fal, {@code afterSend} once fal has it (or may have it, or refused it for now).
     */
    public record SweepTimes(Instant afterClaim, Instant afterSend) {
    }

    /**
     * {@link #dispatch(Job, String)} for a job that has no poll message (sent with our webhook):
     * it stays in the sweep index, due at {@code sweep}'s times, until it ends.
     */
    public Job dispatchKeepingSweep(Job job, String source, SweepTimes sweep) {
        return dispatch(job, source, sweep);
    }

    private Job dispatch(Job job, String source, SweepTimes sweep) {
        boolean[] claimed = {false};
        Optional<Job> after = jobs.updateFrom(job, j -> claimed[0] = sweep == null
                ? j.claimSubmit(clock.instant()) : j.claimSubmitKeepingSweep(clock.instant(), sweep.afterClaim()));
        if (!claimed[0]) {
            return after.orElse(job);
        }
        return send(after.orElseThrow(), source, sweep);
    }

    private Job send(Job claimed, String source, SweepTimes sweep) {
        FalClient.Submitted submitted;
        try {
            ObjectNode input = preparedInput(claimed);
            String webhook = claimed.webhookUrl() == null ? null : tokens.withToken(claimed.webhookUrl(), claimed.id());
            submitted = withFallbackUrls(claimed, fal.submit(claimed.model(), input, webhook));
        } catch (FalException e) {
            return jobs.update(claimed.id(), j -> {
                if (sweep != null) {
                    j.sweepAgainAt(sweep.afterSend());
                }
                return afterRefusal(j, e, source);
            }).orElse(claimed);
        }
        return record(claimed, submitted, sweep);
    }

    /** The input for fal; whatever fails here (fal's storage included) happens before fal's queue saw anything. */
    private ObjectNode preparedInput(Job job) {
        try {
            return falInput(job);
        } catch (RuntimeException e) {
            throw FalException.neverConnected("the inputs could not be handed to fal: " + e.getMessage(), e);
        }
    }

    /**
     * Stores fal's request id. If a webhook bound another request meanwhile, ours lost the race;
     * if the job was canceled (or failed) while we were talking to fal, it is no longer wanted:
     * either way fal is asked to cancel what we just sent.
     */
    private Job record(Job claimed, FalClient.Submitted s, SweepTimes sweep) {
        Optional<Job> after = jobs.updateFrom(claimed, j -> {
            if (j.falRequestId() != null) {
                return false;
            }
            j.submitted(s.requestId(), s.statusUrl(), s.responseUrl(), s.cancelUrl(), clock.instant());
            if (sweep != null) {
                j.sweepAgainAt(sweep.afterSend());
            }
            return true;
        });
        boolean unwanted = after.map(j -> !s.requestId().equals(j.falRequestId()) || j.status().terminal()).orElse(true);
        if (unwanted) {
            cancelQuietly(s.cancelUrl());
        }
        return after.orElse(claimed);
    }

    /** What fal's refusal allows: send again (RETRY), never again (UNCERTAIN), or fail the job. */
    private boolean afterRefusal(Job j, FalException e, String source) {
        if (j.falRequestId() != null) {
            return false; // a webhook named the request meanwhile: fal has it after all
        }
        Instant now = clock.instant();
        boolean answeredNo = e.kind() == FalException.Kind.REJECTED || e.kind() == FalException.Kind.OTHER;
        if (!answeredNo && !e.certainlyNotReceived()) {
            j.setSubmitState(Job.SubmitState.UNCERTAIN, now);
            return true;
        }
        j.setSubmitState(Job.SubmitState.RETRY, now);
        if (e.kind() == FalException.Kind.REJECTED) {
            j.fail("upstream_validation", "fal refused the input: " + abbreviate(e.body()), source, now);
        } else if (e.kind() == FalException.Kind.OTHER) {
            // 401, 403, 404...: fal answered and took nothing; sending again will not help
            j.fail("upstream_error", "fal answered " + e.status() + ": " + abbreviate(e.body()), source, now);
        }
        return true;
    }

    /** fal's submit answer names its URLs; should one be missing, derive it as fal does. */
    private FalClient.Submitted withFallbackUrls(Job job, FalClient.Submitted s) {
        String id = s.requestId();
        if (id == null || id.isBlank()) {
            throw new FalException(FalException.Kind.UNAVAILABLE, 200, null, "fal's submit answer names no request id", null);
        }
        return new FalClient.Submitted(id,
                orElse(s.statusUrl(), () -> FalUrls.status(falQueueBase, job.model(), id)),
                orElse(s.responseUrl(), () -> FalUrls.requestBase(falQueueBase, job.model(), id)),
                orElse(s.cancelUrl(), () -> FalUrls.cancel(falQueueBase, job.model(), id)));
    }

    private static String orElse(String value, java.util.function.Supplier<String> fallback) {
        return value == null || value.isBlank() ? fallback.get() : value;
    }

    /** Best effort: a request we do not want must not run on at our cost. */
    public void cancelQuietly(String cancelUrl) {
        if (cancelUrl == null) {
            return;
        }
        try {
            fal.cancel(cancelUrl);
        } catch (FalException | IllegalArgumentException e) {
            // fal unreachable or the request is gone: nothing more to do
        }
    }

    /** The input as fal gets it: every upload ref replaced by a GET URL valid past the deadline. */
    ObjectNode falInput(Job job) {
        ObjectNode in = job.input().deepCopy();
        Duration validity = Duration.between(clock.instant(), job.deadlineAt()).plusMinutes(15);
        for (var field : catalog.find(job.model()).orElseThrow().fileInputs()) {
            JsonNode v = in.get(field.name());
            if (v == null) {
                continue;
            }
            if (v.isArray()) {
                ArrayNode arr = (ArrayNode) v;
                for (int i = 0; i < arr.size(); i++) {
                    arr.set(i, in.textNode(presign(job, arr.get(i).asText(), validity)));
                }
            } else {
                in.put(field.name(), presign(job, v.asText(), validity));
            }
        }
        return in;
    }

    private String presign(Job job, String ref, Duration validity) {
        String id = ref.substring(UploadService.REF_PREFIX.length());
        Upload upload = inputFile(job, id)
                .or(() -> uploadRecords.find(id).filter(u -> u.tenant().equals(job.tenant())))
                .orElseThrow(() -> new IllegalStateException("job " + job.id() + " names a missing upload " + id));
        return inputs.urlFor(upload, validity);
    }

    /**
     * The upload as the job itself lists it among its input files (its submit stored or checked
     * it, for this tenant), so no read of the upload record; empty for items stored before
     * jobs listed their inputs.
     */
    private static Optional<Upload> inputFile(Job job, String uploadId) {
        String prefix = "uploads/" + job.tenant() + "/" + uploadId + ".";
        return job.inputFiles().stream().filter(f -> f.key().startsWith(prefix)).findFirst()
                .map(f -> new Upload(uploadId, job.tenant(), f.key(), f.contentType(), f.size(), f.fileName(),
                        job.createdAt(), job.createdAt().plus(UploadService.REF_LIFETIME)));
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        return s.length() > 500 ? s.substring(0, 500) + "..." : s;
    }
}
