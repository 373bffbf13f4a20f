package dev.falgate.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.http.Json;
import dev.falgate.storage.BlobStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;

/**
 * Records fal's result for a job, once, whichever path (webhook or poller) brings it first.
 * The raw result goes to S3 (it can be far over DynamoDB's 400 KB item limit); the job item
 * only notes that it is there, with a conditional write.
 */
public final class ResultRecorder {
    private final JobRepository jobs;
    private final BlobStore blobs;
    private final Clock clock;

    /** Raw results up to this many characters live in the job item; larger ones in S3 (the item's limit is 400 KB). */
    public static final int MAX_INLINE_CHARS = 32 * 1024;
    private final int maxInlineChars;

    public ResultRecorder(JobRepository jobs, BlobStore blobs, Clock clock) {
        this(jobs, blobs, clock, MAX_INLINE_CHARS);
    }

    public ResultRecorder(JobRepository jobs, BlobStore blobs, Clock clock, int maxInlineChars) {
        this.jobs = jobs;
        this.blobs = blobs;
        this.clock = clock;
        this.maxInlineChars = maxInlineChars;
    }

    /**
     * @param ok whether fal reports success
     * @param payload the model output, or fal's error body
     * @param error fal's error message for a failed request, else null
     * @return the job after recording (unchanged if a result was already there)
     */
    public Optional<Job> record(String jobId, boolean ok, JsonNode payload, String error, String source) {
        return record(jobId, ok, payload, error, source, null);
    }

    /** As above, also noting fal's billable units from the response that brought the result (null: none). */
    public Optional<Job> record(String jobId, boolean ok, JsonNode payload, String error, String source,
            java.math.BigDecimal billableUnits) {
        return Optional.ofNullable(recordFor(jobId, null, ok, payload, error, source, billableUnits).job());
    }

    /**
     * Records the result of fal request {@code requestId} (null: whichever the job holds) with one
     * conditional write and no read. Refused (a result is there already, the job holds another
     * request or none, or the job is gone), it answers the job as it stood, or null for no job.
     */
    public JobRepository.ResultWrite recordFor(String jobId, String requestId, boolean ok, JsonNode payload,
            String error, String source) {
        return recordFor(jobId, requestId, ok, payload, error, source, null);
    }

    /**
     * Records fal's successful result of request {@code requestId} and ends the job with the
     * outputs already {@code copied}, in one conditional write and no read
     * ({@link JobRepository#recordFinished}). Empty when the raw result is too large for the item
     * (the usual path stores it in S3 first); otherwise the write, or the job as it stood.
     */
    public Optional<JobRepository.ResultWrite> recordFinished(String jobId, String requestId, String tenant,
            JsonNode payload, JsonNode output, java.util.List<JobFile> copied, String source) {
        String text = rawText(true, payload, null);
        if (text.length() > maxInlineChars) {
            return Optional.empty();
        }
        return Optional.of(jobs.recordFinished(jobId, requestId, tenant, new JobRepository.RecordedResult("OK", source, null),
                text, output, copied, clock.instant()));
    }

    private static String rawText(boolean ok, JsonNode payload, String error) {
        ObjectNode raw = Json.object().put("status", ok ? "OK" : "ERROR");
        raw.set("payload", payload);
        raw.put("error", error);
        return Json.write(raw);
    }

    private JobRepository.ResultWrite recordFor(String jobId, String requestId, boolean ok, JsonNode payload,
            String error, String source, java.math.BigDecimal billableUnits) {
        String text = rawText(ok, payload, error);
        JobRepository.RecordedResult result = new JobRepository.RecordedResult(ok ? "OK" : "ERROR", source, billableUnits);
        if (text.length() <= maxInlineChars) {
            return jobs.recordResult(jobId, requestId, result, null, text, clock.instant());
        }
        // A large one goes to S3 first, so it is written only for a job that takes it (one read more)
        Optional<Job> current = jobs.find(jobId);
        if (current.isEmpty() || current.get().hasResult()
                || (requestId != null && !requestId.equals(current.get().falRequestId()))) {
            return new JobRepository.ResultWrite(false, current.orElse(null));
        }
        // Written before the job points at it; writing it twice stores the same thing.
        String key = JobFiles.resultKey(jobId);
        blobs.put(key, text.getBytes(StandardCharsets.UTF_8), "application/json");
        JobRepository.ResultWrite write = jobs.recordResult(jobId, requestId, result, key, null, clock.instant());
        if (write.job() == null) {
            blobs.delete(key); // the job was deleted meanwhile: leave nothing behind it
        }
        return write;
    }

    public JsonNode load(Job job) {
        return Json.parse(job.resultInline() != null ? job.resultInline() : blobs.getString(job.resultKey()));
    }
}
