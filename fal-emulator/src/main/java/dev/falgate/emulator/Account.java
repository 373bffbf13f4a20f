package dev.falgate.emulator;

/**
 * A fal account: requests made with {@code Authorization: Key <key>} run under {@code userId},
 * which their webhooks carry in {@code X-Fal-Webhook-User-Id} (signed with the same keys as
 * every other account's, as fal does).
 */
public record Account(String key, String userId) {
}
