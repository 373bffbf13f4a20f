package dev.falgate.telemetry;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who a log line or metric is about: the Lambda request id (set by the handler for each
 * invocation), the tenant and the job (set by services as soon as they know them). Per thread,
 * so the local runner's concurrent invocations never mix; a handler opens a {@link Scope} per
 * invocation (and per SQS message) and closing it puts back what was there before.
 */
public final class LogContext {
    public static final String REQUEST_ID = "request_id";
    public static final String TENANT = "tenant";
    public static final String JOB_ID = "job_id";

    private static final ThreadLocal<Map<String, String>> CURRENT = ThreadLocal.withInitial(LinkedHashMap::new);

    private LogContext() {
    }

    /** One invocation's (or one message's) context; closing it restores the enclosing one. */
    public static final class Scope implements AutoCloseable {
        private final Map<String, String> saved;

        private Scope(Map<String, String> saved) {
            this.saved = saved;
        }

        @Override
        public void close() {
            CURRENT.set(saved);
        }
    }

    /** Starts an invocation: the request id, nothing known yet about tenant or job. */
    public static Scope begin(String requestId) {
        Scope scope = new Scope(CURRENT.get());
        Map<String, String> fresh = new LinkedHashMap<>();
        put(fresh, REQUEST_ID, requestId);
        CURRENT.set(fresh);
        return scope;
    }

    /** The next SQS message of the batch: the request id stays, the previous message's job and tenant go. */
    public static void nextMessage() {
        Map<String, String> current = CURRENT.get();
        current.remove(TENANT);
        current.remove(JOB_ID);
    }

    /** The Lambda request id of an invocation; a fixed word when there is no context (tests, tools). */
    public static String requestId(com.amazonaws.services.lambda.runtime.Context context) {
        return context == null || context.getAwsRequestId() == null ? "none" : context.getAwsRequestId();
    }

    public static void tenant(String tenant) {
        put(CURRENT.get(), TENANT, tenant);
    }

    public static void job(String jobId, String tenant) {
        put(CURRENT.get(), JOB_ID, jobId);
        tenant(tenant);
    }

    /** The known fields, in a stable order: request id, tenant, job id. */
    public static Map<String, String> fields() {
        Map<String, String> current = CURRENT.get();
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : new String[] {REQUEST_ID, TENANT, JOB_ID}) {
            put(out, name, current.get(name));
        }
        return out;
    }

    private static void put(Map<String, String> fields, String name, String value) {
        if (value != null && !value.isBlank()) {
            fields.put(name, value);
        }
    }
}
