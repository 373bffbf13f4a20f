package dev.falgate.emulator.faults;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The failures the emulator can inject, each a knob of a {@link FaultPlan}. The wire name is
 * what {@code GET|POST /_emulator/faults}, {@code FAL_EMULATOR_FAULTS} and the stats use.
 */
public enum Fault {
    /** A completed request's webhook is never sent (counted as dropped). */
    DROP_WEBHOOK("drop_webhook"),
    /** The webhook is delivered {@code copies} times, 2 by default (receivers must be idempotent on request_id). */
    DUPLICATE_WEBHOOK("duplicate_webhook", Param.COPIES),
    /** The webhook goes out {@code delay_ms} after completion. */
    DELAY_WEBHOOK("delay_webhook", Param.DELAY_MS),
    /** The webhook arrives while status still says IN_PROGRESS; the result follows after {@code delay_ms}. */
    WEBHOOK_BEFORE_RESULT("webhook_before_result", Param.DELAY_MS),
    /** The model rejects the request: COMPLETED with a 422 result, webhook status ERROR. */
    MODEL_ERROR("model_error"),
    /** The request fails in fal's infrastructure ({@code error_type}, e.g. runner_disconnected). */
    INFRASTRUCTURE_ERROR("infrastructure_error", Param.ERROR_TYPE),
    /** Submit answers {@code status} (5xx from the ingress, or 429) and queues nothing. */
    SUBMIT_HTTP_ERROR("submit_http_error", Param.STATUS),
    /** A status poll or stream answers {@code status}. */
    STATUS_HTTP_ERROR("status_http_error", Param.STATUS),
    /** A result read answers {@code status}. */
    RESULT_HTTP_ERROR("result_http_error", Param.STATUS),
    /** A CDN file download trickles out over {@code delay_ms}. */
    SLOW_DOWNLOAD("slow_download", Param.DELAY_MS),
    /** A CDN file download announces its full length and stops half way. */
    TRUNCATED_DOWNLOAD("truncated_download"),
    /** The webhook says OK with a null payload and a {@code payload_error}. */
    PAYLOAD_ERROR("payload_error"),
    /** Cancel answers CANCELLATION_REQUESTED, but the request runs on and succeeds. */
    COMPLETE_DESPITE_CANCEL("complete_despite_cancel"),
    /** A request without {@code Authorization} is let through (fal's public models allow it). */
    ACCEPT_MISSING_KEY("accept_missing_key"),
    /** Submit is accepted and the request runs, but the answer leaves {@code delay_ms} late. */
    SUBMIT_TIMEOUT("submit_timeout", Param.DELAY_MS),
    /** The CDN answers 404 for every output file of the request (decided once, at completion). */
    MISSING_OUTPUT("missing_output"),
    /** The result's and webhook's file URLs name {@code 127.0.0.2} instead of the CDN's host. */
    FOREIGN_OUTPUT_HOST("foreign_output_host");

    /** Knob parameters besides the trigger; each fault accepts only its own. */
    public enum Param {
        DELAY_MS("delay_ms"), STATUS("status"), ERROR_TYPE("error_type"), COPIES("copies");

        private final String wireName;

        Param(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    private final String wireName;
    private final Set<Param> params;

    Fault(String wireName, Param... params) {
        this.wireName = wireName;
        this.params = params.length == 0 ? EnumSet.noneOf(Param.class)
                : EnumSet.copyOf(Arrays.asList(params));
    }

    public String wireName() {
        return wireName;
    }

    public boolean accepts(Param param) {
        return params.contains(param);
    }

    public static Optional<Fault> fromWireName(String name) {
        return Arrays.stream(values()).filter(f -> f.wireName.equals(name)).findFirst();
    }
}
