package dev.falgate.emulator;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What happened to one model (or to all, in {@link StatsSnapshot#totals()}). Calls refused by
 * an injected {@code *_http_error} fault never reached the queue and are not counted here
 * (only in {@link StatsSnapshot#faults()}).
 *
 * @param webhooksSent webhook POSTs made (each retry counts)
 * @param webhooksAcknowledged POSTs answered with a 2xx
 * @param webhooksDropped webhooks suppressed by the drop switch (never sent)
 */
public record ModelCounts(
        long submits,
        @JsonProperty("status_polls") long statusPolls,
        @JsonProperty("result_reads") long resultReads,
        long cancels,
        @JsonProperty("webhooks_sent") long webhooksSent,
        @JsonProperty("webhooks_acknowledged") long webhooksAcknowledged,
        @JsonProperty("webhooks_dropped") long webhooksDropped) {

    public static final ModelCounts ZERO = new ModelCounts(0, 0, 0, 0, 0, 0, 0);

    ModelCounts plus(ModelCounts o) {
        return new ModelCounts(submits + o.submits, statusPolls + o.statusPolls,
                resultReads + o.resultReads, cancels + o.cancels, webhooksSent + o.webhooksSent,
                webhooksAcknowledged + o.webhooksAcknowledged, webhooksDropped + o.webhooksDropped);
    }
}
