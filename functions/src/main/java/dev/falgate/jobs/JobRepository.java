package dev.falgate.jobs;

import dev.falgate.telemetry.LogContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Jobs in DynamoDB. Every write is conditional: a create on absence, every change on the
 * version that was read, so two paths (webhook, poller, cancel) can never both finish a job.
 */
public final class JobRepository {
    /** The table's key schema and indexes, as template.yaml must declare them. */
    public static final String PARTITION_KEY = "pk";
    public static final String SORT_KEY = "sk";
    public static final List<String> INDEXES = List.of("by_tenant", "by_status", "by_model", "by_sweep");
    /** The sparse index of jobs no sender has claimed yet, by the time the sweeper should look. */
    public static final String SWEEP_INDEX = "by_sweep";
    static final String SWEEP_PARTITION = "sweep_pk";
    static final String SWEEP_PARTITION_VALUE = "UNCLAIMED";
    static final String SWEEP_AT = "sweep_at";
    /**
     * Each index's hash and range attributes. The first three sort by job id, i.e. by creation
     * time; {@code by_sweep} by {@code sweep_at} (epoch milliseconds, a number).
     */
    public static final java.util.Map<String, List<String>> INDEX_KEYS = java.util.Map.of(
            "by_tenant", List.of("gsi1pk", "gsi1sk"),
            "by_status", List.of("gsi2pk", "gsi1sk"),
            "by_model", List.of("gsi3pk", "gsi1sk"),
            SWEEP_INDEX, List.of(SWEEP_PARTITION, SWEEP_AT));
    /** DynamoDB TTL: finished jobs and expired uploads go away on their own. */
    public static final String TTL_ATTRIBUTE = "ttl";
    private static final int MAX_CONFLICT_RETRIES = 8;
    /** An outbox older than this was left by a writer that died; younger, its writer is publishing it now. */
    private static final Duration STALE_OUTBOX = Duration.ofSeconds(30);

    private final DynamoDbClient ddb;
    private final String table;
    private final long retentionSeconds;
    private final JobEventSink events;

    public JobRepository(DynamoDbClient ddb, String table, int retentionDays) {
        this(ddb, table, retentionDays, JobEventSink.NONE);
    }

    /** {@code events} hears every stored write that left partner-webhook events in the job's outbox. */
    public JobRepository(DynamoDbClient ddb, String table, int retentionDays, JobEventSink events) {
        this.ddb = ddb;
        this.table = table;
        this.retentionSeconds = Duration.ofDays(retentionDays).toSeconds();
        this.events = events;
    }

    public void create(Job job) {
        job.version = 1;
        ddb.putItem(r -> r.tableName(table).item(JobItems.toItem(job, retentionSeconds))
                .conditionExpression("attribute_not_exists(pk)"));
        LogContext.job(job.id(), job.tenant());
        JobMetrics.created(job);
        JobMetrics.stored(job);
        publishOutbox(job);
    }

    /**
     * The one place partner-webhook events leave: after the conditional write that stored the
     * transition (so only the writer that won sends, once), the outbox is enqueued and then
     * emptied. A crash in between leaves the outbox stored; {@link #relayStaleOutbox} relays it when
     * any path next works on the job (a redelivered finish, poll or dead letter, a cancel), and the
     * event keeps its {@code webhook-id}, so a relay that doubles a send is one event to receivers.
     */
    public void publishOutbox(Job job) {
        if (job.webhookOutbox.isEmpty()) {
            return;
        }
        try {
            events.publish(job);
        } catch (RuntimeException e) {
            // the outbox stays stored: the next path to work on the job relays it
            dev.falgate.http.Log.warn(null, "job " + job.id() + ": webhook events not enqueued yet: " + e);
            return;
        }
        try {
            // only the outbox, and only if nobody wrote since: version stays, so the caller's copy is still current
            ddb.updateItem(r -> r.tableName(table).key(JobItems.key(job.id()))
                    .updateExpression("REMOVE " + JobItems.WEBHOOK_OUTBOX)
                    .conditionExpression("version = :v")
                    .expressionAttributeValues(Map.of(":v", AttributeValue.fromN(Long.toString(job.version)))));
        } catch (ConditionalCheckFailedException e) {
            // a newer write carries the outbox too and its writer publishes it again: same webhook-ids
        }
        job.outboxPublished();
    }

