package dev.falgate.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.http.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Converts a {@link Job} to its DynamoDB item and back. Structured parts are JSON strings. */
final class JobItems {
    private JobItems() {
    }

    static Map<String, AttributeValue> key(String jobId) {
        return Map.of("pk", s("JOB#" + jobId), "sk", s("JOB"));
    }

    static Map<String, AttributeValue> toItem(Job j, long retentionSeconds) {
        Map<String, AttributeValue> m = new HashMap<>(key(j.id));
        m.put("gsi1pk", s("T#" + j.tenant));
        m.put("gsi1sk", s(j.id));
        m.put("gsi2pk", s(statusKey(j.tenant, j.status)));
        m.put("gsi3pk", s("T#" + j.tenant + "#M#" + j.model));
        m.put("job_id", s(j.id));
        m.put("tenant", s(j.tenant));
        m.put("model", s(j.model));
        m.put("status", s(j.status.wire()));
        m.put("version", AttributeValue.fromN(Long.toString(j.version)));
        putTime(m, "created_at", j.createdAt);
        putTime(m, "updated_at", j.updatedAt);
        putTime(m, "completed_at", j.completedAt);
        putTime(m, "deadline_at", j.deadlineAt);
        m.put("input", s(Json.write(j.input)));
        putJson(m, "metadata", j.metadata);
        m.put("submit_state", s(j.submitState.name()));
        m.put("submit_attempts", AttributeValue.fromN(Integer.toString(j.submitAttempts)));
        putTime(m, "submit_claimed_at", j.submitClaimedAt);
        if (j.sweepAt != null) {
            // sparse index: only jobs no sender has claimed yet are in it
            m.put(JobRepository.SWEEP_PARTITION, s(JobRepository.SWEEP_PARTITION_VALUE));
            m.put(JobRepository.SWEEP_AT, AttributeValue.fromN(Long.toString(j.sweepAt.toEpochMilli())));
        }
        putString(m, "fal_request_id", j.falRequestId);
        putString(m, "fal_status_url", j.falStatusUrl);
        putString(m, "fal_response_url", j.falResponseUrl);
        putString(m, "fal_cancel_url", j.falCancelUrl);
        putString(m, "webhook_url", j.webhookUrl);
        putString(m, "result_source", j.resultSource);
        putString(m, "result_status", j.resultStatus);
        putString(m, "result_key", j.resultKey);
        if (j.billableUnits != null) {
            m.put("billable_units", AttributeValue.fromN(j.billableUnits.toPlainString()));
        }
        putString(m, RESULT_INLINE, j.resultInline);
        putJson(m, "output", j.output);
        m.put("outputs_copied", AttributeValue.fromBool(j.outputsCopied));
        m.put("files", s(Json.write(filesJson(j.files))));
        m.put("input_files", s(Json.write(filesJson(j.inputFiles))));
        putJson(m, "error", j.error == null ? null
                : Json.object().put("code", j.error.code()).put("message", j.error.message()));
        m.put("events", s(Json.write(j.events.stream().map(JobItems::eventJson).toList())));
        putWebhook(m, j);
        if (j.completedAt != null) {
            // DynamoDB TTL removes finished jobs after the retention period
            m.put(JobRepository.TTL_ATTRIBUTE, AttributeValue.fromN(Long.toString(j.completedAt.getEpochSecond() + retentionSeconds)));
        }
        return m;
    }

    static Job fromItem(Map<String, AttributeValue> m) {
        Job j = new Job();
        j.id = m.get("job_id").s();
        j.tenant = m.get("tenant").s();
        j.model = m.get("model").s();
        j.status = JobStatus.fromWire(m.get("status").s());
        j.version = Long.parseLong(m.get("version").n());
        j.createdAt = time(m, "created_at");
        j.updatedAt = time(m, "updated_at");
        j.completedAt = time(m, "completed_at");
        j.deadlineAt = time(m, "deadline_at");
        j.input = (ObjectNode) Json.parse(m.get("input").s());
        j.metadata = json(m, "metadata");
        j.submitState = Job.SubmitState.valueOf(m.get("submit_state").s());
        j.submitAttempts = Integer.parseInt(m.get("submit_attempts").n());
        j.submitClaimedAt = time(m, "submit_claimed_at");
        j.sweepAt = m.containsKey(JobRepository.SWEEP_AT)
                ? Instant.ofEpochMilli(Long.parseLong(m.get(JobRepository.SWEEP_AT).n())) : null;
        j.falRequestId = string(m, "fal_request_id");
        j.falStatusUrl = string(m, "fal_status_url");
        j.falResponseUrl = string(m, "fal_response_url");
        j.falCancelUrl = string(m, "fal_cancel_url");
        j.webhookUrl = string(m, "webhook_url");
        j.resultSource = string(m, "result_source");
        j.resultStatus = string(m, "result_status");
        j.resultKey = string(m, "result_key");
        j.billableUnits = m.containsKey("billable_units") ? new java.math.BigDecimal(m.get("billable_units").n()) : null;
        j.resultInline = string(m, RESULT_INLINE);
        j.output = json(m, "output");
        j.outputsCopied = m.containsKey("outputs_copied") && m.get("outputs_copied").bool();
        j.files = files(m, "files");
        j.inputFiles = m.containsKey("input_files") ? files(m, "input_files") : new ArrayList<>(); // none before issue 9
        JsonNode error = json(m, "error");
        j.error = error == null ? null : new JobError(error.path("code").asText(), error.path("message").asText());
        j.events = new ArrayList<>();
        for (JsonNode e : Json.parse(m.get("events").s())) {
            j.events.add(event(e));
        }
        JsonNode end = json(m, END_EVENT);
        if (end != null && j.events.stream().noneMatch(e -> e.status().wire().equals(end.path("status").asText()))) {
            j.events.add(event(end));
        }
        readWebhook(m, j);
        return j;
    }

