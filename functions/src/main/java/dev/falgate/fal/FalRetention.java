package dev.falgate.fal;

import dev.falgate.config.Settings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What falgate asks fal to keep, sent as headers on every submit (fal-protocol §1.9). falgate
 * copies every output into its own bucket, so fal's copies need only outlive the longest job
 * deadline (1 h) and its copy retries: {@code X-Fal-Object-Lifecycle-Preference} expires them
 * after {@code FAL_OUTPUT_EXPIRY_SECONDS}. With {@code FAL_STORE_PAYLOADS=false},
 * {@code X-Fal-Store-IO: 0} also asks fal not to keep the request's input and output payloads;
 * fal then keeps a result of 10 KB or more only 6 minutes, which the poll chain reads well
 * within (polls are at most {@code PollScheduler.MAX_INTERVAL} apart).
 *
 * @param outputExpiry how long fal keeps the files a request generates
 * @param storePayloads whether fal stores the request's payloads (its default: 30 days)
 */
public record FalRetention(Duration outputExpiry, boolean storePayloads) {
    public static final Duration DEFAULT_OUTPUT_EXPIRY = Duration.ofHours(3);
    /** fal's retention of a result of 10 KB or more when payloads are not stored. */
    public static final Duration SHORT_RESULT_RETENTION = Duration.ofMinutes(6);

    public static FalRetention from(Settings settings) {
        Duration expiry = settings.optional("FAL_OUTPUT_EXPIRY_SECONDS").map(Long::parseLong).map(Duration::ofSeconds)
                .orElse(DEFAULT_OUTPUT_EXPIRY);
        boolean store = settings.optional("FAL_STORE_PAYLOADS").map(v -> !"false".equalsIgnoreCase(v)).orElse(true);
        return new FalRetention(expiry, store);
    }

    /** The submit's extra headers: the lifecycle always, {@code X-Fal-Store-IO: 0} only when payloads are not stored. */
    public Map<String, String> submitHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Fal-Object-Lifecycle-Preference",
                "{\"expiration_duration_seconds\":" + outputExpiry.toSeconds() + "}");
        if (!storePayloads) {
            headers.put("X-Fal-Store-IO", "0");
        }
        return headers;
    }
}