    /** Writes a new job; false when a job with its id exists already. */
    public boolean createIfAbsent(Job job) {
        try {
            create(job);
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * {@link #createIfAbsent(Job)} together with further new items (the records of the uploads the
     * job's submit stored), all or none, in one TransactWriteItems call.
     */
    public boolean createIfAbsent(Job job, List<Map<String, AttributeValue>> alongside) {
        if (alongside.isEmpty()) {
            return createIfAbsent(job);
        }
        job.version = 1;
        List<software.amazon.awssdk.services.dynamodb.model.TransactWriteItem> writes = new ArrayList<>();
        writes.add(newItem(JobItems.toItem(job, retentionSeconds)));
        alongside.forEach(item -> writes.add(newItem(item)));
        try {
            ddb.transactWriteItems(r -> r.transactItems(writes));
        } catch (software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException e) {
            if (!e.hasCancellationReasons() || e.cancellationReasons().isEmpty()
                    || !"ConditionalCheckFailed".equals(e.cancellationReasons().get(0).code())) {
                throw e;
            }
            return false; // the job exists already (its items come first in the transaction)
        }
        publishOutbox(job);
        return true;
    }

    private software.amazon.awssdk.services.dynamodb.model.TransactWriteItem newItem(Map<String, AttributeValue> item) {
        return software.amazon.awssdk.services.dynamodb.model.TransactWriteItem.builder()
                .put(p -> p.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)")).build();
    }

    public Optional<Job> find(String jobId) {
        Map<String, AttributeValue> item = ddb.getItem(r -> r.tableName(table)
                .key(JobItems.key(jobId)).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        Job job = JobItems.fromItem(item);
        // from here on, this invocation's log lines and metrics name the job it works on
        LogContext.job(job.id(), job.tenant());
        return Optional.of(job);
    }

    /** The job if it exists and belongs to the tenant: another tenant's job is simply absent. */
    public Optional<Job> find(String tenant, String jobId) {
        return find(jobId).filter(j -> j.tenant().equals(tenant));
    }

    /**
     * Stores the job if nobody changed it since it was read (its version still matches).
     *
     * @return false when another writer got there first; re-read and decide again
     */
    public boolean replace(Job job) {
        long read = job.version;
        job.version = read + 1;
        try {
            ddb.putItem(r -> r.tableName(table).item(JobItems.toItem(job, retentionSeconds))
                    .conditionExpression("version = :v")
                    .expressionAttributeValues(Map.of(":v", AttributeValue.fromN(Long.toString(read)))));
            JobMetrics.stored(job);
            publishOutbox(job);
            return true;
        } catch (ConditionalCheckFailedException e) {
            job.version = read;
            return false;
        }
    }

    /**
     * Publishes an outbox that a writer left behind (it died between its write and the enqueue);
     * a younger one is still being published by its writer. Called by {@link #update} and by the
     * poll and finish path for every message it reads a job for (a redelivered message after
     * such a crash finds the job already terminal and writes nothing).
     */
    public void relayStaleOutbox(Job job) {
        if (!job.webhookOutbox.isEmpty() && job.updatedAt().isBefore(java.time.Instant.now().minus(STALE_OUTBOX))) {
            publishOutbox(job);
        }
    }

    /**
     * Optimistic read-change-write: applies {@code change} to the newest job and stores it,
     * again on a fresh read if another writer won. {@code change} returns false to write nothing.
     */
    public Optional<Job> update(String jobId, Predicate<Job> change) {
        for (int attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
            Optional<Job> current = find(jobId);
            if (current.isEmpty()) {
                return Optional.empty();
            }
            Job job = current.get();
            relayStaleOutbox(job);
            if (!change.test(job) || replace(job)) {
                return Optional.of(job);
            }
        }
        throw new IllegalStateException("job " + jobId + " kept changing under us");
    }

    /**
     * {@link #update} starting from a job the caller holds (just written or just read), which saves
     * the read when nobody changed it since; on a conflict it reads afresh and decides again.
     * The instance passed in must not be used afterwards: use the one returned.
     */
    public Optional<Job> updateFrom(Job known, Predicate<Job> change) {
        if (!known.webhookOutbox.isEmpty()) {
            // a read copy may hold an outbox its writer is publishing right now: writing it back
            // would publish it again, so decide on a fresh read
            return update(known.id(), change);
        }
        if (!change.test(known)) {
            return Optional.of(known);
        }
        return replace(known) ? Optional.of(known) : update(known.id(), change);
    }

    /** What a result write records besides the raw result: fal's status, the path that brought it, billable units (or null). */
    public record RecordedResult(String status, String source, java.math.BigDecimal billableUnits) {
    }

    /** A conditional result write: the job after it, or as it stood when the write was refused (null: no such job). */
    public record ResultWrite(boolean written, Job job) {
    }

    /**
     * Records fal's result with one UpdateItem and no read: only on a job that has no result yet
     * and, when {@code requestId} is given, whose stored request id is that one. It bumps the
     * version, so a writer holding an older copy loses its conditional write and decides again.
     * Refused, the same call hands back the job as it stood. The raw result is either in S3 at
     * {@code key} or, small, in the item as {@code inline} (exactly one of them is non-null).
     * A job in the sweep index stays there until it ends: should the finish die, the sweeper's
     * poll hands the recorded result to the finish queue.
     */
    public ResultWrite recordResult(String jobId, String requestId, RecordedResult result, String key, String inline,
            java.time.Instant at) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":rs", AttributeValue.fromS(result.status()));
        values.put(":src", AttributeValue.fromS(result.source()));
        values.put(":at", AttributeValue.fromS(at.toString()));
        values.put(":one", AttributeValue.fromN("1"));
        String raw = key != null ? "result_key = :raw" : JobItems.RESULT_INLINE + " = :raw";
        values.put(":raw", AttributeValue.fromS(key != null ? key : inline));
        if (result.billableUnits() != null) {
            raw += ", billable_units = :bu";
            values.put(":bu", AttributeValue.fromN(result.billableUnits().toPlainString()));
        }
        String condition = "attribute_exists(pk) AND attribute_not_exists(result_status)";
        if (requestId != null) {
            condition += " AND fal_request_id = :rid";
            values.put(":rid", AttributeValue.fromS(requestId));
        }
        String guard = condition;
        String update = "SET result_status = :rs, result_source = :src, updated_at = :at, " + raw + ", version = version + :one";
        return resultWrite(jobId, r -> r.updateExpression(update).conditionExpression(guard).expressionAttributeValues(values),
                at, false);
    }

    /**
     * One conditional UpdateItem of a result ({@code ends}: and of the job's end), no read: the job
     * after it, with what it changed reported once; refused, the item as it stood comes with the
     * refusal (absent: the job does not exist).
     */
    private ResultWrite resultWrite(String jobId,
            java.util.function.Consumer<software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest.Builder> update,
            java.time.Instant at, boolean ends) {
        try {
            Map<String, AttributeValue> after = ddb.updateItem(r -> update.accept(r.tableName(table).key(JobItems.key(jobId))
                    .returnValues(software.amazon.awssdk.services.dynamodb.model.ReturnValue.ALL_NEW)
                    .returnValuesOnConditionCheckFailure(
                            software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure.ALL_OLD)))
                    .attributes();
            Job written = JobItems.fromItem(after);
            LogContext.job(written.id(), written.tenant()); // this write, not a read, told us whose job it is
            written.resultUnreportedAt = at;
            written.finishedUnreported = ends;
            JobMetrics.stored(written); // TimeAtFal (and the end's metrics), reported by the write that won
            return new ResultWrite(true, written);
        } catch (ConditionalCheckFailedException e) {
            Job stood = e.hasItem() && !e.item().isEmpty() ? JobItems.fromItem(e.item()) : null;
            if (stood != null) {
                LogContext.job(stood.id(), stood.tenant());
            }
            return new ResultWrite(false, stood);
        }
    }

    /**
     * Records fal's successful result and ends the job {@code succeeded} with its copied outputs,
     * in one conditional UpdateItem and no read (the callback of an image job, after the copy).
     * Only on a job of {@code tenant} that holds request {@code requestId}, has no result yet, has
     * not ended and has no partner webhook (whose event this write could not add to the outbox);
     * refused, it answers the job as it stood (null: no such job), and nothing was written.
     * The end's event goes to {@code end_event}, which {@link JobItems#fromItem} appends to the
     * job's events (they are one JSON text, which an UpdateItem cannot append to).
     */
    public ResultWrite recordFinished(String jobId, String requestId, String tenant, RecordedResult result,
            String inline, com.fasterxml.jackson.databind.JsonNode output, List<JobFile> files, java.time.Instant at) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":rs", AttributeValue.fromS(result.status()));
        values.put(":src", AttributeValue.fromS(result.source()));
        values.put(":raw", AttributeValue.fromS(inline));
        values.put(":out", AttributeValue.fromS(dev.falgate.http.Json.write(output)));
        values.put(":files", AttributeValue.fromS(dev.falgate.http.Json.write(files)));
        values.put(":copied", AttributeValue.fromBool(true));
        values.put(":done", AttributeValue.fromS(JobStatus.SUCCEEDED.wire()));
        values.put(":g2", AttributeValue.fromS(JobItems.statusKey(tenant, JobStatus.SUCCEEDED)));
        values.put(":at", AttributeValue.fromS(at.toString()));
        values.put(":end", AttributeValue.fromS(JobItems.eventText(new JobEvent(JobStatus.SUCCEEDED, at, result.source()))));
        values.put(":ttl", AttributeValue.fromN(Long.toString(at.getEpochSecond() + retentionSeconds)));
        values.put(":one", AttributeValue.fromN("1"));
        values.put(":rid", AttributeValue.fromS(requestId));
        values.put(":t", AttributeValue.fromS(tenant));
        values.put(":q", AttributeValue.fromS(JobStatus.QUEUED.wire()));
        values.put(":r", AttributeValue.fromS(JobStatus.RUNNING.wire()));
        String update = "SET result_status = :rs, result_source = :src, " + JobItems.RESULT_INLINE + " = :raw, "
                + "#out = :out, outputs_copied = :copied, files = :files, #st = :done, gsi2pk = :g2, completed_at = :at, "
                + "updated_at = :at, " + JobItems.END_EVENT + " = :end, #ttl = :ttl, version = version + :one "
                + "REMOVE " + SWEEP_PARTITION + ", " + SWEEP_AT;
        String condition = "attribute_exists(pk) AND attribute_not_exists(result_status) AND fal_request_id = :rid "
                + "AND tenant = :t AND #st IN (:q, :r) AND attribute_not_exists(partner_webhook)";
        return resultWrite(jobId, r -> r.updateExpression(update).conditionExpression(condition)
                .expressionAttributeNames(Map.of("#st", "status", "#out", "output", "#ttl", TTL_ATTRIBUTE))
                .expressionAttributeValues(values), at, true);
    }

