package dev.falgate.jobs;

import dev.falgate.telemetry.Metrics;
import dev.falgate.telemetry.Metrics.Unit;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A job's metrics, emitted when the write that made them is stored (by {@link JobRepository},
 * so only the writer that won reports, once): submitted, succeeded, failed (by error code) and
 * canceled, by model; the time at fal and the time to finish; the bytes of outputs copied.
 */
public final class JobMetrics {
    public static final String SUBMITTED = "JobsSubmitted";
    public static final String SUCCEEDED = "JobsSucceeded";
    public static final String FAILED = "JobsFailed";
    public static final String CANCELED = "JobsCanceled";
    /** From the submit to fal (or the job's creation) until fal's result was recorded. */
    public static final String TIME_AT_FAL = "TimeAtFal";
    /** From the job's creation until it ended, whatever the outcome. */
    public static final String TIME_TO_FINISH = "TimeToFinish";
    public static final String BYTES_COPIED = "OutputBytesCopied";
    public static final String MODEL = "model";
    public static final String ERROR_CODE = "error_code";

    private JobMetrics() {
    }

    static void created(Job job) {
        Metrics.put(SUBMITTED, 1, Unit.COUNT, byModel(job));
    }

    /** After a stored change: whatever the change did that is still unreported. */
    static void stored(Job job) {
        if (job.resultUnreportedAt != null) {
            Instant sent = job.submitClaimedAt() != null ? job.submitClaimedAt() : job.createdAt();
            Metrics.put(TIME_AT_FAL, millis(sent, job.resultUnreportedAt), Unit.MILLISECONDS, byModel(job));
            job.resultUnreportedAt = null;
        }
        if (job.finishedUnreported) {
            job.finishedUnreported = false;
            finished(job);
        }
    }

    private static void finished(Job job) {
        switch (job.status()) {
            case SUCCEEDED -> Metrics.put(SUCCEEDED, 1, Unit.COUNT, byModel(job));
            case CANCELED -> Metrics.put(CANCELED, 1, Unit.COUNT, byModel(job));
            default -> {
                Map<String, String> dimensions = byModel(job);
                dimensions.put(ERROR_CODE, job.error() == null ? "unknown" : job.error().code());
                Metrics.put(FAILED, 1, Unit.COUNT, dimensions);
            }
        }
        Metrics.put(TIME_TO_FINISH, millis(job.createdAt(), job.completedAt()), Unit.MILLISECONDS, byModel(job));
    }

    /** The bytes a finish copied into our bucket (the outputs, thumbnails not counted). */
    public static void outputsCopied(Job job, long bytes) {
        Metrics.put(BYTES_COPIED, bytes, Unit.BYTES, byModel(job));
    }

    private static Map<String, String> byModel(Job job) {
        Map<String, String> dimensions = new LinkedHashMap<>();
        dimensions.put(MODEL, job.model());
        return dimensions;
    }

    private static long millis(Instant from, Instant to) {
        return from == null || to == null ? 0 : Math.max(0, Duration.between(from, to).toMillis());
    }
}
