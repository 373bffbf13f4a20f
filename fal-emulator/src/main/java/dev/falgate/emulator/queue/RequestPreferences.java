package dev.falgate.emulator.queue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.falgate.emulator.Json;
import java.time.Duration;

/**
 * What a submit asked fal to keep (fal-protocol.md §1.9), as sent: the raw header values for
 * the ledger, and their meaning, which the emulator honours.
 *
 * @param lifecycleHeader {@code X-Fal-Object-Lifecycle-Preference} as sent, null when absent
 * @param storeIoHeader {@code X-Fal-Store-IO} as sent, null when absent
 * @param objectExpiry how long the request's generated files stay on the CDN; null: kept
 * @param storeIo false when payloads are not stored ({@code X-Fal-Store-IO: 0}): the result then
 *     expires as fal's short retention (1 h, 6 min from 10 KB), whatever {@code expire_results} says
 */
public record RequestPreferences(String lifecycleHeader, String storeIoHeader, Duration objectExpiry,
        boolean storeIo) {
    public static final String LIFECYCLE_HEADER = "X-Fal-Object-Lifecycle-Preference";
    public static final String STORE_IO_HEADER = "X-Fal-Store-IO";
    public static final RequestPreferences NONE = new RequestPreferences(null, null, null, true);

    /** @throws IllegalArgumentException naming the header whose value fal would not accept */
    public static RequestPreferences parse(String lifecycle, String storeIo) {
        return new RequestPreferences(lifecycle, storeIo, expiry(lifecycle), storeIo(storeIo));
    }

    private static Duration expiry(String lifecycle) {
        if (lifecycle == null) {
            return null;
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(lifecycle);
        } catch (java.io.IOException e) {
            json = null;
        }
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException(LIFECYCLE_HEADER + " must be a JSON object");
        }
        JsonNode seconds = json.get("expiration_duration_seconds");
        if (seconds == null || seconds.isNull()) {
            return null;
        }
        if (!seconds.canConvertToLong() || !seconds.isIntegralNumber() || seconds.asLong() < 0) {
            throw new IllegalArgumentException(LIFECYCLE_HEADER
                    + ": expiration_duration_seconds must be a whole number of seconds >= 0, or null");
        }
        return Duration.ofSeconds(seconds.asLong());
    }

    private static boolean storeIo(String value) {
        if (value == null) {
            return true;
        }
        return switch (value.trim()) {
            case "1" -> true;
            case "0" -> false;
            default -> throw new IllegalArgumentException(STORE_IO_HEADER + " must be 0 or 1");
        };
    }
}
