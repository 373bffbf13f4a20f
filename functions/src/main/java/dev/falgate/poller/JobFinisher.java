package dev.falgate.poller;

import com.fasterxml.jackson.databind.JsonNode;
import dev.falgate.jobs.Job;
import dev.falgate.jobs.JobRepository;
import dev.falgate.jobs.JobStatus;
import dev.falgate.jobs.ResultRecorder;
import dev.falgate.storage.BlobStore;
import dev.falgate.outputs.OutputCollector;
import java.time.Clock;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns a recorded result into the job's end: outputs copied into S3 and then {@code succeeded},
 * or {@code failed} with fal's error (or {@code output_copy_failed}). Runs on the finish queue,
 * so a crash anywhere here only means the message comes back and does it again; the
 * conditional write makes it happen once.
 * A job canceled while fal finished it stays canceled and keeps its outputs.
 */
public final class JobFinisher {
    private final JobRepository jobs;
    private final ResultRecorder results;
    private final OutputCollector outputs;
    private final BlobStore blobs;
    private final Clock clock;

    public JobFinisher(JobRepository jobs, ResultRecorder results, OutputCollector outputs, BlobStore blobs,
            Clock clock) {
        this.jobs = jobs;
        this.results = results;
        this.outputs = outputs;
        this.blobs = blobs;
        this.clock = clock;
    }

    /** Whether the job has a recorded result whose end is still to be written. */
    public static boolean needsFinishing(Job job) {
        return job.hasResult() && !job.outputsCopied() && job.status() != JobStatus.SUCCEEDED
                && job.status() != JobStatus.FAILED;
    }

    public Optional<Job> finish(Job job) {
        String source = job.resultSource() == null ? "poller" : job.resultSource();
        if (!needsFinishing(job)) {
            return Optional.of(job);
        }
        JsonNode raw = loadResult(job);
        if (!"OK".equals(raw.path("status").asText())) {
            return jobs.updateFrom(job, j -> fail(j, raw, source));
        }
        return complete(job, copy(job.tenant(), job.id(), job.falRequestId(), raw.path("payload")));
    }

    /** Copies the outputs of fal request {@code requestId} under the job's prefix (the same keys however often it runs). */
    public OutputCollector.Collected copy(String tenant, String jobId, String requestId, JsonNode payload) {
        return outputs.collectUnder(dev.falgate.jobs.JobFiles.outputPrefix(tenant, jobId, requestId), payload);
    }

    /** Ends a job whose recorded result's outputs are {@code collected}: {@code succeeded}, or kept by a canceled job. */
    public Optional<Job> complete(Job job, OutputCollector.Collected collected) {
        String source = job.resultSource() == null ? "poller" : job.resultSource();
        dev.falgate.jobs.JobMetrics.outputsCopied(job, copiedBytes(collected));
        Optional<Job> after = jobs.updateFrom(job, j -> {
            if (!needsFinishing(j)) {
                return false;
            }
            j.outputsCopied(collected.output(), collected.files(), clock.instant());
            j.moveTo(JobStatus.SUCCEEDED, source, clock.instant());
            return true;
        });
        if (after.isEmpty()) {
            // the job was deleted while its outputs were being copied: nothing may outlive it
            discard(collected);
        }
        return after;
    }

    public static long copiedBytes(OutputCollector.Collected collected) {
        return collected.files().stream().mapToLong(f -> f.size()).sum();
    }

    /** Deletes copies no job will list (its job is gone, or ended without them). */
    public void discard(OutputCollector.Collected collected) {
        collected.files().forEach(f -> {
            blobs.delete(f.key());
            if (f.thumbnailKey() != null && !f.thumbnailKey().equals(f.key())) {
                blobs.delete(f.thumbnailKey());
            }
        });
    }

    /** fal's raw result; S3 failing to give it back is a transient error of the finish, retried like a copy. */
    private JsonNode loadResult(Job job) {
        try {
            return results.load(job);
        } catch (SdkException e) {
            throw OutputCollector.OutputCopyException.transientFailure("reading fal's raw result failed: " + e.getMessage(), e);
        }
    }

    /**
     * The outputs cannot be copied (for good, or not by the deadline): the job fails
     * {@code output_copy_failed}. fal's raw result stays where the job points at it.
     */
    public Optional<Job> failCopy(Job job, String why) {
        return jobs.update(job.id(), j -> j.fail("output_copy_failed", why, "poller", clock.instant()));
    }

    private boolean fail(Job job, JsonNode raw, String source) {
        JsonNode payload = raw.path("payload");
        JsonNode detail = payload.path("detail");
        String message;
        String code;
        if (detail.isArray() && !detail.isEmpty()) {
            code = "model_error";
            message = dev.falgate.fal.ValidationDetail.describe(detail);
        } else {
            code = payload.has("error_type") ? "upstream_error" : "model_error";
            message = detail.isTextual() ? detail.asText() : raw.path("error").asText("fal reported an error");
        }
        return job.fail(code, message, source, clock.instant());
    }
}