    static final String WEBHOOK_OUTBOX = "webhook_outbox";
    /**
     * The event of an end written by an UpdateItem ({@link JobRepository#recordFinished}), which
     * cannot append to {@code events} (one JSON text); read as the last event. The next full
     * write of the job stores it among the events and drops this attribute.
     */
    static final String END_EVENT = "end_event";

    /** The {@code by_status} index's hash key of a tenant's jobs in {@code status}. */
    static String statusKey(String tenant, JobStatus status) {
        return "T#" + tenant + "#S#" + status.wire();
    }

    static String eventText(JobEvent e) {
        return Json.write(eventJson(e));
    }

    private static JobEvent event(JsonNode e) {
        return new JobEvent(JobStatus.fromWire(e.get("status").asText()), Instant.parse(e.get("at").asText()),
                e.get("source").asText());
    }
    /** fal's raw result as JSON text, when small enough to live in the item (else it is in S3 at {@code result_key}). */
    static final String RESULT_INLINE = "result_inline";

    private static void putWebhook(Map<String, AttributeValue> m, Job j) {
        if (j.subscription != null) {
            ObjectNode sub = Json.object().put("url", j.subscription.url());
            j.subscription.events().stream().sorted().forEach(sub.putArray("events")::add);
            m.put("partner_webhook", s(Json.write(sub)));
        }
        if (!j.webhookOutbox.isEmpty()) {
            m.put(WEBHOOK_OUTBOX, AttributeValue.fromL(j.webhookOutbox.stream().map(JobItems::s).toList()));
        }
        putString(m, "last_webhook_event", j.lastWebhookEvent);
        if (!j.webhookDeliveries.isEmpty()) {
            m.put("webhook_deliveries", s(Json.write(j.webhookDeliveries.stream().map(JobItems::deliveryJson).toList())));
        }
    }

    private static JsonNode deliveryJson(WebhookDelivery d) {
        return Json.object().put("event", d.event()).put("attempt", d.attempt()).put("status_code", d.statusCode())
                .put("at", d.at().toString()).put("webhook_id", d.webhookId());
    }

    private static void readWebhook(Map<String, AttributeValue> m, Job j) {
        JsonNode sub = json(m, "partner_webhook");
        if (sub != null) {
            java.util.Set<String> events = new java.util.HashSet<>();
            sub.path("events").forEach(e -> events.add(e.asText()));
            j.subscription = new WebhookSubscription(sub.get("url").asText(), events);
        }
        j.webhookOutbox = m.containsKey(WEBHOOK_OUTBOX)
                ? new ArrayList<>(m.get(WEBHOOK_OUTBOX).l().stream().map(AttributeValue::s).toList()) : new ArrayList<>();
        j.lastWebhookEvent = string(m, "last_webhook_event");
        j.webhookDeliveries = new ArrayList<>();
        JsonNode deliveries = json(m, "webhook_deliveries");
        if (deliveries != null) {
            deliveries.forEach(d -> j.webhookDeliveries.add(new WebhookDelivery(d.get("event").asText(),
                    d.get("attempt").asInt(), d.get("status_code").isNull() ? null : d.get("status_code").asInt(),
                    Instant.parse(d.get("at").asText()), d.get("webhook_id").asText())));
        }
    }

    /** As Jackson writes the records (component names, nulls kept), without building a mapper for it. */
    private static JsonNode filesJson(List<JobFile> files) {
        com.fasterxml.jackson.databind.node.ArrayNode out = Json.array();
        files.forEach(f -> out.add(f.toJson()));
        return out;
    }

    private static List<JobFile> files(Map<String, AttributeValue> m, String attribute) {
        List<JobFile> files = new ArrayList<>();
        Json.parse(m.get(attribute).s()).forEach(f -> files.add(JobFile.fromJson(f)));
        return files;
    }

    private static JsonNode eventJson(JobEvent e) {
        return Json.object().put("status", e.status().wire()).put("at", e.at().toString()).put("source", e.source());
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static void putString(Map<String, AttributeValue> m, String name, String v) {
        if (v != null) {
            m.put(name, s(v));
        }
    }

    private static void putTime(Map<String, AttributeValue> m, String name, Instant t) {
        if (t != null) {
            m.put(name, s(t.toString()));
        }
    }

    private static void putJson(Map<String, AttributeValue> m, String name, JsonNode v) {
        if (v != null && !v.isNull()) {
            m.put(name, s(Json.write(v)));
        }
    }

    private static String string(Map<String, AttributeValue> m, String name) {
        AttributeValue v = m.get(name);
        return v == null ? null : v.s();
    }

    private static Instant time(Map<String, AttributeValue> m, String name) {
        String v = string(m, name);
        return v == null ? null : Instant.parse(v);
    }

    private static JsonNode json(Map<String, AttributeValue> m, String name) {
        String v = string(m, name);
        return v == null ? null : Json.parse(v);
    }
}
