package dev.falgate.emulator;

import dev.falgate.emulator.queue.RequestPreferences;
import java.time.Instant;

/**
 * One submit the emulator's queue accepted (a request was created and will run): what tests
 * read to assert "at most one accepted submit per job", e.g. by {@code webhookUrl}.
 *
 * @param webhookUrl the {@code fal_webhook} given, {@code null} when none
 * @param preferences the retention headers it carried ({@code X-Fal-Object-Lifecycle-Preference},
 *     {@code X-Fal-Store-IO}) and what they mean
 */
public record AcceptedSubmit(String requestId, String modelId, String userId, String webhookUrl,
        Instant acceptedAt, RequestPreferences preferences) {
    public AcceptedSubmit(String requestId, String modelId, String userId, String webhookUrl, Instant acceptedAt) {
        this(requestId, modelId, userId, webhookUrl, acceptedAt, RequestPreferences.NONE);
    }
}
