package dev.falgate.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A job as stored. Mutable only between a read and the conditional write that stores it:
 * {@link JobRepository#replace} succeeds only if nobody wrote a newer version meanwhile.
 */
public final class Job {
    /**
     * Whether fal has the job. PENDING: never sent (safe to send). SUBMITTING: a sender claimed
     * it and may be talking to fal now. SUBMITTED: fal gave us its request id. RETRY: fal
     * certainly did not get it (connection refused, 429, 503), so it may be sent again.
     * UNCERTAIN: fal may have it (a 500/502/504, a lost answer, a sender that died mid-call):
     * never sent again; fal's webhook names the request, or the job fails at its deadline.
     */
    public enum SubmitState { PENDING, SUBMITTING, SUBMITTED, RETRY, UNCERTAIN }

    String id;
    String tenant;
    String model;
    JobStatus status;
    long version;
    Instant createdAt;
    Instant updatedAt;
    Instant completedAt;
    Instant deadlineAt;
    ObjectNode input;
    JsonNode metadata;
    SubmitState submitState = SubmitState.PENDING;
    int submitAttempts;
    /** When a sender last claimed the submit (SUBMITTING). */
    Instant submitClaimedAt;
    /**
     * The time after which the sweeper schedules a poll for the job: until a sender claims it
     * (a crash between writing the job and scheduling its first poll), and, for a job that has no
     * poll message (sent with our webhook), until it ends, moved on at each step. Null otherwise.
     */
    Instant sweepAt;
    String falRequestId;
    String falStatusUrl;
    String falResponseUrl;
    String falCancelUrl;
    /** Where fal calls back for this job; kept so a retried submit names the same URL. */
    String webhookUrl;
    /** Which path brought fal's result: {@code webhook} or {@code poller}. */
    String resultSource;
    /** {@code OK} or {@code ERROR} once fal's result is recorded (raw result in S3). */
    String resultStatus;
    String resultKey;
    /** fal's {@code X-Fal-Billable-Units} from the response that brought the result; null when none carried it. */
    java.math.BigDecimal billableUnits;
    String resultInline;
    JsonNode output;
    boolean outputsCopied;
    List<JobFile> files = new ArrayList<>();
    /** The job's input files in our bucket (uploads, fetched URLs, data: URIs), as submitted. */
    List<JobFile> inputFiles = new ArrayList<>();
    JobError error;
    List<JobEvent> events = new ArrayList<>();
    /** The partner's outgoing webhook, if the submit asked for one. */
    WebhookSubscription subscription;
    /**
     * Partner-webhook events made by a transition and not yet on the webhook queue: stored in the
     * same conditional write as the transition, emptied once enqueued (an outbox).
     */
    List<String> webhookOutbox = new ArrayList<>();
    /** The last event the subscription was sent (what a replay sends again). */
    String lastWebhookEvent;
    List<WebhookDelivery> webhookDeliveries = new ArrayList<>();
    /**
     * What this copy changed that {@link JobMetrics} reports once the change is stored (not
     * stored itself): a terminal move, fal's result recorded. Cleared when reported.
     */
    boolean finishedUnreported;
    Instant resultUnreportedAt;
    /** The job shows this many delivery attempts, the newest. */
    public static final int MAX_DELIVERIES_SHOWN = 20;

    Job() {
    }

    public static Job create(String id, String tenant, String model, ObjectNode input, JsonNode metadata,
            Instant now, Instant deadline, Instant sweepAt) {
        Job j = new Job();
        j.id = id;
        j.tenant = tenant;
        j.model = model;
        j.status = JobStatus.QUEUED;
        j.version = 0;
        j.createdAt = now;
        j.updatedAt = now;
        j.deadlineAt = deadline;
        j.sweepAt = sweepAt;
        j.input = input;
        j.metadata = metadata;
        j.events.add(new JobEvent(JobStatus.QUEUED, now, "submit"));
        return j;
    }

    /**
     * Moves the job forward and records the event; false (and no change) when the move would
     * go backwards or leave a terminal state, so a late or duplicate signal is a no-op.
     */
    public boolean moveTo(JobStatus next, String source, Instant at) {
        if (!status.canMoveTo(next)) {
            return false;
        }
        status = next;
        updatedAt = at;
        events.add(new JobEvent(next, at, source));
        if (next.terminal()) {
            completedAt = at;
            finishedUnreported = true;
            if (!mayStillComplete()) {
                sweepAt = null; // nothing left for the sweeper to look after
            }
        }
        addWebhookEvent(WebhookSubscription.eventFor(next));
        return true;
    }

    /** Subscribes a new job's partner webhook; {@code queued} goes out with the job's first write. */
    public void subscribe(WebhookSubscription webhook) {
        subscription = webhook;
        addWebhookEvent(WebhookSubscription.eventFor(status));
    }

    private void addWebhookEvent(String event) {
        if (subscription != null && subscription.wants(event)) {
            webhookOutbox.add(event);
            lastWebhookEvent = event;
        }
    }

    /** The outbox was enqueued. */
    void outboxPublished() {
        webhookOutbox.clear();
    }

    /** Records a delivery attempt, keeping only the newest {@link #MAX_DELIVERIES_SHOWN}. */
    public void recordDelivery(WebhookDelivery delivery) {
        webhookDeliveries.add(delivery);
        while (webhookDeliveries.size() > MAX_DELIVERIES_SHOWN) {
            webhookDeliveries.remove(0);
        }
    }

    public boolean fail(String code, String message, String source, Instant at) {
        if (!moveTo(JobStatus.FAILED, source, at)) {
            return false;
        }
        error = new JobError(code, message);
        return true;
    }

    public void submitted(String requestId, String statusUrl, String responseUrl, String cancelUrl, Instant at) {
        submitState = SubmitState.SUBMITTED;
        falRequestId = requestId;
        falStatusUrl = statusUrl;
        falResponseUrl = responseUrl;
        falCancelUrl = cancelUrl;
        updatedAt = at;
    }

    public void recordResult(String status, String key, String source, Instant at) {
        resultStatus = status;
        resultKey = key;
        resultSource = source;
        updatedAt = at;
        resultUnreportedAt = at;
    }

    /** Notes what fal billed, when the result's response said (null: it did not). */
    public void recordBillableUnits(java.math.BigDecimal units) {
        if (units != null) {
            billableUnits = units;
        }
    }

    /**
     * Canceled while fal has the request (it may complete it anyway): a job without a poll chain
     * keeps its sweep time, so the sweeper's poll still brings outputs fal makes despite the cancel.
     */
    private boolean mayStillComplete() {
        return status == JobStatus.CANCELED && submitState == SubmitState.SUBMITTED && sweepAt != null;
    }

    public void outputsCopied(JsonNode rewrittenOutput, List<JobFile> copied, Instant at) {
        sweepAt = null; // the result is in: nothing left for the sweeper
        output = rewrittenOutput;
        files = new ArrayList<>(copied);
        outputsCopied = true;
        updatedAt = at;
    }

    public void setInputFiles(List<JobFile> stored) {
        inputFiles = new ArrayList<>(stored);
    }

    public List<JobFile> inputFiles() {
        return List.copyOf(inputFiles);
    }

    public boolean hasResult() {
        return resultStatus != null;
    }

    public void setWebhookUrl(String url) {
        webhookUrl = url;
    }

    /** A webhook named the request before submit could store it: remember it and its URLs. */
    public void bindRequest(String requestId, String statusUrl, String responseUrl, String cancelUrl, Instant at) {
        submitted(requestId, statusUrl, responseUrl, cancelUrl, at);
    }

    public void setSubmitState(SubmitState state, Instant at) {
        submitState = state;
        updatedAt = at;
    }

    /**
     * Claims the right to send the job to fal: only a job fal certainly does not have
     * (PENDING or RETRY, no request id). Stored with a conditional write, so of two senders
     * racing exactly one wins. The sweeper is no longer needed once a sender holds it.
     */
    public boolean claimSubmit(Instant at) {
        if (!mayBeSent()) {
            return false;
        }
        submitState = SubmitState.SUBMITTING;
        submitClaimedAt = at;
        submitAttempts++;
        sweepAt = null;
        updatedAt = at;
        return true;
    }

    /**
     * {@link #claimSubmit}, but the job stays in the sweep index (due at {@code sweepAgainAt}): a
     * job that has no poll message keeps the sweeper as its safety net until it ends.
     */
    public boolean claimSubmitKeepingSweep(Instant at, Instant sweepAgainAt) {
        if (!claimSubmit(at)) {
            return false;
        }
        sweepAt = sweepAgainAt;
        return true;
    }

    /** Moves the sweep time of a job the sweeper still looks after (one without a poll chain); else nothing. */
    public void sweepAgainAt(Instant at) {
        if (sweepAt != null) {
            sweepAt = at;
        }
    }

    /** fal certainly does not have the job, and it is still wanted. */
    public boolean mayBeSent() {
        return !status.terminal() && falRequestId == null
                && (submitState == SubmitState.PENDING || submitState == SubmitState.RETRY);
    }

    /** The sweeper scheduled a poll (or a poll saw the job): nothing for the sweeper any more. */
    public void swept() {
        sweepAt = null;
    }

    public String id() { return id; }
    public String tenant() { return tenant; }
    public String model() { return model; }
    public JobStatus status() { return status; }
    public long version() { return version; }
    public Instant createdAt() { return createdAt; }
    public Instant updatedAt() { return updatedAt; }
    public Instant completedAt() { return completedAt; }
    public Instant deadlineAt() { return deadlineAt; }
    public ObjectNode input() { return input; }
    public JsonNode metadata() { return metadata; }
    public SubmitState submitState() { return submitState; }
    public int submitAttempts() { return submitAttempts; }
    public Instant submitClaimedAt() { return submitClaimedAt; }
    public Instant sweepAt() { return sweepAt; }
    public String falRequestId() { return falRequestId; }
    public String falStatusUrl() { return falStatusUrl; }
    public String falResponseUrl() { return falResponseUrl; }
    public String falCancelUrl() { return falCancelUrl; }
    public String webhookUrl() { return webhookUrl; }
    public String resultSource() { return resultSource; }
    public java.math.BigDecimal billableUnits() { return billableUnits; }
    public String resultStatus() { return resultStatus; }
    public String resultKey() { return resultKey; }
    /** fal's raw result (JSON text) when the item holds it; null when it is in S3 at {@link #resultKey()}. */
    public String resultInline() { return resultInline; }
    public JsonNode output() { return output; }
    public boolean outputsCopied() { return outputsCopied; }
    public List<JobFile> files() { return List.copyOf(files); }
    public JobError error() { return error; }
    public List<JobEvent> events() { return List.copyOf(events); }
    public WebhookSubscription subscription() { return subscription; }
    public List<String> webhookOutbox() { return List.copyOf(webhookOutbox); }
    public String lastWebhookEvent() { return lastWebhookEvent; }
    public List<WebhookDelivery> webhookDeliveries() { return List.copyOf(webhookDeliveries); }
}
