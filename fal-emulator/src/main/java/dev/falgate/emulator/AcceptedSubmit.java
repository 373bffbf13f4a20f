package dev.falgate.emulator;

import java.time.Instant;

/**
 * One submit the emulator's queue accepted (a request was created and will run): what tests
 * read to assert "at most one accepted submit per job", e.g. by {@code webhookUrl}.
 *
 * @param webhookUrl the {@code fal_webhook} given, {@code null} when none
 */
public record AcceptedSubmit(String requestId, String modelId, String userId, String webhookUrl,
        Instant acceptedAt) {
}
