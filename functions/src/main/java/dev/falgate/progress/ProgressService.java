package dev.falgate.progress;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.fal.FalClient;
import dev.falgate.fal.FalException;
import dev.falgate.http.ApiException;
import dev.falgate.http.Json;
import dev.falgate.jobs.Job;
import dev.falgate.jobs.JobRepository;
import dev.falgate.read.JobQueries;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code GET /v1/jobs/{id}/progress}: fal's queue position and the model's recent log lines
 * for a pending job. At most one fal status call per job per two seconds, whoever asks
 * ({@link ProgressCache}); a finished job, or one fal has not named yet, costs no fal call.
 */
public final class ProgressService {
    /** The newest lines kept, each cut to this many characters: the item stays far below DynamoDB's 400 KB. */
    static final int MAX_LOG_LINES = 50;
    static final int MAX_MESSAGE_CHARS = 1000;

    private final JobRepository jobs;
    private final ProgressCache cache;
    private final FalClient fal;
    private final Clock clock;

    public ProgressService(JobRepository jobs, DynamoDbClient ddb, String table, FalClient fal, Clock clock) {
        this(jobs, new ProgressCache(ddb, table), fal, clock);
    }

    ProgressService(JobRepository jobs, ProgressCache cache, FalClient fal, Clock clock) {
        this.jobs = jobs;
        this.cache = cache;
        this.fal = fal;
        this.clock = clock;
    }

    public ObjectNode progress(String tenant, String jobId) {
        Job job = JobQueries.find(jobs, tenant, jobId);
        ObjectNode snapshot;
        if (job.status().terminal()) {
            // the last lines seen stay readable; the queue is behind it
            snapshot = cache.last(jobId).map(s -> s.put("queue_position", (Integer) null))
                    .orElseGet(() -> empty(job.updatedAt()));
        } else if (job.falStatusUrl() == null) {
            snapshot = empty(job.updatedAt()); // not at fal yet: nothing to ask
        } else if (cache.claimRefresh(jobId, clock.instant())) {
            snapshot = fromFal(job);
            cache.store(jobId, snapshot);
        } else {
            snapshot = cache.last(jobId).orElseGet(() -> empty(job.updatedAt()));
        }
        return withStatus(snapshot, job);
    }

    private ObjectNode fromFal(Job job) {
        FalClient.Status status;
        try {
            status = fal.statusWithLogs(job.falStatusUrl());
        } catch (FalException e) {
            throw new ApiException(502, "upstream_unavailable", "fal's status could not be read; try again shortly");
        }
        ObjectNode o = Json.object();
        o.put("queue_position", "IN_QUEUE".equals(status.status()) ? status.queuePosition() : null);
        ArrayNode logs = o.putArray("logs");
        List<FalClient.LogLine> lines = status.logs();
        lines.subList(Math.max(0, lines.size() - MAX_LOG_LINES), lines.size()).forEach(line -> logs.addObject()
                .put("at", time(line.timestamp()))
                .put("message", line.message().length() > MAX_MESSAGE_CHARS
                        ? line.message().substring(0, MAX_MESSAGE_CHARS) : line.message()));
        o.put("updated_at", Json.time(clock.instant()));
        return o;
    }

    private static ObjectNode empty(Instant at) {
        ObjectNode o = Json.object();
        o.put("queue_position", (Integer) null);
        o.putArray("logs");
        o.put("updated_at", Json.time(at));
        return o;
    }

    /** The job's own status beside fal's view, so a page can tell a finished job at once. */
    private static ObjectNode withStatus(ObjectNode snapshot, Job job) {
        ObjectNode o = Json.object().put("status", job.status().wire());
        o.setAll(snapshot);
        return o;
    }

    /** fal writes log times without a zone (UTC, microseconds); RFC 3339 with millis here, or as given. */
    static String time(String falTimestamp) {
        if (falTimestamp == null) {
            return null;
        }
        try {
            return Json.time(Instant.parse(falTimestamp));
        } catch (DateTimeParseException e) {
            try {
                return Json.time(LocalDateTime.parse(falTimestamp).toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException again) {
                return falTimestamp;
            }
        }
    }
}