    /** Removes the job as it was read: not if another writer changed it meanwhile. */
    public void delete(Job job) {
        try {
            ddb.deleteItem(r -> r.tableName(table).key(JobItems.key(job.id()))
                    .conditionExpression("version = :v")
                    .expressionAttributeValues(Map.of(":v", AttributeValue.fromN(Long.toString(job.version)))));
        } catch (ConditionalCheckFailedException e) {
            throw new IllegalStateException("job " + job.id() + " changed while being deleted; retry", e);
        }
    }

    /** A job due for a sweep, with the sweep time the index holds for it. */
    public record SweepDue(String jobId, long sweepAtMillis) {
    }

    /**
     * Jobs whose sweep time has passed (no sender claimed them, or their webhook is overdue),
     * oldest first, from one Query on the sparse {@code by_sweep} index, each with the sweep time
     * the index holds for it (the index is keys only: both come with the Query).
     */
    public List<SweepDue> sweepDue(java.time.Instant now, int limit) {
        QueryResponse response = ddb.query(r -> r.tableName(table).indexName(SWEEP_INDEX)
                .keyConditionExpression(SWEEP_PARTITION + " = :p AND " + SWEEP_AT + " <= :now")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(SWEEP_PARTITION_VALUE),
                        ":now", AttributeValue.fromN(Long.toString(now.toEpochMilli()))))
                .limit(limit));
        return response.items().stream().map(i -> new SweepDue(i.get("pk").s().substring("JOB#".length()),
                Long.parseLong(i.get(SWEEP_AT).n()))).toList();
    }

    /**
     * Takes a swept job out of the sweep index with one conditional UpdateItem and no read: only
     * if its sweep time is still the one the sweeper saw (a job that moved on meanwhile keeps its
     * new time). It bumps the version, so a writer holding an older copy (with the old sweep
     * time) loses its conditional write and decides again on a fresh read.
     *
     * @return false when the job moved on or is gone
     */
    public boolean clearSweep(SweepDue due) {
        try {
            ddb.updateItem(r -> r.tableName(table).key(JobItems.key(due.jobId()))
                    .updateExpression("REMOVE " + SWEEP_PARTITION + ", " + SWEEP_AT + " SET version = version + :one")
                    .conditionExpression(SWEEP_AT + " = :seen")
                    .expressionAttributeValues(Map.of(":seen", AttributeValue.fromN(Long.toString(due.sweepAtMillis())),
                            ":one", AttributeValue.fromN("1"))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    public record Page(List<Job> jobs, String lastJobId) {
    }

    /** One page of a tenant's jobs, newest first, from exactly one Query. */
    public Page list(String tenant, String status, String model, int limit, String afterJobId) {
        String index;
        String hashValue;
        if (model != null) {
            index = "by_model";
            hashValue = "T#" + tenant + "#M#" + model;
        } else if (status != null) {
            index = "by_status";
            hashValue = "T#" + tenant + "#S#" + status;
        } else {
            index = "by_tenant";
            hashValue = "T#" + tenant;
        }
        String hashName = INDEX_KEYS.get(index).get(0);
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":h", AttributeValue.fromS(hashValue));
        QueryRequest.Builder q = QueryRequest.builder().tableName(table).indexName(index)
                .keyConditionExpression(hashName + " = :h")
                .scanIndexForward(false)
                .limit(limit);
        if (model != null && status != null) {
            q.filterExpression("#s = :s").expressionAttributeNames(Map.of("#s", "status"));
            values.put(":s", AttributeValue.fromS(status));
        }
        q.expressionAttributeValues(values);
        if (afterJobId != null) {
            Map<String, AttributeValue> start = new HashMap<>(JobItems.key(afterJobId));
            start.put(hashName, AttributeValue.fromS(hashValue));
            start.put("gsi1sk", AttributeValue.fromS(afterJobId));
            q.exclusiveStartKey(start);
        }
        QueryResponse response = ddb.query(q.build());
        List<Job> jobs = new ArrayList<>();
        response.items().forEach(i -> jobs.add(JobItems.fromItem(i)));
        String last = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? response.lastEvaluatedKey().get("gsi1sk").s() : null;
        return new Page(jobs, last);
    }
}
