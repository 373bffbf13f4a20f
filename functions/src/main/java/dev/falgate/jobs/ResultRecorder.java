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

    public ResultRecorder(JobRepository jobs, BlobStore blobs, Clock clock) {
        this.jobs = jobs;
        this.blobs = blobs;
        this.clock = clock;
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
        String key = JobFiles.resultKey(jobId);
        ObjectNode raw = Json.object().put("status", ok ? "OK" : "ERROR");
        raw.set("payload", payload);
        raw.put("error", error);
        // Written before the job points at it; writing it twice stores the same thing.
        Optional<Job> current = jobs.find(jobId);
        if (current.isEmpty() || current.get().hasResult()) {
            return current;
        }
        blobs.put(key, Json.write(raw).getBytes(StandardCharsets.UTF_8), "application/json");
        Optional<Job> after = jobs.update(jobId, job -> {
            if (job.hasResult()) {
                return false;
            }
            job.recordResult(ok ? "OK" : "ERROR", key, source, clock.instant());
            job.recordBillableUnits(billableUnits);
            return true;
        });
        if (after.isEmpty()) {
            blobs.delete(key); // the job was deleted meanwhile: leave nothing behind it
        }
        return after;
    }

    public JsonNode load(Job job) {
        return Json.parse(blobs.getString(job.resultKey()));
    }
}
